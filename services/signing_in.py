"""Signing in to the pages, on the user's record: a link made, a session begun, ended or
revoked. The catalogue holds the links and sessions themselves (hashes only); these events
are what the audit trail shows (``/users/{id}/history``, ``/events``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.cause import Cause
from domain.user import User
from services.base import BaseApplication, Written

ATTEMPTS = 5  # another write to the same user (an edit, a second sign-in) came first: again


class SignInRecords(BaseApplication):
    def record_link_created(self, user_id: UUID, link_id: UUID, expires_at: datetime,
                            cause: Cause) -> Written:
        return self._on_user(user_id, lambda u: u.record_link_created(
            link_id=link_id, expires_at=expires_at, cause=cause))

    def record_signed_in(self, user_id: UUID, session_id: UUID, link_id: UUID,
                         expires_at: datetime, cause: Cause) -> Written:
        return self._on_user(user_id, lambda u: u.record_signed_in(
            session_id=session_id, link_id=link_id, expires_at=expires_at, cause=cause))

    def record_signed_out(self, user_id: UUID, session_id: UUID, cause: Cause) -> Written:
        return self._on_user(user_id, lambda u: u.record_signed_out(
            session_id=session_id, cause=cause))

    def record_session_revoked(self, user_id: UUID, session_id: UUID, cause: Cause) -> Written:
        return self._on_user(user_id, lambda u: u.record_session_revoked(
            session_id=session_id, cause=cause))

    def _on_user(self, user_id: UUID, record: Callable[[User], None]) -> Written:
        """Record on the user's aggregate; what it records happened already (in the
        catalogue), so a concurrent write to the user is no reason to lose it: retry."""
        for attempt in range(ATTEMPTS):
            user = self.load(User, user_id, "user")
            record(user)
            try:
                return self.write(user)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")
