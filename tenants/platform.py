"""The operator's work: creating, listing, suspending and resuming tenants; issuing tokens."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated, StateConflict
from domain.user import Affiliation
from tenants.cache import TenantApps
from tenants.model import (
    DEFAULT_TIME_ZONE,
    Catalogue,
    Provisioner,
    Tenant,
    check_slug,
    check_time_zone,
)
from tenants.tokens import new_token, token_hash


@dataclass(frozen=True)
class NewTenant:
    tenant: Tenant
    admin_id: UUID
    admin_token: str


@dataclass(frozen=True)
class NewUser:
    user_id: UUID
    token: str
    version: int
    position: int | None


class Platform:
    def __init__(self, catalogue: Catalogue, provisioner: Provisioner, apps: TenantApps) -> None:
        self.catalogue = catalogue
        self.provisioner = provisioner
        self.apps = apps

    def create_tenant(
        self, slug: str, name: str, cause: Cause, time_zone: str = DEFAULT_TIME_ZONE
    ) -> NewTenant:
        check_slug(slug)
        check_time_zone(time_zone)
        if not name.strip():
            raise RuleViolated("a name is required", (FieldError("name", "must not be empty"),))
        # raises StateConflict if the slug is taken
        tenant = self.catalogue.add(slug, name, time_zone)
        try:
            self.provisioner.provision(slug)
            admin = self.add_user(slug, "管理员", "admin", (), cause)
        except Exception:
            # No tenant without its schema and its admin: take the catalogue entry back (its
            # schema, if made, is reused by the next attempt: provisioning is idempotent).
            self.catalogue.remove(slug)
            raise
        return NewTenant(tenant, admin.user_id, admin.token)

    def add_user(
        self, slug: str, name: str, role: str, affiliations: tuple[Affiliation, ...],
        cause: Cause, subject: str | None = None,
    ) -> NewUser:
        app = self.apps.get(slug)
        written = app.register_user(name, role, affiliations, cause, subject)
        token = new_token()
        self.catalogue.add_token(token_hash(token), slug, written.id, role)
        return NewUser(written.id, token, written.version, written.position)

    def rotate_token(self, slug: str, user_id: UUID, cause: Cause) -> str:
        app = self.apps.get(slug)
        user = app.user(user_id)
        self.catalogue.revoke_tokens(slug, user_id)
        token = new_token()
        self.catalogue.add_token(token_hash(token), slug, user_id, user.role)
        app.record_token_issued(user_id, cause)
        return token

    def revoke_token(self, slug: str, user_id: UUID, cause: Cause) -> None:
        app = self.apps.get(slug)
        user = app.user(user_id)
        self.catalogue.revoke_tokens(slug, user_id)
        user.revoke_token(cause)
        app.save(user)

    def upgrade_all(self) -> int:
        """Bring every tenant's schema up to this version (idempotent); run at start-up."""
        tenants = self.catalogue.all()
        for tenant in tenants:
            self.provisioner.provision(tenant.slug)
        return len(tenants)

    def tenant(self, slug: str) -> Tenant:
        tenant = self.catalogue.get(slug)
        if tenant is None:
            raise NotFound(f"no tenant {slug}")
        return tenant

    def set_status(self, slug: str, status: str) -> Tenant:
        current = self.tenant(slug)
        if current.status == status:
            raise StateConflict(f"the tenant is already {status}")
        updated = self.catalogue.set_status(slug, status)
        assert updated is not None
        return updated
