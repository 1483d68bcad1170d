"""Lists of ids in a command: each id once (a repeat is refused, never silently dropped, so
what is recorded is what was meant)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from domain.errors import FieldError, RuleViolated


def repeats(field: str, ids: Iterable[UUID]) -> list[FieldError]:
    """One error for each place an id is given again."""
    seen: set[UUID] = set()
    found = []
    for i, each in enumerate(ids):
        if each in seen:
            found.append(FieldError(f"{field}[{i}]", f"{each} is given more than once"))
        seen.add(each)
    return found


def check_each_once(lists: Mapping[str, Iterable[UUID]]) -> None:
    errors = [e for field, ids in lists.items() for e in repeats(field, ids)]
    if errors:
        raise RuleViolated("an id is given more than once", tuple(errors))
