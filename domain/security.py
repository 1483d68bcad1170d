"""Refused attempts that matter, kept on the record for the auditor (安全事件)."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause


class Refusal(KaopingAggregate):
    """One refused attempt, or a burst of them: who (in the cause), what they tried, why it
    was refused, and how many times within the same minute (次数).

    The first refusal of a minute is recorded at once; repeats of the same user, route and
    reason within that minute are counted and written as one ``Repeated`` event when the
    minute closes, so a flood of refusals cannot flood the log.
    """

    class Recorded(KaopingAggregate.Created):
        kind: str  # role | not_permitted | recused
        method: str
        route: str
        detail: str

    class Repeated(KaopingAggregate.Event):
        count: int  # refusals in the minute so far, the first one included

    @event(Recorded)
    def __init__(self, kind: str, method: str, route: str, detail: str, cause: Cause) -> None:
        self.kind = kind
        self.method = method
        self.route = route
        self.detail = detail
        self.count = 1

    def repeat(self, count: int, cause: Cause) -> bool:
        """Say how many refusals the minute held in all. A count never goes down: a count
        that says nothing new records nothing (False)."""
        if count <= getattr(self, "count", 1):  # refusals recorded before counts held one
            return False
        self._repeated(count=count, cause=cause)
        return True

    @event(Repeated)
    def _repeated(self, count: int, cause: Cause) -> None:
        self.count = count
