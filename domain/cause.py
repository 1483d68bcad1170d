"""Every event says who did it, in which role, through which request, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)  # in every event: slots decode faster
class Cause:
    """The provenance of a decision: actor, role, request id and the reason given, if any."""

    actor_id: str
    actor_role: str
    request_id: str
    reason: str | None = None

    def because(self, reason: str | None) -> Cause:
        return Cause(self.actor_id, self.actor_role, self.request_id, reason)
