"""回避 — who must stand aside from which subject, and why (typed like HotCRP's conflicts)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.user import Affiliation

EMPLOYMENT = "employment"  # the judge works at the school (or at the unit's / a member school)
MEMBERSHIP = "membership"  # the judge belongs to the community or unit, or hosts the unit
DECLARED = "declared"  # the judge declared it, with a reason
CATEGORIES = (EMPLOYMENT, MEMBERSHIP, DECLARED)


@dataclass(frozen=True)
class SubjectFacts:
    """What a subject is made of, as conflict detection needs it."""

    subject_id: UUID
    kind: str
    ref_id: UUID
    schools: tuple[UUID, ...] = ()  # the school; a community's schools; a unit's school
    people: tuple[UUID, ...] = ()  # a unit's host and members


@dataclass(frozen=True)
class Conflict:
    subject_id: UUID
    category: str
    reason: str


def find_conflicts(
    judge_id: UUID, affiliations: tuple[Affiliation, ...], subjects: tuple[SubjectFacts, ...]
) -> tuple[Conflict, ...]:
    mine = {(a.kind, a.id) for a in affiliations}
    my_schools = {a.id for a in affiliations if a.kind == "school"}
    found = []
    for s in subjects:
        if s.kind == "school" and s.ref_id in my_schools:
            found.append(Conflict(s.subject_id, EMPLOYMENT, "评委任职于被评学校"))
        elif s.kind == "community" and ("community", s.ref_id) in mine:
            found.append(Conflict(s.subject_id, MEMBERSHIP, "评委属于被评共同体"))
        elif s.kind == "community" and my_schools & set(s.schools):
            found.append(Conflict(s.subject_id, EMPLOYMENT, "评委所在学校是被评共同体的成员"))
        elif s.kind == "unit" and (("unit", s.ref_id) in mine or judge_id in s.people):
            found.append(Conflict(s.subject_id, MEMBERSHIP, "评委主持或参加被评教研组/工作室"))
        elif s.kind == "unit" and my_schools & set(s.schools):
            found.append(Conflict(s.subject_id, EMPLOYMENT, "被评教研组属于评委所在学校"))
    return tuple(found)
