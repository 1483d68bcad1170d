"""A tenant application on the library's in-memory storage, for specs (STYLE.md)."""

from __future__ import annotations

from eventsourcing.popo import POPOFactory
from eventsourcing.utils import Environment

from adapters.postgres.mapper import MsgspecMapper
from services.application import TenantApplication


def in_memory() -> TenantApplication:
    env = Environment("Kaoping", {"IS_SNAPSHOTTING_ENABLED": "n"})
    return TenantApplication(POPOFactory(env), MsgspecMapper())
