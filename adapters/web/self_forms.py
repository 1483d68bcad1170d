"""The self-assessment form as posted, kept as typed so that a refused form shows it again,
and a refusal's messages placed beside the leaf they concern, in Chinese.

Inputs per leaf: ``score:<code>`` (points), ``evidence:<code>`` (the evidence ids given,
one checkbox each: unticking one withdraws it), ``dated:<code>`` and ``file:<code>`` (an
upload and the day its material is from). ``upload`` names the leaf whose file is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.http.i18n import translate
from adapters.web.judge_forms import Posted
from domain.errors import DomainError, FieldError, RuleViolated

SCORE, EVIDENCE, DATED, FILE = "score:", "evidence:", "dated:", "file:"
# "evidence.1.1[0]" → "1.1"; "scores.1.1" → "1.1"
LEAF_FIELD = re.compile(r"^(?P<kind>scores|evidence)\.(?P<code>.+?)(?:\[(?P<i>\d+)\])?$")


def pairs(form: Any) -> list[tuple[str, Any]]:
    """(name, value) for every value posted: a urlencoded form gives lists for names posted
    more than once, a multipart one is a multi-dict."""
    if hasattr(form, "multi_items"):
        return list(form.multi_items())
    found: list[tuple[str, Any]] = []
    for name, value in form.items():
        found += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return found


@dataclass
class Typed:
    scores: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    dated: dict[str, str] = field(default_factory=dict)
    upload: str = ""

    @classmethod
    def of(cls, form: Any) -> Typed:
        typed = cls()
        for name, value in pairs(form):
            if not isinstance(value, str):
                continue  # a file part
            if name.startswith(SCORE):
                typed.scores[name[len(SCORE):]] = value.strip()
            elif name.startswith(EVIDENCE) and value.strip():
                ids = typed.evidence.setdefault(name[len(EVIDENCE):], [])
                if value.strip() not in ids:
                    ids.append(value.strip())
            elif name.startswith(DATED):
                typed.dated[name[len(DATED):]] = value.strip()
            elif name == "upload":
                typed.upload = value.strip()
        return typed

    def points(self) -> dict[str, Decimal]:
        """The leaves given a value; text that is no number is refused naming its leaf."""
        return Posted(scores=self.scores).points()

    def by_indicator(self) -> dict[str, tuple[UUID, ...]]:
        found, errors = {}, []
        for code, ids in self.evidence.items():
            try:
                found[code] = tuple(UUID(i) for i in ids)
            except ValueError:
                errors.append(FieldError(f"evidence.{code}", "not a valid id"))
        if errors:
            raise RuleViolated("the evidence is not valid", tuple(errors))
        return {code: ids for code, ids in found.items() if ids}


@dataclass
class Refusal:
    """A refusal as the form shows it: a message on top, and beside each leaf the messages
    on its score and those on its evidence (an upload's file, type, size, date)."""

    message: str = ""
    leaves: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    bad_index: dict[str, set[int]] = field(default_factory=dict)  # evidence refused, by leaf

    @classmethod
    def of(cls, exc: DomainError, leaf: str | None = None) -> Refusal:
        """``leaf``: the leaf an upload was for, where errors without a leaf of their own
        (the file's type, its size, the round's state) are shown."""
        detail = translate(exc.detail)
        refusal = cls(detail)
        for error in exc.errors:
            text = translate(error.message)
            match = LEAF_FIELD.match(error.field)
            if match and match["kind"] == "scores":
                add(refusal.leaves, match["code"], text)
            elif match:
                code = match["code"]
                if match["i"] is not None:
                    refusal.bad_index.setdefault(code, set()).add(int(match["i"]))
                add(refusal.files, code, f"{detail}（{text}）")
            elif leaf is not None:
                add(refusal.files, leaf, f"{detail}：{text}" if text != detail else text)
        if leaf is not None and not exc.errors:
            add(refusal.files, leaf, detail)
        return refusal

    def leaf(self, code: str) -> list[str]:
        return self.leaves.get(code, [])

    def file(self, code: str) -> list[str]:
        return self.files.get(code, [])


def add(found: dict[str, list[str]], code: str, text: str) -> None:
    if text not in found.setdefault(code, []):
        found[code].append(text)


NO_REFUSAL = Refusal()
