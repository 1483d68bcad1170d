"""The scoring form's posted values, read as the API reads a card's body, and a refusal's
field errors placed beside the inputs they concern, in Chinese (the API's catalogue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from adapters.http.i18n import translate
from domain.errors import DomainError, FieldError, RuleViolated

SCORE = "score:"  # an input's name is SCORE + the leaf's code


@dataclass
class Posted:
    """What the judge typed, kept as typed so that a refused form shows it again."""

    scores: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    action: str = "save"
    confirmed: bool = False

    @classmethod
    def of(cls, form: dict[str, Any]) -> Posted:
        scores = {name[len(SCORE):]: one(value).strip() for name, value in form.items()
                  if name.startswith(SCORE)}
        return cls(scores, one(form.get("comment", "")), one(form.get("action", "")) or "save",
                   one(form.get("confirmed", "")) == "1")

    def points(self) -> dict[str, Decimal]:
        """The leaves given a value (an empty input is a leaf not scored yet). Text that is no
        number is refused naming its leaf, before anything is written."""
        found, errors = {}, []
        for code, text in self.scores.items():
            if not text:
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                errors.append(FieldError(f"scores.{code}", "must be a number"))
                continue
            found[code] = value
        if errors:
            raise RuleViolated("the scores break the rubric", tuple(errors))
        return found


def one(value: Any) -> str:
    """A form value: the last one when a name was posted more than once (the scoring form's
    hidden ``action``, then the button pressed, in a plain post)."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)


@dataclass
class Refusal:
    """A refusal as the form shows it: a message on top, and one beside each field."""

    message: str
    fields: dict[str, str]  # "scores.1.1" / "comment" / "reason" → Chinese

    @classmethod
    def of(cls, exc: DomainError) -> Refusal:
        fields: dict[str, str] = {}
        for error in exc.errors:
            text = translate(error.message)
            fields[error.field] = f"{fields[error.field]}；{text}" if error.field in fields \
                else text
        return cls(translate(exc.detail), fields)

    def leaf(self, code: str) -> str:
        return self.fields.get(f"scores.{code}", "")


NO_REFUSAL = Refusal("", {})
