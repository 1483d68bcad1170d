"""given(events).when(command).then(events): specs on the in-memory tenant application.

``given`` stores events as they would have been written (through the application's public
``save``) into a fresh TenantApplication on the library's in-memory storage; ``when`` runs
one command on it; ``then`` compares the events the command stored — their types in order,
and the fields each expectation names — or ``then_refused`` the refusal and that nothing
was stored. No database: a spec runs in milliseconds.

    given(school_registered(S), judge_registered(J, at_school(S)), round_created(A),
          judge_added(A, J)) \\
        .when(lambda app: app.add_subject(A, "school", S, "g", ADMIN)) \\
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, judge_id=J, category="employment"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from eventsourcing.utils import get_topic, resolve_topic

from domain.cause import Cause
from domain.errors import DomainError
from services.application import TenantApplication
from tests.memory import in_memory

ADMIN = Cause("admin-1", "admin", "spec")
WHEN = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Fact:
    """An event, named by its class, the record it happened to (``of``) and its fields.

    Given, it must name every field (the cause defaults to the admin's); expected, it names
    only the fields that matter, and ``of`` may be left out."""

    type: type
    of: UUID | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        named = ", ".join(f"{k}={v!r}" for k, v in self.fields.items())
        return f"{self.type.__qualname__}({named})"


def fact(event_type: type, of: UUID | None = None, /, **fields: Any) -> Fact:
    return Fact(event_type, of, fields)


def event_of(given: Fact, version: int) -> Any:
    """The stored event a given fact stands for, at ``version`` of its record."""
    assert given.of is not None, f"given {given!r} names no record"
    values = {"cause": ADMIN, **given.fields}
    if issubclass(given.type, CanInitAggregate):
        aggregate = given.type.__qualname__.rpartition(".")[0]
        values["originator_topic"] = get_topic(
            resolve_topic(f"{given.type.__module__}:{aggregate}"))
    return given.type(originator_id=given.of, originator_version=version, timestamp=WHEN,
                      **values)


def check(event: Any, expected: Fact) -> None:
    assert type(event) is expected.type
    if expected.of is not None:
        assert event.originator_id == expected.of, f"{expected!r} happened to another record"
    seen = {k: getattr(event, k) for k in expected.fields}
    assert seen == expected.fields, f"{type(event).__qualname__}: {seen} != {expected.fields}"


def given(*facts: Fact) -> Given:
    """A fresh in-memory tenant holding these events, in this order."""
    app = in_memory()
    versions: dict[UUID, int] = {}
    events = []
    for f in facts:
        assert f.of is not None
        versions[f.of] = versions.get(f.of, 0) + 1
        events.append(event_of(f, versions[f.of]))
    if events:
        app.save(*events)
    return Given(app)


@dataclass
class Given:
    app: TenantApplication

    def when(self, command: Callable[[TenantApplication], Any]) -> Outcome:
        """Run one command; keep what it answered or the refusal it raised, and the events
        it stored."""
        before = self.app.position()
        result, error = None, None
        try:
            result = command(self.app)
        except DomainError as refused:
            error = refused
        notifications = self.app.recorder.select_notifications(
            start=before, limit=10_000, inclusive_of_start=False)
        stored = [self.app.mapper.to_domain_event(n) for n in notifications]
        return Outcome(self.app, result, error, stored)


@dataclass
class Outcome:
    app: TenantApplication
    result: Any
    error: DomainError | None
    events: list[Any]

    def then(self, *expected: Fact) -> Outcome:
        """The command stored exactly these events, in this order (each with the fields
        named)."""
        if self.error is not None:
            raise AssertionError(f"refused: {self.error!r}") from self.error
        got = [type(e).__qualname__ for e in self.events]
        assert got == [f.type.__qualname__ for f in expected], f"stored {got}"
        for event, f in zip(self.events, expected, strict=True):
            check(event, f)
        return self

    def then_includes(self, *expected: Fact) -> Outcome:
        """Among the events stored (others may come between, such as the name claims a
        registration makes), these, in this order."""
        if self.error is not None:
            raise AssertionError(f"refused: {self.error!r}") from self.error
        rest = iter(self.events)
        for f in expected:
            found = next((e for e in rest if type(e) is f.type), None)
            assert found is not None, f"no {f!r} in {self!r}"
            check(found, f)
        return self

    def then_nothing(self) -> Outcome:
        """Accepted, and nothing to record."""
        return self.then()

    def then_refused(self, error: type[Exception], *fields: str) -> Outcome:
        """Refused with ``error`` (naming these fields, when given), and nothing stored."""
        assert isinstance(self.error, error), f"not refused with {error.__name__}: {self!r}"
        if fields:
            named = [e.field for e in getattr(self.error, "errors", ())]
            assert named == list(fields), f"the refusal named {named}"
        assert self.events == [], f"a refusal stored {self.events}"
        return self

    def then_answers(self, check: Callable[[Any], bool] | Any) -> Outcome:
        """The command answered this (a value, or a predicate over the answer)."""
        assert self.error is None, f"refused: {self.error!r}"
        ok = check(self.result) if callable(check) else self.result == check
        assert ok, f"answered {self.result!r}"
        return self

    def __repr__(self) -> str:
        return (f"Outcome(error={self.error!r}, "
                f"events={[type(e).__qualname__ for e in self.events]})")
