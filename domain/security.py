"""Refused attempts that matter, kept on the record for the auditor (安全事件)."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause


class Refusal(KaopingAggregate):
    """One refused attempt: who (in the cause), what they tried, and why it was refused.

    Each refusal is its own small aggregate, so recording one never contends with anything.
    """

    class Recorded(KaopingAggregate.Created):
        kind: str  # role | not_permitted
        method: str
        route: str
        detail: str

    @event(Recorded)
    def __init__(self, kind: str, method: str, route: str, detail: str, cause: Cause) -> None:
        self.kind = kind
        self.method = method
        self.route = route
        self.detail = detail
