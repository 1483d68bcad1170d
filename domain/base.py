"""The base aggregate: every event of kaoping carries its Cause."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from domain.cause import Cause


class KaopingAggregate(Aggregate):
    """An aggregate whose events all record who caused them."""

    class Event(Aggregate.Event):
        cause: Cause

    class Created(Aggregate.Created, Event):
        pass
