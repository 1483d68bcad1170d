"""The Application's plumbing: injected infrastructure, load, write, versions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Recording
from eventsourcing.persistence import EventStore, InfrastructureFactory, Mapper
from eventsourcing.utils import Environment

from domain.base import KaopingAggregate
from domain.board import assessment_of
from domain.errors import NotFound, StaleVersion
from services.suggesting import OpenRecords, no_records
from services.terms import TermsCache


@dataclass(frozen=True)
class Written:
    """What a write returns: the aggregate, its new version, and the log position reached."""

    id: UUID
    version: int
    position: int | None


@dataclass(frozen=True)
class CardWritten:
    id: UUID
    version: int
    position: int | None
    total: Decimal
    complete: bool
    submitted: bool


class IndexedEventStore(EventStore):  # type: ignore[type-arg]
    """Tells the recorder each event's assessment, which it writes into the log index in the
    same transaction: every save goes through here, so no write can leave the index behind."""

    def put(self, domain_events: Any, **kwargs: Any) -> list[Recording]:  # type: ignore[type-arg]
        kwargs.setdefault("assessments", [assessment_of(e) for e in domain_events])
        return super().put(domain_events, **kwargs)


class BaseApplication(Application):  # type: ignore[type-arg]
    """One district's event-sourced application, built over injected infrastructure."""

    name = "Kaoping"

    def __init__(self, infrastructure: InfrastructureFactory, mapper: Mapper,  # type: ignore[type-arg]
                 records: OpenRecords = no_records) -> None:
        """``records``: the read port of projected activity records (suggestions)."""
        self.activity_records = records
        self._infrastructure = infrastructure
        self._mapper = mapper
        self.terms_cache = TermsCache()
        super().__init__()

    def construct_env(self, name: str, env: Any = None) -> Environment:
        return self._infrastructure.env  # never os.environ: settings come from the root

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        return self._infrastructure

    def construct_mapper(self) -> Mapper:  # type: ignore[type-arg]
        return self._mapper

    def construct_event_store(self) -> EventStore:  # type: ignore[type-arg]
        return IndexedEventStore(self.mapper, self.recorder)

    def load(self, cls: type[KaopingAggregate], aggregate_id: UUID, what: str) -> Any:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {what} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {what} {aggregate_id}")
        return aggregate

    def load_or_none(self, cls: type[KaopingAggregate], aggregate_id: UUID) -> Any:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def write(self, *aggregates: KaopingAggregate, **conditions: Any) -> Written:
        """Save the aggregates' pending events in one transaction (on ``conditions`` the
        recorder checks in it, e.g. ``while_at``: services/terms.py)."""
        recordings = self.save(*aggregates, **conditions)
        for aggregate in aggregates:
            self.terms_cache.forget(aggregate.id)  # an assessment's terms are read again
        position = recordings[-1].notification.id if recordings else self.position()
        return Written(aggregates[0].id, aggregates[0].version, position)

    def position(self) -> int:
        return self.recorder.max_notification_id() or 0

    @staticmethod
    def check_version(aggregate: KaopingAggregate, expected: int | None) -> None:
        if expected is not None and aggregate.version != expected:
            raise StaleVersion(
                f"the version is {aggregate.version}, not {expected}: reload and try again"
            )
