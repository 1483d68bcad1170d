"""The composition root: settings → database → pool → tenants → projector → HTTP app."""

from __future__ import annotations

import os
from pathlib import Path

from adapters.container import Container
from adapters.embedded import start_embedded
from adapters.postgres.activity_records import activity_records
from adapters.postgres.catalogue import PgCatalogue, PgProvisioner, install_catalogue
from adapters.postgres.checkpointer import Checkpointer
from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.pool import APPLICATION_NAME, make_pool
from adapters.postgres.projector import Projector
from adapters.postgres.ratelimits import install_rate_limits
from adapters.postgres.roles import TenantRoles
from adapters.postgres.versions import schema_of
from adapters.settings import Settings
from services.application import TenantApplication
from services.replay import CHECKPOINT_EVERY
from tenants.cache import TenantApps
from tenants.platform import Platform
from tenants.tokens import new_token

# How long the checkpointer waits, at each step, for the projector to finish its catch-up
# (past it, it takes one step anyway: it is slowed, never stopped).
PROJECTOR_FIRST_SECONDS = 0.25
# Connections each process keeps for admitting requests (one short statement each), one per
# thread that admits (``adapters/http/auth.ADMITTING``).
ADMISSION_CONNECTIONS = 2


def database_url(settings: Settings) -> str:
    """The configured server, or an embedded one under the data directory."""
    return settings.database_url or start_embedded(settings.data_dir)


def operator_token(settings: Settings) -> tuple[str, bool]:
    """KAOPING_OPERATOR_TOKEN, or one generated at first start and kept (0600) in the data
    directory. Returns the token and whether it was generated just now."""
    if settings.operator_token:
        return settings.operator_token, False
    path = settings.data_dir / "operator_token"
    if path.exists():
        return path.read_text().strip(), False
    token = new_token()
    write_private(path, token)
    return token, True


def write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def build_container(settings: Settings, conninfo: str, token: str, *, project: bool = True,
                    application_name: str = APPLICATION_NAME) -> Container:
    """``project=False``: an API worker beside a projector process (its projector only
    listens for the positions the views reach)."""
    pool = make_pool(conninfo, max_size=settings.pool_max, application_name=application_name)
    install_catalogue(pool)
    install_rate_limits(pool)
    with pool.connection() as conn:
        roles = TenantRoles.of_database(conn)
    mapper = MsgspecMapper()

    def build(slug: str, create_tables: bool = False) -> TenantApplication:
        return TenantApplication(
            tenant_factory(pool, schema_of(slug), role=roles.name(slug),
                           create_tables=create_tables, snapshotting=True), mapper,
            records=activity_records(pool, roles, slug),
        )

    catalogue = PgCatalogue(pool)
    apps = TenantApps(build, maxsize=settings.tenant_cache)
    platform = Platform(catalogue, PgProvisioner(pool, build, roles), apps)
    projector = Projector(
        pool, conninfo, mapper,
        active_tenants=lambda: [t.slug for t in catalogue.all()],
        roles=roles,
        batch_size=settings.projector_batch,
        project=project,
    )
    container = Container(settings, conninfo, pool, catalogue, apps, platform, projector, token,
                          roles)
    container.admission_pool = make_pool(conninfo, max_size=ADMISSION_CONNECTIONS,
                                          application_name=application_name)
    if project and settings.checkpointer:  # docs/adr/0023
        container.checkpointer = Checkpointer(
            container.app, pool, roles, CHECKPOINT_EVERY,
            pace=lambda: projector.wait_idle(PROJECTOR_FIRST_SECONDS))
        projector.on_caught_up(container.checkpointer.reached)
    catalogue.on_change(container.forget)  # made here: forgotten at once
    projector.on_stale(container.forget, container.listening)  # made anywhere: on notice
    return container
