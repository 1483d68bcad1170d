"""`kaoping serve --demo` as a subprocess on a free port against a fresh database, driven
over HTTP through the whole foundation path; then stopped with Ctrl-C and started again."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.flow import Round, create_tenant
from tests.conftest import OPERATOR_TOKEN
from tests.databases import fresh_database as new_database
from tests.web_session import confirm_link

pytestmark = pytest.mark.e2e
KAOPING = str(Path(sys.executable).with_name("kaoping"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fresh_database() -> Iterator[str | None]:
    """A new database on the test server, or None: the server then embeds its own."""
    url = os.environ.get("KAOPING_TEST_DATABASE_URL")
    if not url:
        yield None
        return
    with new_database(url, "kaoping_e2e") as fresh:
        yield fresh


class Server:
    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [KAOPING, "serve", "--demo", *args], env=env, stderr=subprocess.PIPE, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        # Listening, not merely started: uvicorn runs the app's start-up, says "Application
        # startup complete", and only then binds its socket (a request in between is refused:
        # seen once on a loaded machine, at the restart below).
        self.wait_for("Uvicorn running on", timeout=120)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float) -> str:
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"server never said {text!r}: {''.join(seen)}") from None
            seen.append(line)
            if text in line:
                return line

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=60)


def test_serve_runs_the_whole_path_and_restarts_on_the_same_data(fresh_database, private_dir):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_PORT": str(port), "KAOPING_DATA_DIR": str(private_dir / "data"),
            "KAOPING_OPERATOR_TOKEN": OPERATOR_TOKEN, "KAOPING_LOG_FORMAT": "json",
            "KAOPING_READ_WAIT_SECONDS": "60",  # a loaded machine: reads wait for the views
            "KAOPING_WORKERS": "1"}  # one process, the projector inside (see test_workers.py)
    if fresh_database:
        env["KAOPING_DATABASE_URL"] = fresh_database
    base = f"http://127.0.0.1:{port}"

    server = Server(env)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            assert http.get("/readyz").status_code == 200
            admin = create_tenant(http, f"e2e{uuid.uuid4().hex[:8]}", "吴忠市教研室")
            rnd = Round(admin)
            rnd.score(0, rnd.subjects[0], {"1.1": 6, "1.2": 4, "2.1": 10})
            rnd.score(1, rnd.subjects[0], {"1.1": 5, "1.2": 4, "2.1": 9})
            last = rnd.score(2, rnd.subjects[1], {"1.1": 2, "1.2": 2, "2.1": 2})
            board = admin.get(f"/assessments/{rnd.id}/scoreboard", after=last["position"])
            ranks = {r["subject_id"]: (r["final"], r["rank"]) for r in board["rows"]}
            assert ranks == {rnd.subjects[0]: (95.0, 1), rnd.subjects[1]: (30.0, 2)}
            history = admin.get(f"/assessments/{rnd.id}/history")["events"]
            assert sum(e["type"] == "Submitted" for e in history) == 3
            assert "/api/v1/tenants/{tenant}/assessments/{assessment_id}/scoreboard" in (
                http.get("/schema/openapi.json").json()["paths"])
            demo = json.loads((private_dir / "data" / "demo_tokens.json").read_text())
            demo_admin = admin.as_(demo["admin"])
            demo_admin.slug = "demo"
            assert len(demo_admin.get("/schools")) == 37
            seeded = demo_admin.get(f"/assessments/{demo['assessment_id']}")
            groups = [s["group"] for s in seeded["subjects"]]
            assert sorted(map(groups.count, set(groups))) == [10, 11, 16]
            assert seeded["status"] == "open" and seeded["components"][0]["max_points"] == 100
            [printed] = [line for line in server.log if "管理台 (open once in a browser)" in line]
            link = printed.split(base, 1)[1].strip()
            assert confirm_link(http, link).status_code == 303  # the demo admin signs in
            console = http.get("/t/demo/admin")
            assert console.status_code == 200 and "组织机构" in console.text
            assert http.get(link).status_code == 410  # single use
    finally:
        assert server.interrupt() == 0
    logged = [json.loads(line) for line in server.log if line.startswith("{")]
    requests = [entry for entry in logged if entry.get("event") == "request"]
    scored = [r for r in requests if r["route"].endswith("/submit")]
    assert len(scored) == 3 and all(r["tenant"] == admin.slug and r["actor"] and r["request_id"]
                                    and r["status"] == 200 for r in scored)
    assert admin.token not in "".join(line for line in server.log if line.startswith("{"))
    assert OPERATOR_TOKEN not in "".join(server.log)  # set in the environment: never printed

    again = Server(env)  # the same data: nothing is lost, nothing seeded twice
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            board = admin.__class__(http, admin.slug, admin.token).get(
                f"/assessments/{rnd.id}/scoreboard")
            assert {r["subject_id"]: r["rank"] for r in board["rows"]} == {
                rnd.subjects[0]: 1, rnd.subjects[1]: 2}
            tenants = http.get("/api/v1/tenants",
                               headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}).json()
            assert [t["slug"] for t in tenants].count("demo") == 1
    finally:
        assert again.interrupt() == 0
    if fresh_database is None:  # Ctrl-C stopped the embedded PostgreSQL too
        assert not (private_dir / "data" / "pg" / "postmaster.pid").exists()
