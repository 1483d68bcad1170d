"""佐证材料 — a piece of evidence: its content is stored by hash; the event keeps the hash."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.setup import Period


class Evidence(KaopingAggregate):
    class Uploaded(KaopingAggregate.Created):
        sha256: str
        size: int
        content_type: str
        filename: str
        dated: date  # the day the material is from (材料须在考核期内)

    @event(Uploaded)
    def __init__(self, sha256: str, size: int, content_type: str, filename: str, dated: date,
                 cause: Cause) -> None:
        self.sha256 = sha256
        self.size = size
        self.content_type = content_type
        self.filename = filename
        self.dated = dated

    def within(self, period: Period | None) -> bool:
        return period is None or period.starts_on <= self.dated <= period.ends_on
