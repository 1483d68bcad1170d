"""The rule by which a later release's answers are held to a kept release's (tests of the
release fixtures, tests/fixtures/release_*; the rule itself is stated in
tests/integration/test_release_log.py).

* Every key of an old answer must be present in the new answer, with an equal value; new keys
  are allowed in any object.
* Lists keep their length and their order, element by element under the same rule.
* Timestamps denote the same instant; an old number equals a new number or decimal string of
  the same value (as Decimals); everything else is compared exactly.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def differences(old: Any, new: Any, path: str = "$") -> list[str]:
    """Where ``new`` fails to answer what ``old`` answered, under the rule above."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [f"{path}: an object became {new!r}"]
        return [d for key, value in old.items()
                for d in (differences(value, new[key], f"{path}.{key}") if key in new
                          else [f"{path}.{key}: missing"])]
    if isinstance(old, list):
        if not isinstance(new, list) or len(new) != len(old):
            return [f"{path}: a list of {len(old)} became {new!r}"]
        return [d for i, (o, n) in enumerate(zip(old, new, strict=True))
                for d in differences(o, n, f"{path}[{i}]")]
    if isinstance(old, int | float) and not isinstance(old, bool):
        same = Decimal(str(old)) == number(new)
    elif isinstance(old, str) and INSTANT.match(old):
        same = instant(old) is not None and instant(old) == instant(new)
    else:
        same = type(old) is type(new) and old == new
    return [] if same else [f"{path}: {old!r} became {new!r}"]


def number(value: Any) -> Decimal | None:
    """A new answer's number: a JSON number (not a boolean) or a decimal string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not INSTANT.match(value):
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else None  # no offset: not an instant


def assert_answers_as_before(old: Any, new: Any) -> None:
    found = differences(old, new)
    assert not found, "\n".join(found[:20])
