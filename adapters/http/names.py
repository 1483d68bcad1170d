"""Names beside ids: what an answer points at, as the people of a district call it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from adapters.container import Container
from domain.assessment import Assessment
from domain.board import BoardState

OPERATOR = "平台运营方"


@dataclass(frozen=True)
class Names:
    """Look-ups from ids to names; an id we cannot name answers None, never an error."""

    people: Mapping[str, str] = field(default_factory=dict)
    subjects: Mapping[str, str] = field(default_factory=dict)
    components: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)

    def person(self, person_id: UUID | str | None) -> str | None:
        if person_id is None:
            return None
        if str(person_id) == "operator":
            return OPERATOR
        return self.people.get(str(person_id))

    def subject(self, subject_id: UUID | str | None) -> str | None:
        return None if subject_id is None else self.subjects.get(str(subject_id))

    def component(self, key: str | None) -> str | None:
        return None if key is None else self.components.get(key)

    def group(self, key: str | None) -> str | None:
        return None if key is None else self.groups.get(key)


def of_assessment(assessment: Assessment, people: Mapping[str, str] | None = None) -> Names:
    """Names of an assessment's subjects, judges, components and groups (and of ``people``)."""
    return Names(
        people={**(people or {}), **{str(j): n for j, n in assessment.panel.items()}},
        subjects={str(s.id): s.name for s in assessment.subjects.values()},
        components={c.key: c.name for c in assessment.setup.components},
        groups={g.key: g.name for g in assessment.setup.groups},
    )


def of_board(state: BoardState) -> Names:
    setup = state.setup
    return Names(
        people=dict(state.panel),
        subjects={sid: s.name for sid, s in state.subjects.items()},
        components={c.key: c.name for c in setup.components} if setup else {},
        groups={g.key: g.name for g in setup.groups} if setup else {},
    )


def people_of(container: Container, tenant: str) -> dict[str, str]:
    """Every user of the tenant by id: actors in history and refusals are named from it."""
    with container.views(tenant) as views:
        return {str(row["id"]): row["name"] for row in views.users()}


def judge_refs(ids: Any, names: Names) -> list[dict[str, Any]]:
    return [{"judge_id": str(judge), "name": names.person(judge)} for judge in ids]
