"""Lenient header matching: a district's sheet says 学校名称, 名称 or ＂ 学 校 名 称＂ for the
same column. Headers are compared after NFKC (full-width → half-width), without any blank,
without a required-mark (``*``) and without a note in brackets (``学段(高中/初中)``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

BLANKS = re.compile(r"\s+")
NOTE = re.compile(r"\([^()]*\)$")
MARKS = "*＊:："


def header_key(text: str) -> str:
    key = BLANKS.sub("", unicodedata.normalize("NFKC", text))
    key = key.strip(MARKS)
    while NOTE.search(key) and NOTE.sub("", key):
        key = NOTE.sub("", key).strip(MARKS)
    return key.lower()


def header_index(columns: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """Every accepted spelling's key → the column's field."""
    index: dict[str, str] = {}
    for field, names in columns:
        for name in names:
            index.setdefault(header_key(name), field)
    return index
