"""`kaoping projector` killed with SIGKILL mid-run: a standby takes over, and the views
equal a clean rebuild (no event lost, none applied twice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from psycopg.sql import SQL, Identifier

from adapters.postgres.rebuild import rebuild
from adapters.postgres.versions import view_schema
from domain.school import School
from tests.conftest import OPERATOR_TOKEN
from tests.integration.scenario import scored_assessment

pytestmark = pytest.mark.e2e
KAOPING = str(Path(sys.executable).with_name("kaoping"))
TABLES = {"schools": "id", "history": "position", "boards": "assessment_id", "users": "id"}


class Projector:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([KAOPING, "projector"], env=env, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: list[str] = []
        self.started = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.started.wait(60), "".join(self.lines)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)
            if "projector_started" in line:
                self.started.set()

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)


def until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


def a_projector_is_blocked(container) -> bool:
    """Whether a kaoping session waits on a lock (only the projector's can: the test holds
    the tracking row and nothing else runs)."""
    with container.pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'kaoping'"
            " AND wait_event_type = 'Lock'").fetchone()
    return row["n"] > 0


def snapshot(container, schema: str) -> dict[str, list]:
    with container.pool.connection() as conn:
        return {table: conn.execute(SQL("SELECT * FROM {}.{} ORDER BY {}").format(
            Identifier(schema), Identifier(table), Identifier(key))).fetchall()
            for table, key in TABLES.items()}


def test_a_killed_projector_is_replaced_and_the_views_equal_a_rebuild(
    container, make_tenant, database_url, tmp_path
) -> None:
    tenant = make_tenant()  # the test session's own projector does not follow it
    scored_assessment(tenant)
    for batch in range(20):
        if batch == 10:  # half the log is projected before the projector process starts
            container.projector.catch_up(tenant.slug)
        tenant.app.save(*[School.register(f"学校{batch}-{i}", "g", "小学", None, False,
                                          tenant.admin) for i in range(250)])
    head = tenant.app.position()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": database_url, "KAOPING_DATA_DIR": str(tmp_path),
            "KAOPING_OPERATOR_TOKEN": OPERATOR_TOKEN, "KAOPING_PROJECTOR_BATCH": "40",
            "KAOPING_LOG_FORMAT": "json"}
    position = lambda: container.projector.position(tenant.slug)  # noqa: E731

    with container.pool.connection() as hold, hold.transaction():
        # Hold the tracking row: the projector's next batch blocks inside its transaction,
        # where the SIGKILL finds it.
        hold.execute(SQL("SELECT position FROM {}.view_tracking FOR UPDATE").format(
            Identifier(view_schema(tenant.slug, 1))))
        first = Projector(env)
        until(lambda: a_projector_is_blocked(container) or first.proc.poll() is not None)
        assert first.proc.poll() is None, "".join(first.lines)
        standby = Projector(env)  # the tenant's advisory lock is the first's: it waits
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=30)
    killed_at = position()
    assert 0 < killed_at < head, "killed before it finished"
    try:
        until(lambda: position() == head)  # the standby took the lock over and finished
        assert standby.said(f'"tenant": "{tenant.slug}"') and standby.said("projector_active")
    finally:
        standby.proc.terminate()
        standby.proc.wait(timeout=30)

    before = snapshot(container, view_schema(tenant.slug, 1))
    version, reached = rebuild(container.pool, container.projector, container.roles,
                               tenant.slug)
    assert (version, reached) == (2, head)
    after = snapshot(container, view_schema(tenant.slug, 2))
    assert len(after["schools"]) == 5002 and after["history"] and after["boards"]
    assert before == after
