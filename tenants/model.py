"""What the platform knows about a tenant and about whoever presents a token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.errors import FieldError, RuleViolated

SLUG = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
STATUSES = ("active", "suspended")


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


@dataclass(frozen=True)
class Principal:
    """Who is calling: the operator (no tenant) or a user of one tenant, with one role."""

    role: str
    user_id: UUID | None = None
    tenant: str | None = None
    tenant_status: str | None = None

    @property
    def actor_id(self) -> str:
        return str(self.user_id) if self.user_id else "operator"


class Catalogue(Protocol):
    """The platform's list of tenants and the hashes of their tokens (schema ``kaoping``)."""

    def add(self, slug: str, name: str) -> Tenant: ...
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
