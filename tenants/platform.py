"""The operator's work: creating, listing, suspending and resuming tenants; issuing tokens."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated, StateConflict
from domain.records import check_active, check_archivable
from domain.user import Affiliation, User
from services.base import Written
from tenants.cache import TenantApps
from tenants.model import (
    DEFAULT_TIME_ZONE,
    Catalogue,
    Provisioner,
    Tenant,
    check_slug,
    check_time_zone,
)
from tenants.presets import Setting, apply_preset, check_preset, school_year_of
from tenants.tokens import new_token, token_hash


@dataclass(frozen=True)
class NewTenant:
    tenant: Tenant
    admin_id: UUID
    admin_token: str


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user_id: UUID
    name: str


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
        self, slug: str, name: str, cause: Cause, time_zone: str = DEFAULT_TIME_ZONE,
        preset: str | None = None,
    ) -> NewTenant:
        """``preset``: set the tenant up as its district's document describes (区县预设)."""
        check_slug(slug)
        check_time_zone(time_zone)
        check_preset(preset)
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
        if preset is not None:
            self.set_up(tenant, preset, cause)
        return NewTenant(tenant, admin.user_id, admin.token)

    def set_up(self, tenant: Tenant, preset: str, cause: Cause) -> None:
        """All or nothing: a preset that fails part-way takes the whole tenant with it — its
        catalogue entry, its tokens, its schemas — so no half-made tenant is left."""
        setting = Setting(self.apps.get(tenant.slug), cause.because(f"区县预设 {preset}"),
                          school_year_of(tenant.created_at, tenant.time_zone), tenant.time_zone)
        try:
            apply_preset(preset, setting)
        except Exception:
            self.catalogue.remove(tenant.slug)
            self.apps.forget(tenant.slug)
            self.provisioner.discard(tenant.slug)
            raise

    def add_user(
        self, slug: str, name: str, role: str, affiliations: tuple[Affiliation, ...],
        cause: Cause, subject: str | None = None, scope: UUID | None = None,
    ) -> NewUser:
        app = self.apps.get(slug)
        written = app.register_user(name, role, affiliations, cause, subject, scope)
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
        self.catalogue.revoke_tokens(slug, user_id, keep_an_admin=True)
        user.revoke_token(cause)
        app.save(user)

    def archive_user(self, slug: str, user_id: UUID, cause: Cause,
                     expected_version: int | None = None) -> Written:
        """An archived person can no longer sign in: their tokens are revoked (never the
        tenant's last admin token)."""
        app = self.apps.get(slug)
        user = app.user(user_id)
        app.check_version(user, expected_version)
        check_archivable(user, cause)
        self.catalogue.revoke_tokens(slug, user_id, keep_an_admin=True)
        return app.archive_record("user", user_id, cause)

    def issue_admin_token(self, slug: str, cause: Cause,
                          user_id: UUID | None = None) -> IssuedToken:
        """补发: the operator gives an admin of the tenant a new token (their other tokens
        keep working); the tenant's log records it, with the operator as the actor."""
        self.tenant(slug)
        app = self.apps.get(slug)
        admin = app.user(user_id) if user_id else self.first_admin(slug)
        if admin.role != "admin":
            raise RuleViolated(f"{admin.name} is not an admin",
                               (FieldError("user_id", "not an admin"),))
        check_active(admin, "user_id")
        token = new_token()
        self.catalogue.add_token(token_hash(token), slug, admin.id, "admin")
        app.record_token_issued(admin.id, cause)
        return IssuedToken(token, admin.id, admin.name)

    def first_admin(self, slug: str) -> User:
        """The tenant's first admin still active (a demo's sign-in link goes to them)."""
        app = self.apps.get(slug)
        for admin_id in self.catalogue.admins(slug):
            admin = app.load_or_none(User, admin_id)
            if admin is not None and not admin.archived:
                return admin  # type: ignore[no-any-return]
        raise StateConflict("the tenant has no admin left to give a token to")

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
