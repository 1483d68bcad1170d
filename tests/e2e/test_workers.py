"""`kaoping serve --workers 2`: two HTTP worker processes and one projector process over one
database. Judges write and read their own writes through both workers; the rate limit is one
allowance across them; a worker or the projector that dies comes back; SIGTERM stops all."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psycopg
import pytest

from adapters.http.ratelimit import lease_size
from tests.api.flow import Api, Round, bearer, create_tenant
from tests.conftest import OPERATOR_TOKEN
from tests.databases import fresh_database
from tests.e2e.test_serve import Server, free_port

pytestmark = pytest.mark.e2e
BURST = 40  # every token's allowance; refilled too slowly to matter during the test


def until(condition: Callable[[], Any], timeout: float = 120, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)
    return found


def entries(server: Server) -> list[dict[str, Any]]:
    return [json.loads(line) for line in list(server.log) if line.startswith("{")]


def pids_of(server: Server, event: str) -> list[int]:
    return [e["pid"] for e in entries(server) if e.get("event") == event]


def served_by(server: Server, ids: set[str]) -> list[int] | None:
    """The pids of the processes that served the requests ``ids`` (sent as X-Request-ID),
    once every one of them is logged. Counting by id, not by position in the log: the log
    is read by a thread, so lines of an earlier request may arrive after a position is
    taken."""
    found = {e["request_id"]: e["pid"] for e in entries(server)
             if e.get("event") == "request" and e.get("request_id") in ids}
    return list(found.values()) if len(found) == len(ids) else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited too
        return stat.read().split(") ")[1][0] != "Z"


def sessions(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        return [row[0] for row in conn.execute(
            "SELECT application_name FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name LIKE 'kaoping%'")]


@pytest.fixture
def database() -> Iterator[str]:
    """A new database on the test server (the test looks at the server's sessions)."""
    url = os.environ.get("KAOPING_TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs KAOPING_TEST_DATABASE_URL")
    with fresh_database(url, "kaoping_e2e") as fresh:
        yield fresh


def test_two_workers_and_one_projector_serve_as_one(database, private_dir) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_PORT": str(port), "KAOPING_DATA_DIR": str(private_dir / "data"),
            "KAOPING_OPERATOR_TOKEN": OPERATOR_TOKEN, "KAOPING_LOG_FORMAT": "json",
            "KAOPING_READ_WAIT_SECONDS": "60", "KAOPING_RATE_BURST": str(BURST),
            "KAOPING_RATE_PER_SECOND": "0.001"}
    env["KAOPING_DATABASE_URL"] = database
    base = f"http://127.0.0.1:{port}"
    server = Server(env, "--workers", "2")
    try:
        until(lambda: len(pids_of(server, "Application startup complete.")) == 2, what="2 up")
        workers = set(pids_of(server, "Application startup complete."))
        projector = until(lambda: pids_of(server, "projector_started"), what="projector")
        assert len(projector) == 1 and projector[0] not in workers | {server.proc.pid}
        expected = {f"kaoping-api {pid}" for pid in workers} | {
            f"kaoping-projector {projector[0]}"}
        names = until(lambda: expected <= set(n := sessions(database)) and n,
                      what="each process's pool")
        assert {a for a in names if a.startswith(("kaoping-api ", "kaoping-projector "))} == (
            expected)  # one projector process, not a worker; no other API process

        with httpx.Client(base_url=base, timeout=60) as http:
            admin = create_tenant(http, f"w{uuid.uuid4().hex[:8]}")
            rnd = Round(admin, judges=6)
            assert set(pids_of(server, "projector_active")) == {projector[0]}
        _judges_read_their_own_writes_through_both_workers(base, rnd, server, workers)
        _a_burst_split_across_workers_is_limited_as_one(base, admin, server, workers)
        _a_dead_worker_and_a_dead_projector_come_back(base, server, workers, projector[0])
        children = set(pids_of(server, "Application startup complete.")) | set(
            pids_of(server, "projector_started"))
    finally:
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(timeout=60)
    assert code == 0
    assert not [pid for pid in children if alive(pid)]
    until(lambda: not sessions(database), timeout=30, what="every session closed")


def _judges_read_their_own_writes_through_both_workers(
        base: str, rnd: Round, server: Server, workers: set[int]) -> None:
    run = uuid.uuid4().hex[:12]

    def judge_writes_and_reads(j: int) -> list[tuple[float, float | None]]:
        seen = []
        with httpx.Client(base_url=base, timeout=60,  # a new connection for every request
                          limits=httpx.Limits(max_keepalive_connections=0)) as http:
            judge = Api(http, rnd.admin.slug, rnd.judges[j][1].token)
            for k in range(8):
                subject = rnd.subjects[k % 2]
                wrote = judge.put(rnd.card(subject), {"scores": {"1.1": 1 + (j + k) % 6}},
                                  headers={"X-Request-ID": f"{run}-w{j}-{k}"})
                r = http.get(judge.url(f"/assessments/{rnd.id}/assignments"),
                             params={"after": wrote["position"]},
                             headers={**bearer(judge.token), "X-Request-ID": f"{run}-r{j}-{k}"})
                assert r.status_code == 200, r.text
                total = next(a["total"] for a in r.json() if a["subject_id"] == subject)
                seen.append((wrote["total"], total))
        return seen

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(judge_writes_and_reads, range(6)))
    assert all(written == read for seen in results for written, read in seen)
    ids = {f"{run}-{kind}{j}-{k}" for kind in "wr" for j in range(6) for k in range(8)}
    served = until(lambda: served_by(server, ids), timeout=60, what="every request logged")
    assert len(served) == 96
    assert set(served) == workers  # both workers served


def _a_burst_split_across_workers_is_limited_as_one(
        base: str, admin: Api, server: Server, workers: set[int]) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        token = Api(http, admin.slug, admin.token).post(
            "/users", {"name": "审核员", "role": "auditor"})["token"]
    run = uuid.uuid4().hex[:12]

    def ask(i: int) -> int:  # a new connection each time: the workers share them out
        return httpx.get(f"{base}{admin.url('/schools')}", timeout=60,
                         headers={**bearer(token), "X-Request-ID": f"{run}-{i}"}).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(ask, range(BURST + 20)))
    # One allowance for both workers: never more than the burst in all. Each worker may end
    # holding part of a lease of the bucket it has not spent (adapters/http/ratelimit.py).
    unspent = len(workers) * (lease_size(BURST) - 1)
    assert BURST - unspent <= statuses.count(200) <= BURST
    assert statuses.count(200) + statuses.count(429) == BURST + 20
    served = until(lambda: served_by(server, {f"{run}-{i}" for i in range(BURST + 20)}),
                   timeout=60, what="every request logged")
    assert set(served) == workers


def _a_dead_worker_and_a_dead_projector_come_back(
        base: str, server: Server, workers: set[int], projector: int) -> None:
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    until(lambda: any(f"Child process [{victim}] died" in line for line in server.log),
          what="the dead worker reported")
    until(lambda: len(pids_of(server, "Application startup complete.")) == 3,
          what="a new worker")
    os.kill(projector, signal.SIGKILL)
    died = until(lambda: [e for e in entries(server) if e.get("event") ==
                          "projector_process_died"], what="the dead projector reported")
    assert died[0]["pid"] == server.proc.pid and died[0]["child"] == projector
    until(lambda: len(pids_of(server, "projector_started")) == 2, what="a new projector")
    with httpx.Client(base_url=base, timeout=60) as http:
        assert http.get("/readyz").status_code == 200
