"""Start-up migration of a tenant's schema names (issue 10).

Releases before it kept a tenant's views in ``t_<slug>_v<n>``: the very name of the event
schema of a tenant whose slug is ``<slug>_v<n>``. Those schemas are renamed to today's
``v_<slug>_<n>`` (see ``adapters.postgres.versions``); renaming keeps every table, row and
owner, so the tenant reads the same at once, with no rebuild.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import structlog
from psycopg import Connection
from psycopg.sql import SQL, Identifier

from adapters.postgres.eventstore import EVENTS_TABLE
from adapters.postgres.projector import LOCK_CLASS
from adapters.postgres.versions import view_schema

log = structlog.get_logger("kaoping.layout")
LOCK_WAIT = "10s"  # how long start-up waits for a projector that still works on the tenant


def old_view_schema(slug: str, version: int) -> str:
    """Where releases before issue 10 kept version ``version`` of a tenant's views."""
    return f"t_{slug}_v{version}"


def rename_old_view_schemas(conn: Connection[Any], slug: str) -> list[str]:
    """Rename the tenant's views from the old names to today's, in the caller's transaction
    (all of them or none); idempotent: once renamed there is nothing left to find. Returns
    the new names.

    A schema of an old name counts as this tenant's views only if it holds views and no event
    store: where two tenants collided, ``t_<slug>_v1`` is the other tenant's event schema and
    stays where it is (this tenant's views are then built again from its own log).
    """
    rows = conn.execute(
        "SELECT n.nspname FROM pg_namespace n WHERE starts_with(n.nspname, %s)"
        " AND EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid"
        "             AND c.relname = 'view_tracking')"
        " AND NOT EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid"
        "                 AND c.relname = %s)"
        " ORDER BY 1", (f"t_{slug}_v", EVENTS_TABLE)).fetchall()
    pattern = re.compile(re.escape(f"t_{slug}_v") + "([1-9][0-9]*)")
    old = [(row["nspname"], int(found[1])) for row in rows
           if (found := pattern.fullmatch(row["nspname"]))]
    if not old:
        return []
    # No projector may be applying a batch to these views meanwhile: take its lock on the
    # tenant (held only while this transaction lasts).
    conn.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_CLASS, slug))
    except psycopg.errors.LockNotAvailable:
        raise RuntimeError(
            f"tenant {slug}: a projector (of an older release?) still works on its views;"
            " stop it, then start kaoping again") from None
    renamed = []
    for name, version in old:
        new = view_schema(slug, version)
        if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (new,)).fetchone():
            log.warning("view_schema_left_alone", tenant=slug, schema=name, exists=new)
            continue
        conn.execute(SQL("ALTER SCHEMA {} RENAME TO {}").format(Identifier(name),
                                                                Identifier(new)))
        renamed.append(new)
    conn.execute("SET LOCAL lock_timeout = DEFAULT")
    log.info("view_schemas_renamed", tenant=slug, schemas=renamed)
    return renamed
