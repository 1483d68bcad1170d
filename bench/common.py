"""What the benchmarks share: a database, a container, a tenant with the 珠晖 rubric."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier

from adapters.bootstrap import build_container
from adapters.container import Container
from adapters.embedded import start_embedded
from adapters.postgres.roles import TenantRoles, drop_role
from adapters.settings import Settings
from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from services.setup import ComponentSpec, SetupSpec
from tenants.templates import rubric_template

TOKEN = "kp_bench_operator_token"


def bench_container(url: str | None = None) -> tuple[Container, str, Path]:
    """``url``, else KAOPING_DATABASE_URL if set, else an embedded PostgreSQL in a temporary
    folder."""
    tmp = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    url = url or os.environ.get("KAOPING_DATABASE_URL") or start_embedded(tmp)
    settings = Settings.from_env({"KAOPING_DATA_DIR": str(tmp), "KAOPING_POOL_MAX": "10",
                                  # on unless KAOPING_CHECKPOINTER=0 (docs/adr/0023)
                                  "KAOPING_CHECKPOINTER": os.environ.get(
                                      "KAOPING_CHECKPOINTER", "1")})
    return build_container(settings, url, TOKEN), url, tmp


def bench_tenant(container: Container, prefix: str) -> tuple[str, Cause, SetupSpec]:
    """A new tenant with the 珠晖 rubric published, and an assessment set-up using it."""
    slug = f"{prefix}_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准测试区",
                                               Cause("operator", "operator", "bench"))
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    name, step, indicators = rubric_template()
    rubric = app.draft_rubric(name, step, indicators, admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("基准", (ComponentSpec("routine", "常态化", rubric.id, 1, Decimal(100)),),
                     Aggregation("trimmed_mean"), 1, (), (RankingGroup("g", "组"),))
    return slug, admin, spec


@contextmanager
def fresh_database(server_url: str, prefix: str = "kaoping_bench") -> Iterator[str]:
    """A new database on the server at ``server_url``, dropped afterwards with its tenants'
    roles (roles are cluster-wide, so they would outlive the database)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    url = make_conninfo(**{**conninfo_to_dict(server_url), "dbname": name})
    try:
        yield url
    finally:
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
            prefix_of_roles = TenantRoles.of_database(conn).prefix
            for row in conn.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                                    (prefix_of_roles,)).fetchall():
                drop_role(conn, row["rolname"])
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


def until_serving(log: Iterable[str], workers: int = 1) -> None:
    """Read the server's log until it serves: every worker has started up and the socket
    listens. One process binds after its start-up ("Application startup complete" comes
    first), several after the parent has bound it; so both lines are waited for."""
    listening, up = False, 0
    for line in log:
        listening = listening or "Uvicorn running on" in line
        up += "Application startup complete" in line
        if listening and up >= workers:
            return
    raise RuntimeError("kaoping serve stopped before it served")
