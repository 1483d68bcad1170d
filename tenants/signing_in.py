"""Signing in to the pages: sign-in links (登录链接) and the sessions they start.

An admin makes a link for a user; the link's code is random, shown once (in the link and its
QR code) and stored only as a hash. It works once, within ``LINK_LIFETIME``: confirming it
(a POST; opening it changes nothing, for phones fetch links to preview them) uses it up and
starts a session, a token of kind ``session`` in the catalogue, good for
``SESSION_LIFETIME``, carried in a cookie. A session ends at sign-out, when an admin revokes
it, when the user's tokens are revoked (revoke, rotate, archive) and when it expires.
Each of these is an event on the user's record (``services/signing_in.py``)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.cause import Cause
from domain.errors import NotFound
from domain.records import check_active
from domain.user import User
from tenants.cache import TenantApps
from tenants.model import Principal
from tenants.tokens import token_hash

LINK_LIFETIME = timedelta(days=7)
SESSION_LIFETIME = timedelta(hours=12)  # a day of judging in the meeting room, not a week
SESSION_PREFIX = "ks_"


@dataclass(frozen=True)
class LinkState:
    link_id: UUID
    user_id: UUID
    expires_at: datetime
    state: str  # "valid", "used" or "expired" (voided links count as used)


@dataclass(frozen=True)
class Consumed:
    link_id: UUID
    session_expires_at: datetime


@dataclass(frozen=True)
class SessionRow:
    id: UUID
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """A session as the admin's people page lists it: going, ended (and when) or expired."""

    id: UUID
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    state: str  # "active", "ended" or "expired"


class SignInStore(Protocol):
    """Links and sessions in the catalogue (hashes only)."""

    def add_link(self, code_hash: bytes, link_id: UUID, slug: str, user_id: UUID,
                 created_by: str, lifetime: timedelta) -> datetime: ...
    def link(self, slug: str, code_hash: bytes) -> LinkState | None: ...
    def consume(self, slug: str, code_hash: bytes, session_hash: bytes, session_id: UUID,
                role: str, lifetime: timedelta) -> Consumed | None: ...
    def sessions(self, slug: str, user_id: UUID) -> list[SessionRow]: ...
    def session_history(self, slug: str, user_id: UUID,
                        limit: int) -> list[SessionRecord]: ...
    def end_session(self, slug: str, user_id: UUID, session_id: UUID) -> bool: ...


class LinkGone(NotFound):
    """A link that was real but can no longer be used (used, expired or voided)."""

    def __init__(self, state: str) -> None:
        super().__init__(f"the sign-in link is {state}")
        self.state = state


@dataclass(frozen=True)
class NewLink:
    code: str
    link_id: UUID
    expires_at: datetime
    user: User


@dataclass(frozen=True)
class NewSession:
    token: str
    session_id: UUID
    user_id: UUID
    expires_at: datetime


class SignIns:
    def __init__(self, store: SignInStore, apps: TenantApps) -> None:
        self.store = store
        self.apps = apps

    def create_link(self, slug: str, user_id: UUID, cause: Cause) -> NewLink:
        app = self.apps.get(slug)
        user = app.user(user_id)
        check_active(user, "user_id")
        code, link_id = secrets.token_urlsafe(32), uuid.uuid4()
        expires_at = self.store.add_link(token_hash(code), link_id, slug, user_id,
                                         cause.actor_id, LINK_LIFETIME)
        app.record_link_created(user_id, link_id, expires_at, cause)
        return NewLink(code, link_id, expires_at, user)

    def open_link(self, slug: str, code: str) -> User:
        """Whom a link signs in (it is not used up): NotFound for an unknown one, LinkGone
        for one used, voided or expired, or whose user is archived."""
        found = self.store.link(slug, token_hash(code))
        if found is None:
            raise NotFound("no such sign-in link")
        if found.state != "valid":
            raise LinkGone(found.state)
        user = self.apps.get(slug).user(found.user_id)
        if user.archived:
            raise LinkGone("used")
        return user

    def sign_in(self, slug: str, code: str, request_id: str) -> NewSession:
        """Use the link up and start a session: once, even when two confirmations race (the
        catalogue's row decides which)."""
        user = self.open_link(slug, code)
        token, session_id = SESSION_PREFIX + secrets.token_urlsafe(32), uuid.uuid4()
        used = self.store.consume(slug, token_hash(code), token_hash(token), session_id,
                                  user.role, SESSION_LIFETIME)
        if used is None:  # another confirmation, or a revocation, came first
            self.open_link(slug, code)
            raise LinkGone("used")
        cause = Cause(str(user.id), user.role, request_id, "登录链接")
        self.apps.get(slug).record_signed_in(user.id, session_id, used.link_id,
                                             used.session_expires_at, cause)
        return NewSession(token, session_id, user.id, used.session_expires_at)

    def sign_out(self, principal: Principal, request_id: str) -> None:
        assert principal.tenant and principal.user_id and principal.session_id
        if self.store.end_session(principal.tenant, principal.user_id, principal.session_id):
            cause = Cause(str(principal.user_id), principal.role, request_id)
            self.apps.get(principal.tenant).record_signed_out(
                principal.user_id, principal.session_id, cause)

    def sessions(self, slug: str, user_id: UUID) -> list[SessionRow]:
        self.apps.get(slug).user(user_id)  # NotFound for an unknown user
        return self.store.sessions(slug, user_id)

    def session_history(self, slug: str, user_id: UUID, limit: int = 50) -> list[SessionRecord]:
        """Every session of the user, ended and expired ones too, the newest first."""
        self.apps.get(slug).user(user_id)  # NotFound for an unknown user
        return self.store.session_history(slug, user_id, limit)

    def revoke_session(self, slug: str, user_id: UUID, session_id: UUID, cause: Cause) -> None:
        app = self.apps.get(slug)
        app.user(user_id)
        if not self.store.end_session(slug, user_id, session_id):
            raise NotFound(f"no session {session_id}")
        app.record_session_revoked(user_id, session_id, cause)
