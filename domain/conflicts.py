"""回避 — who must stand aside from which subject, and why (typed like HotCRP's conflicts).

``find_conflicts`` is the one rule. It reads the current facts: the judge's affiliations, what
those affiliations contain (a unit's school, a community's schools), and what each subject is
made of. The recusals of an assessment are always these conflicts plus the declared ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from domain.user import Affiliation

EMPLOYMENT = "employment"  # the judge works at the school (or at the unit's / a member school)
MEMBERSHIP = "membership"  # the judge belongs to the community or unit, or hosts the unit
DECLARED = "declared"  # the judge declared it, with a reason
PERSONAL = "personal"  # the judge is the person assessed (since issue 15: people as subjects)
CATEGORIES = (EMPLOYMENT, MEMBERSHIP, DECLARED, PERSONAL)


@dataclass(frozen=True)
class SubjectFacts:
    """What a subject is made of, as conflict detection needs it."""

    subject_id: UUID
    kind: str
    ref_id: UUID
    schools: tuple[UUID, ...] = ()  # the school; a community's schools; a unit's school;
    # a teacher's schools
    people: tuple[UUID, ...] = ()  # a unit's host and members; a teacher themself
    units: tuple[UUID, ...] = ()  # a teacher's units (教研组, 备课组, 工作室)


@dataclass(frozen=True)
class AffiliationFacts:
    """What a judge's ties contain: the school of each unit they belong to, by affiliation or
    on the unit's own list of host and members (a studio has no school), and the schools of
    each community they belong to."""

    unit_schools: Mapping[UUID, UUID | None] = field(default_factory=dict)
    community_schools: Mapping[UUID, tuple[UUID, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    subject_id: UUID
    category: str
    reason: str


def find_conflicts(
    judge_id: UUID, affiliations: tuple[Affiliation, ...], subjects: tuple[SubjectFacts, ...],
    facts: AffiliationFacts | None = None,
) -> tuple[Conflict, ...]:
    """At most one conflict per subject: the closest tie wins (own school, then own unit's
    school, then own community's schools)."""
    facts = facts or AffiliationFacts()
    mine = {(a.kind, a.id) for a in affiliations}
    my_schools = {a.id for a in affiliations if a.kind == "school"}
    mine |= {("unit", unit_id) for unit_id in facts.unit_schools}
    # A member of a school's 教研组 or 备课组 teaches at that school.
    unit_schools = {school for school in facts.unit_schools.values() if school is not None}
    community_schools = {school for a in affiliations if a.kind == "community"
                         for school in facts.community_schools.get(a.id, ())}
    found = []
    for s in subjects:
        conflict = _conflict(judge_id, s, mine, my_schools, unit_schools, community_schools)
        if conflict is not None:
            found.append(Conflict(s.subject_id, *conflict))
    return tuple(found)


def _conflict(
    judge_id: UUID, s: SubjectFacts, mine: set[tuple[str, UUID]], my_schools: set[UUID],
    unit_schools: set[UUID], community_schools: set[UUID],
) -> tuple[str, str] | None:
    schools = set(s.schools)
    if s.kind == "school":
        if s.ref_id in my_schools:
            return EMPLOYMENT, "评委任职于被评学校"
        if s.ref_id in unit_schools:
            return EMPLOYMENT, "评委所在教研组/备课组属于被评学校"
        if s.ref_id in community_schools:
            return MEMBERSHIP, "评委所属教研共同体包含被评学校"
    elif s.kind == "community":
        if ("community", s.ref_id) in mine:
            return MEMBERSHIP, "评委属于被评共同体"
        if (my_schools | unit_schools) & schools:
            return EMPLOYMENT, "评委所在学校是被评共同体的成员"
    elif s.kind == "unit":
        if ("unit", s.ref_id) in mine or judge_id in s.people:
            return MEMBERSHIP, "评委主持或参加被评教研组/工作室"
        if (my_schools | unit_schools) & schools:
            return EMPLOYMENT, "被评教研组属于评委所在学校"
        if community_schools & schools:
            return MEMBERSHIP, "被评教研组所在学校属于评委所属教研共同体"
    elif s.kind == "teacher":
        return _person_conflict(judge_id, s, mine, my_schools | unit_schools)
    return None


def _person_conflict(judge_id: UUID, s: SubjectFacts, mine: set[tuple[str, UUID]],
                     schools: set[UUID]) -> tuple[str, str] | None:
    """A teacher assessed: the judge is that person, a colleague at one of their schools, or
    a member of one of their units (a studio has no school: only membership ties it)."""
    if judge_id == s.ref_id:
        return PERSONAL, "评委本人即被评对象"
    if schools & set(s.schools):
        return EMPLOYMENT, "评委与被评教师在同一学校任职"
    if {ref for kind, ref in mine if kind == "unit"} & set(s.units):
        return MEMBERSHIP, "评委与被评教师同属一个工作室"
    return None


LIFTED = "评委与被评对象不再有利益关联，回避解除"
# Recusals follow the facts until the results are fixed: cards can change until finalised.
FOLLOWS_FACTS = ("draft", "open", "closed")


@dataclass(frozen=True)
class RecusalChange:
    """One step that brings a judge's derived recusals to their conflicts: a recusal to record
    (new, or of another category) or, with no category, one to lift."""

    judge_id: UUID
    subject_id: UUID
    category: str | None
    reason: str


def recusal_changes(
    current: Mapping[str, str], conflicts: Mapping[UUID, tuple[Conflict, ...]]
) -> tuple[RecusalChange, ...]:
    """What turns ``current`` ("judge/subject" → category) into these judges' conflicts plus
    the declared recusals, which are never touched."""
    changes = []
    for judge_id, found in conflicts.items():
        wanted = {f"{judge_id}/{c.subject_id}": c for c in found}
        for key, c in wanted.items():
            if current.get(key) not in (DECLARED, c.category):
                changes.append(RecusalChange(judge_id, c.subject_id, c.category, c.reason))
        prefix = f"{judge_id}/"
        for key, category in current.items():
            if key.startswith(prefix) and category != DECLARED and key not in wanted:
                changes.append(RecusalChange(judge_id, UUID(key[len(prefix):]), None, LIFTED))
    return tuple(changes)
