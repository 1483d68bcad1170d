"""If-Match: the aggregate version the caller last saw (a number, quoted or not)."""

from __future__ import annotations

from litestar.exceptions import ValidationException


def expected_version(header: str | None) -> int | None:
    if header is None or header.strip() == "*":
        return None
    text = header.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationException("If-Match must be the version number you last read")
    return int(text)
