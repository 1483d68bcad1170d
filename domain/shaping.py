"""Assessments shaped per subject: 考核组 (sub-panels) and per-subject components.

- A judge added with ``groups`` sits on those 考核组 only (the ranking groups' keys): they
  see, score and count towards quorum for those groups' subjects alone. A judge without
  groups sits on the whole panel, as before.
- The components that apply to a subject are, first, those given for it when it was added;
  else those of the most specific rule of the set-up that names it (a school's role in a
  community, then a community's type, then its kind); else all of them, as before.
- A subject's final is the sum of its own converted components; with ``full_marks`` (满分)
  it is renormalised to it: ``sum × full_marks / (the weights of its own components)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import FieldError

if TYPE_CHECKING:  # setup.py imports this module; the types are only annotations here
    from domain.setup import Component, Setup, Subject

SUBJECT_KINDS = ("school", "community", "unit", "teacher")  # teacher: a person (工作点, 名师)
ROLES = ("core", "member")  # 核心校 / 成员校
COMMUNITY_TYPES = ("integrated", "co_built", "collaborative")
# Whom a component rule names, most specific first when a subject matches several.
SELECTORS = ("core_school", "member_school", *COMMUNITY_TYPES, *SUBJECT_KINDS)


def selectors_of(subject: Subject) -> tuple[str, ...]:
    """The rule names that fit a subject, the most specific first."""
    if subject.kind == "school" and subject.role in ROLES:
        return (f"{subject.role}_school", "school")
    if subject.kind == "community" and subject.community_type:
        return (subject.community_type, "community")
    return (subject.kind,)


def own_keys(setup: Setup, subject: Subject) -> frozenset[str] | None:
    """The keys of the components that apply to the subject; None: every component."""
    if subject.components:
        return frozenset(subject.components)
    rules = {rule.applies_to: rule.components for rule in setup.component_rules}
    for selector in selectors_of(subject):
        if selector in rules:
            return frozenset(rules[selector])
    return None


def components_of(setup: Setup, subject: Subject) -> tuple[Component, ...]:
    """The subject's own components, in the set-up's order."""
    keys = own_keys(setup, subject)
    return tuple(c for c in setup.components if keys is None or c.key in keys)


def applies(setup: Setup, subject: Subject, key: str) -> bool:
    keys = own_keys(setup, subject)
    return keys is None or key in keys


def sits_for(groups: Iterable[str], subject: Subject) -> bool:
    """A judge with no 考核组 sits on the whole panel; one with groups, for theirs only."""
    groups = tuple(groups)
    return not groups or subject.group in groups


def judges_for(panel: Iterable[UUID], groups: Mapping[UUID, tuple[str, ...]],
               subject: Subject) -> tuple[UUID, ...]:
    """The judges of the panel who sit for the subject's group (its quorum counts these)."""
    return tuple(j for j in panel if sits_for(groups.get(j, ()), subject))


def final_of(setup: Setup, subject: Subject, exact_sum: Decimal) -> Decimal:
    """The exact final from the exact sum of the subject's own converted components:
    renormalised to ``full_marks`` when the set-up gives it, otherwise the sum itself."""
    if setup.full_marks is None:
        return exact_sum
    weight = sum((c.weight for c in components_of(setup, subject)), Decimal(0))
    return exact_sum * setup.full_marks / weight if weight else exact_sum


def check_subject_components(setup: Setup, keys: Iterable[str]) -> list[FieldError]:
    known = {c.key for c in setup.components}
    keys = tuple(keys)
    errors = [FieldError(f"components[{i}]", f"no component {key} in this assessment")
              for i, key in enumerate(keys) if key not in known]
    if len(set(keys)) != len(keys):
        errors.append(FieldError("components", "each component once"))
    return errors


def check_groups(setup: Setup, groups: Iterable[str]) -> list[FieldError]:
    known = {g.key for g in setup.groups}
    groups = tuple(groups)
    errors = [FieldError(f"groups[{i}]", f"no group {key}")
              for i, key in enumerate(groups) if key not in known]
    if len(set(groups)) != len(groups):
        errors.append(FieldError("groups", "each group once"))
    return errors


def check_shaping(setup: Setup) -> list[FieldError]:
    """The set-up's component rules name known subjects and components, each rule once;
    full marks, when given, are positive."""
    errors = []
    named = [rule.applies_to for rule in setup.component_rules]
    for i, rule in enumerate(setup.component_rules):
        where = f"component_rules[{i}]"
        if rule.applies_to not in SELECTORS:
            errors.append(FieldError(f"{where}.applies_to",
                                     f"must be one of {', '.join(SELECTORS)}"))
        if named.count(rule.applies_to) > 1:
            errors.append(FieldError(f"{where}.applies_to", "one rule for each"))
        if not rule.components:
            errors.append(FieldError(f"{where}.components", "at least one component"))
        errors += [FieldError(f"{where}.{e.field}", e.message)
                   for e in check_subject_components(setup, rule.components)]
    if setup.full_marks is not None and (not setup.full_marks.is_finite()
                                         or setup.full_marks <= 0):
        errors.append(FieldError("full_marks", "must be a number greater than 0"))
    return errors
