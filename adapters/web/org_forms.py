"""The organisation and people pages' forms: posted values kept as typed, read into the API's
own request structs (the same checks as the API), and a refusal placed beside its field in
Chinese (the API's catalogue)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import msgspec

from adapters.http.i18n import translate
from adapters.web.errors import status_of
from domain.errors import DomainError
from domain.names import DuplicateName

T = TypeVar("T")
WHERE = re.compile(r"^(?P<text>.*?) - at `\$\.(?P<path>[^`]*)`$", re.S)
EMPTY = "Expected `str` of length >= 1"


class PageRefusal(Exception):
    """A form value the page cannot even read (not a date, not one of the choices)."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(fields.values()))
        self.fields = fields


@dataclass
class Refused:
    """A refusal as a form shows it: a message on top, and one beside each field."""

    message: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    status: int = 200

    def __bool__(self) -> bool:
        return bool(self.message or self.fields)

    def at(self, name: str) -> str:
        return self.fields.get(name, "")

    def elsewhere(self, *shown: str) -> list[str]:
        """Field messages no input of the form is beside (``affiliations[0].kind``…)."""
        return [m for f, m in self.fields.items() if f not in shown]


NOTHING = Refused()
REFUSALS = (DomainError, msgspec.ValidationError, PageRefusal)  # what a form shows beside it


def refused(exc: Exception) -> Refused:
    """What the form says about a refusal of the service, the API's structs or the page."""
    if isinstance(exc, DuplicateName):
        return Refused("名称重复", {"name": f"该名称已被“{exc.holder_name}”使用"}, 409)
    if isinstance(exc, DomainError):
        fields: dict[str, str] = {}
        for error in exc.errors:
            text = translate(error.message)
            name = error.field.split("[")[0]
            fields[name] = f"{fields[name]}；{text}" if name in fields else text
        return Refused(translate(exc.detail), fields, status_of(exc))
    if isinstance(exc, msgspec.ValidationError):
        found = WHERE.match(str(exc))
        if found is None:
            return Refused("填写的内容格式不正确", {}, 400)
        text = "不能为空" if found["text"].startswith(EMPTY) else translate(found["text"])
        return Refused("填写的内容格式不正确", {found["path"].split("[")[0]: text}, 400)
    if isinstance(exc, PageRefusal):
        return Refused("填写的内容格式不正确", exc.fields, 400)
    raise exc


def one(value: Any) -> str:
    """A form value as typed: the last one when a name was posted more than once."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value or "")


def many(value: Any) -> list[str]:
    """A multiple choice's values (a ``<select multiple>`` or checkboxes), empty ones dropped."""
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def typed(data: dict[str, Any], *names: str, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """What the user typed, to show it again: text trimmed of nothing, lists as lists."""
    kept: dict[str, Any] = {name: one(data.get(name)) for name in names}
    kept |= {name: many(data.get(name)) for name in lists}
    return kept


def parsed(shape: type[T], values: dict[str, Any]) -> T:
    """The API's request struct from form values: an empty optional field is left out (an
    empty required one is refused beside its input)."""
    required = {f.encode_name for f in msgspec.structs.fields(shape) if f.required}
    return msgspec.convert({k: v for k, v in values.items()
                            if k in required or v not in ("", None)}, shape, strict=False)


def version_of(form: dict[str, Any]) -> int | None:
    """The version the form was read at (the API's ``If-Match``): a change made meanwhile is
    refused rather than overwritten."""
    text = str(form.get("version", ""))
    return int(text) if text.isdigit() else None


def day_of(text: str, name: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PageRefusal({name: "请填写日期，格式为 年-月-日（如 2026-09-01）"}) from None


def uuid_of(text: str, name: str) -> UUID | None:
    if not text.strip():
        return None
    try:
        return UUID(text.strip())
    except ValueError:
        raise PageRefusal({name: "请从列表中选择"}) from None
