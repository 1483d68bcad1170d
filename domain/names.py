"""Unique names (名称不重复): each record's name is claimed under a deterministic id.

Names are compared after NFKC and trimming, so "南钢学校", "南钢学校 " and the full-width
"南钢学校　" are one name. The claim's id is uuid5 of (scope, normalised name): two writers
of one name write the same new stream, and the event store lets only one of them in. No
SELECT over a view that may lag decides uniqueness.
"""

from __future__ import annotations

import unicodedata
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, StateConflict

NAMESPACE = UUID("5b0e7c52-3f0a-4d7e-9a51-6c2f1c1d9e10")


def normalised(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def claim_id(scope: str, name: str) -> UUID:
    return uuid5(NAMESPACE, f"{scope}\n{normalised(name)}")


class DuplicateName(StateConflict):
    """Another record of the tenant already has this name (compared after NFKC and trim)."""

    def __init__(self, holder_id: UUID, holder_name: str, archived: bool = False) -> None:
        state = " (archived)" if archived else ""
        detail = f"the name is taken by {holder_name}{state} ({holder_id})"
        super().__init__(detail, (FieldError("name", detail),))
        self.holder_id = holder_id
        self.holder_name = holder_name


class NameClaim(KaopingAggregate):
    """A name held by one record within its scope; released when the record is renamed."""

    class Made(KaopingAggregate.Created):
        scope: str
        name: str
        holder_id: UUID

    class Released(KaopingAggregate.Event):
        pass

    class Retaken(KaopingAggregate.Event):
        name: str
        holder_id: UUID

    @staticmethod
    def create_id(scope: str, name: str) -> UUID:
        return claim_id(scope, name)

    @event(Made)
    def __init__(self, scope: str, name: str, holder_id: UUID, cause: Cause) -> None:
        self.scope = scope
        self.name = name
        self.holder_id: UUID | None = holder_id

    def held_by_another(self, holder_id: UUID) -> bool:
        return self.holder_id is not None and self.holder_id != holder_id

    def retake(self, name: str, holder_id: UUID, cause: Cause) -> None:
        if self.holder_id == holder_id:
            return
        if self.holder_id is not None:
            raise StateConflict("the name is held")  # callers check first, to name the holder
        self._retake(name=name, holder_id=holder_id, cause=cause)

    @event(Retaken)
    def _retake(self, name: str, holder_id: UUID, cause: Cause) -> None:
        self.name = name
        self.holder_id = holder_id

    def release(self, holder_id: UUID, cause: Cause) -> bool:
        """Give the name up, if this holder holds it (a record made before claims existed
        may share a name it never held)."""
        if self.holder_id != holder_id:
            return False
        self._release(cause=cause)
        return True

    @event(Released)
    def _release(self, cause: Cause) -> None:
        self.holder_id = None


class NameIndex(KaopingAggregate):
    """Marks that the tenant's names are claimed: records made before claims existed were
    given theirs at that moment (``claimed`` of them), once."""

    ID = UUID("0b6f8a3e-2d44-5c1e-8f7a-9e3b1d2c4a55")

    class Started(KaopingAggregate.Created):
        claimed: int

    @staticmethod
    def create_id() -> UUID:
        return NameIndex.ID

    @event(Started)
    def __init__(self, claimed: int, cause: Cause) -> None:
        self.claimed = claimed
