"""What the platform knows about a tenant and about whoever presents a token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import FieldError, RuleViolated

SLUG = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
STATUSES = ("active", "suspended")
DEFAULT_TIME_ZONE = "Asia/Shanghai"  # 北京时间


def check_time_zone(name: str) -> None:
    """An IANA zone name the system knows (Asia/Shanghai, Asia/Urumqi…)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleViolated(f"unknown time zone {name}", (FieldError(
            "time_zone", "must be an IANA time zone such as Asia/Shanghai"),)) from None


def check_slug(slug: str) -> None:
    if not SLUG.fullmatch(slug):
        raise RuleViolated(
            "the slug is not valid",
            (FieldError("slug", "2–31 characters: a lowercase letter, then lowercase letters, "
                                "digits or _"),),
        )


@dataclass(frozen=True)
class Tenant:
    slug: str
    name: str
    status: str
    created_at: datetime
    time_zone: str = DEFAULT_TIME_ZONE  # answers give timestamps with their offset here


@dataclass(frozen=True)
class Principal:
    """Who is calling: the operator (no tenant) or a user of one tenant, with one role."""

    role: str
    user_id: UUID | None = None
    tenant: str | None = None
    tenant_status: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    kind: str = "api"  # or "session": a page's sign-in (cookie), never a bearer token
    session_id: UUID | None = None
    expires_at: datetime | None = None  # sessions expire; API tokens do not
    scope: UUID | None = None  # a page session's admin scoped to an org node (ADR 28)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def actor_id(self) -> str:
        return str(self.user_id) if self.user_id else "operator"


class Catalogue(Protocol):
    """The platform's list of tenants and the hashes of their tokens (schema ``kaoping``)."""

    def add(self, slug: str, name: str, time_zone: str = DEFAULT_TIME_ZONE) -> Tenant: ...
    def remove(self, slug: str) -> None: ...
    def get(self, slug: str) -> Tenant | None: ...
    def all(self) -> list[Tenant]: ...
    def set_status(self, slug: str, status: str) -> Tenant | None: ...
    def add_token(self, token_hash: bytes, slug: str, user_id: UUID, role: str) -> None: ...
    def revoke_tokens(self, slug: str, user_id: UUID, keep_an_admin: bool = False) -> int: ...
    def admins(self, slug: str) -> list[UUID]: ...
    def principal(self, token_hash: bytes) -> Principal | None: ...


class Provisioner(Protocol):
    """Creates (idempotently) everything a tenant's schema needs; never in the request path."""

    def provision(self, slug: str) -> None: ...
    def discard(self, slug: str) -> None: ...  # a tenant whose creation failed part-way
