"""评分表 — one judge's scores for one subject in one component, leaf by leaf."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated, StateConflict
from domain.rubric import Leaf, on_step


@dataclass(frozen=True, slots=True)  # slots: msgspec decodes them a fifth faster
class CardKey:
    """Which card: assessment × subject × component × judge. Its id is derived from it."""

    assessment_id: UUID
    subject_id: UUID
    component: str
    judge_id: UUID

    @property
    def card_id(self) -> UUID:
        return uuid5(
            NAMESPACE_URL,
            f"kaoping:card/{self.assessment_id}/{self.subject_id}/{self.component}/{self.judge_id}",
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One indicator's points going from ``old`` to ``new`` (None: not scored yet)."""

    code: str
    old: Decimal | None
    new: Decimal | None
    suggested: Decimal | None = None  # what the activity records suggested, when there was a rule


def check_points(
    scores: dict[str, Decimal], leaves: tuple[Leaf, ...], step: Decimal
) -> None:
    """Each refusal names the leaf and what it allows; an unknown code lists the valid ones."""
    by_code = {leaf.code: leaf for leaf in leaves}
    errors = []
    for code, points in scores.items():
        where = f"scores.{code}"
        leaf = by_code.get(code)
        if leaf is None:
            known = ", ".join(by_code)
            errors.append(FieldError(where, f"no leaf indicator {code} in this rubric; "
                                            f"the leaves are {known}"))
        elif (not points.is_finite() or points < 0 or points > leaf.max_points
              or not on_step(points, step)):
            errors.append(FieldError(where, allowed(leaf, step)))
    if errors:
        raise RuleViolated("the scores break the rubric", tuple(errors))


COMMENT_MAX = 2000  # characters of a 综合评价意见


def check_comment(comment: str | None) -> None:
    if comment is not None and len(comment) > COMMENT_MAX:
        raise RuleViolated(f"the comment is longer than {COMMENT_MAX} characters",
                           (FieldError("comment", f"at most {COMMENT_MAX} characters"),))


def allowed(leaf: Leaf, step: Decimal) -> str:
    """What a leaf accepts, e.g. ``1.1.2 教研计划 must be between 0 and 5, in steps of 0.5``."""
    top, step = f"{leaf.max_points.normalize():f}", f"{step.normalize():f}"
    if leaf.title:
        return f"{leaf.code} {leaf.title} must be between 0 and {top}, in steps of {step}"
    return f"{leaf.code} must be between 0 and {top}, in steps of {step}"


class Scorecard(KaopingAggregate):
    """A judge's card. Submitted means locked: a change needs the card reopened first (the
    reopening carries the reason), and every change stays in history."""

    class Started(KaopingAggregate.Created):
        key: CardKey

    class ScoresRecorded(KaopingAggregate.Event):
        """Points that changed; ``comment`` is the judge's 综合评价意见 as it now reads, when
        it changed (None: unchanged, and on every event written before comments existed)."""

        key: CardKey
        changes: tuple[Change, ...]
        comment: str | None = None

    class Submitted(KaopingAggregate.Event):
        key: CardKey
        total: Decimal

    class Reopened(KaopingAggregate.Event):
        key: CardKey

    @staticmethod
    def create_id(key: CardKey, cause: Cause) -> UUID:
        return key.card_id

    @event(Started)
    def __init__(self, key: CardKey, cause: Cause) -> None:
        self.key = key
        self.scores: dict[str, Decimal] = {}
        self.submitted = False
        self.reopened = False  # reopened and not submitted again since
        self.comment = ""  # 综合评价意见

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))

    def record(
        self, scores: dict[str, Decimal], leaves: tuple[Leaf, ...], step: Decimal, cause: Cause,
        suggested: dict[str, Decimal] | None = None, comment: str | None = None,
    ) -> None:
        """``comment``: the card's whole 综合评价意见 (None leaves it as it is)."""
        if self.submitted:
            raise StateConflict("the card is submitted: reopen it, with a reason, to change it")
        check_points(scores, leaves, step)
        check_comment(comment)
        suggested = suggested or {}
        changes = tuple(
            Change(code, self.scores.get(code), points, suggested.get(code))
            for code, points in sorted(scores.items())
            if self.scores.get(code) != points
        )
        if comment is not None:
            comment = comment.strip()
        if comment == self.comment:
            comment = None
        if not changes and comment is None:
            return
        self._record(key=self.key, changes=changes, cause=cause, comment=comment)

    @event(ScoresRecorded)
    def _record(self, key: CardKey, changes: tuple[Change, ...], cause: Cause,
                comment: str | None = None) -> None:
        if comment is not None:
            self.comment = comment
        for change in changes:
            if change.new is None:
                self.scores.pop(change.code, None)
            else:
                self.scores[change.code] = change.new

    def submit(self, leaves: tuple[Leaf, ...], cause: Cause) -> None:
        if self.submitted:
            raise StateConflict("the card is already submitted")
        missing = [leaf.code for leaf in leaves if leaf.code not in self.scores]
        if missing:
            raise RuleViolated(
                "every leaf indicator must be scored before submitting",
                tuple(FieldError(f"scores.{code}", "not scored") for code in missing),
            )
        self._submit(key=self.key, total=self.total, cause=cause)

    @event(Submitted)
    def _submit(self, key: CardKey, total: Decimal, cause: Cause) -> None:
        self.submitted = True
        self.reopened = False

    def reopen(self, cause: Cause) -> None:
        if not self.submitted:
            raise StateConflict("the card is not submitted")
        if not (cause.reason or "").strip():
            raise RuleViolated("reopening needs a reason", (FieldError("reason", "required"),))
        self._reopen(key=self.key, cause=cause)

    @event(Reopened)
    def _reopen(self, key: CardKey, cause: Cause) -> None:
        self.submitted = False
        self.reopened = True


def is_complete(scores: dict[str, Decimal], leaves: tuple[Leaf, ...]) -> bool:
    return all(leaf.code in scores for leaf in leaves)
