"""Correcting a draft round and its 出场顺序 (presentation order): the rules, as pure functions.

``Assessment`` records the decisions; what is checked, and how an order is merged or dropped,
lives here so the aggregate stays readable.

When a subject leaves a group (removed, or moved to another group), the order of every group
it touched is dropped: an order is a draw (or a hand entry) over the group's subjects as they
were, and quietly slotting a school in or out would make it an order no one drew. The answer
warns that the group must be drawn or entered again.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from uuid import UUID

from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.setup import GroupOrder, RankingGroup, Setup, Subject, check_setup


@dataclass(frozen=True)
class Notice:
    """A warning beside a successful answer: the request was done, but look at this."""

    field: str
    message: str


@dataclass(frozen=True)
class Placed:
    """One subject in a group's order: its position (1, 2, …) or None when not yet ordered."""

    subject: Subject
    position: int | None


# -- where a school belongs ---------------------------------------------------------------------


def same_name(a: str, b: str) -> bool:
    """Names compared as people read them: trimmed, full- and half-width forms alike."""
    return unicodedata.normalize("NFKC", a).strip() == unicodedata.normalize("NFKC", b).strip()


def group_warning(school: str, registered: str, group: RankingGroup) -> Notice | None:
    """A school placed in a ranking group other than the 分组 it is registered in."""
    if same_name(registered, group.name) or same_name(registered, group.key):
        return None
    return Notice("group", f"{school} 登记在「{registered}」，放入了「{group.name}」")


def group_named(setup: Setup, key: str) -> RankingGroup | None:
    return next((g for g in setup.groups if g.key == key), None)


# -- moving a subject, changing the set-up ---------------------------------------------------


def check_move(setup: Setup, subject: Subject, group: str) -> bool:
    """Whether moving the subject to ``group`` changes anything (an unknown group is refused)."""
    if group_named(setup, group) is None:
        raise RuleViolated("unknown ranking group", (FieldError("group", f"no group {group}"),))
    return group != subject.group


def check_setup_change(old: Setup, new: Setup, subjects: Iterable[Subject]) -> tuple[str, ...]:
    """The new set-up is valid as at creation, and leaves no subject without its group
    (a community without a period); answers the fields that changed."""
    check_setup(new)
    errors = []
    keys = {g.key for g in new.groups}
    stranded: dict[str, list[str]] = {}
    for subject in subjects:
        if subject.group not in keys:
            stranded.setdefault(subject.group, []).append(subject.name)
        known = {c.key for c in new.components}  # a subject's own components stay known
        errors += [FieldError("components", f"{subject.name} is given component {key}, "
                                            "which the new set-up lacks")
                   for key in subject.components if key not in known]
        if subject.kind == "community" and new.period is None:
            errors.append(FieldError("period", f"{subject.name} is a community: a community "
                                               "is assessed over a period"))
    for key, names in sorted(stranded.items()):
        errors.append(FieldError("groups", f"group {key} still has subjects: "
                                           f"{', '.join(sorted(names))}; move or remove them"))
    if errors:
        raise RuleViolated("the change does not fit the subjects of the round", tuple(errors))
    return tuple(f.name for f in fields(Setup) if getattr(new, f.name) != getattr(old, f.name))


# -- the order -----------------------------------------------------------------------------------


def draw_order(
    seed: str, groups: tuple[RankingGroup, ...], subjects: tuple[Subject, ...]
) -> tuple[GroupOrder, ...]:
    """抽签: the same seed always gives the same order."""
    rng = random.Random(seed)  # noqa: S311 — a reproducible draw, not a secret
    order = []
    for group in groups:
        ids = sorted((s.id for s in subjects if s.group == group.key), key=str)
        rng.shuffle(ids)
        order.append(GroupOrder(group.key, tuple(ids)))
    return tuple(order)


def is_ordered(order: tuple[GroupOrder, ...], group: str | None = None) -> bool:
    """Whether a group (or any group) has an order a new one would replace."""
    return any(g.subject_ids for g in order if group is None or g.group == group)


def without_groups(
    order: tuple[GroupOrder, ...], groups: Iterable[str]
) -> tuple[GroupOrder, ...]:
    dropped = set(groups)
    return tuple(g for g in order if g.group not in dropped)


def merged(order: tuple[GroupOrder, ...], entered: tuple[GroupOrder, ...],
           setup: Setup) -> tuple[GroupOrder, ...]:
    """The groups entered replace theirs; the others keep what they had. Setup order."""
    by_group = {g.group: g for g in order} | {g.group: g for g in entered}
    return tuple(by_group[g.key] for g in setup.groups if g.key in by_group)


def check_order(
    entered: Mapping[str, tuple[UUID, ...]], setup: Setup, subjects: Mapping[UUID, Subject],
    current: tuple[GroupOrder, ...], cause: Cause,
) -> tuple[GroupOrder, ...]:
    """An order entered by hand lists exactly each named group's subjects, each once;
    replacing a group's order needs a reason. Answers the groups' orders, in set-up order."""
    if not entered:
        raise RuleViolated("name at least one group", (FieldError("order", "empty"),))
    errors = []
    for key, ids in entered.items():
        group = group_named(setup, key)
        if group is None:
            errors.append(FieldError(f"order.{key}", f"no ranking group {key}"))
        else:
            errors += [FieldError(f"order.{key}", problem)
                       for problem in _order_problems(group, ids, setup, subjects)]
    if errors:
        raise RuleViolated("the order must list each group's subjects exactly once",
                           tuple(errors))
    if any(is_ordered(current, key) for key in entered):
        needs_reason(cause, "the group has an order already: replacing it needs a reason")
    return tuple(GroupOrder(g.key, tuple(entered[g.key])) for g in setup.groups
                 if g.key in entered)


def _order_problems(group: RankingGroup, ids: tuple[UUID, ...], setup: Setup,
                    subjects: Mapping[UUID, Subject]) -> list[str]:
    problems = []
    seen: set[UUID] = set()
    for subject_id in ids:
        subject = subjects.get(subject_id)
        if subject_id in seen:
            problems.append(f"listed twice: {subject.name if subject else subject_id}")
        elif subject is None:
            problems.append(f"not a subject of this assessment: {subject_id}")
        elif subject.group != group.key:
            other = group_named(setup, subject.group)
            problems.append(f"{subject.name} is in "
                            f"{other.name if other else subject.group}, not {group.name}")
        seen.add(subject_id)
    missing = [s.name for s in subjects.values() if s.group == group.key and s.id not in seen]
    if missing:
        problems.append(f"missing: {', '.join(sorted(missing))}")
    return problems


def presentation(
    setup: Setup, subjects: Mapping[UUID, Subject], order: tuple[GroupOrder, ...]
) -> list[tuple[RankingGroup, list[Placed]]]:
    """Each group in set-up order with its subjects by position; those not yet ordered last."""
    by_group = {g.group: g.subject_ids for g in order}
    groups = []
    for group in setup.groups:
        ordered = [s for s in by_group.get(group.key, ())
                   if s in subjects and subjects[s].group == group.key]
        placed = [Placed(subjects[s], i) for i, s in enumerate(ordered, start=1)]
        done = set(ordered)
        rest = sorted((s for s in subjects.values() if s.group == group.key
                       and s.id not in done), key=lambda s: s.name)
        groups.append((group, placed + [Placed(s, None) for s in rest]))
    return groups


def voided_notices(setup: Setup, before: tuple[GroupOrder, ...],
                   after: tuple[GroupOrder, ...]) -> list[Notice]:
    """Warnings for the groups whose order a change made void."""
    return order_voided(setup, ordered_groups(before) - ordered_groups(after))


def order_voided(setup: Setup, voided: set[str]) -> list[Notice]:
    """The warning for each group of ``setup`` (by key) whose order was made void."""
    return [Notice("order", f"「{g.name}」的出场顺序已作废，请重新抽签或录入")
            for g in setup.groups if g.key in voided]


def needs_reason(cause: Cause, detail: str) -> None:
    if not (cause.reason or "").strip():
        raise RuleViolated(detail, (FieldError("reason", "required"),))


def ordered_groups(order: tuple[GroupOrder, ...]) -> set[str]:
    return {g.group for g in order if g.subject_ids}
