"""Many tenants in one process: latency at 1 tenant against latency spread over T tenants,
and the server connections the process holds (issue 11, target f).

T tenants (default 1,000) each get a small round: a 5-leaf rubric, an assessment of
``SUBJECTS`` schools and one judge, opened. A real `kaoping serve` subprocess serves them. A
client in a process of its own (stdlib http.client, 8 threads, closed loop) alternates a
score write (PUT …/scorecards/…, 5 scores) and a read (GET …/assessments/{id}/assignments),
sending every request either to the first tenant or to a tenant drawn at random from all T.
A third kind of block sends each thread's requests to a tenant of its own (8 tenants, none
contended by two threads: at 1 tenant the threads queue for its one writer lock and wait for
its projector). The kinds of block alternate (1, 8, T, 1, 8, T…) in one run, so all see the
same machine, after a warm-up block that touches every tenant once. While each block runs,
the server's connections are sampled from ``pg_stat_activity`` (every connection to the
bench's database but our own belongs to the server: the set-up's pool is closed first).

    KAOPING_DATABASE_URL=postgresql://…/fresh_db .venv/bin/python bench/many_tenants.py \
        [--tenants 1000] [--seconds 15] [--rounds 2] [--state tenants.json]

``--state FILE`` keeps the tenants made (slugs, tokens, ids) so that a later run on the same
database skips the set-up.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import psycopg
from common import TOKEN, bench_container, until_serving  # bench/ is the script's folder
from run import free_port

from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from domain.rubric import Indicator
from services.setup import ComponentSpec, SetupSpec

OP = Cause("operator", "operator", "bench")
SUBJECTS = 8  # one per client thread, so two threads never write the same card at once
LEAVES = tuple(f"1.{i}" for i in range(1, 6))
THREADS = 8


def rubric() -> tuple[Indicator, ...]:
    return (Indicator("1", "教研工作", weight=Decimal(100), children=tuple(
        Indicator(code, f"指标{code}", max_points=Decimal(20)) for code in LEAVES)),)


def one_tenant(container, n: int) -> dict:
    slug = f"b{n:04d}_{uuid.uuid4().hex[:6]}"
    created = container.platform.create_tenant(slug, f"基准区{n}", OP)
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    rubric_id = app.draft_rubric(f"细则{n}", Decimal("0.5"), rubric(), admin).id
    app.publish_rubric(rubric_id, admin)
    spec = SetupSpec(f"考评{n}", (ComponentSpec("routine", "常态化", rubric_id, 1,
                                                 Decimal(100)),),
                     Aggregation("mean"), 1, (), (RankingGroup("g", "组"),))
    assessment = app.create_assessment(spec, admin).id
    subjects = []
    for i in range(SUBJECTS):
        school = app.register_school(f"{n}区学校{i}", "g", "小学", None, False, admin)
        subjects.append(str(app.add_subject(assessment, "school", school.id, "g", admin)[1]))
    judge = container.platform.add_user(slug, f"{n}区评委", "judge", (), admin)
    app.add_judge(assessment, judge.user_id, admin)
    app.advance(assessment, "open", admin)
    return {"slug": slug, "token": judge.token, "assessment": str(assessment),
            "subjects": subjects}


def set_up(container, count: int) -> list[dict]:
    made: list[dict] = []
    start = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        for tenant in pool.map(lambda n: one_tenant(container, n), range(count)):
            made.append(tenant)
            if len(made) % 50 == 0 or len(made) == count:
                elapsed = time.perf_counter() - start
                print(f"  set up {len(made)}/{count} tenants in {elapsed:.0f} s",
                      file=sys.stderr, flush=True)
    return made


# -- the client (a process of its own) ---------------------------------------------------------

def client(config: dict) -> dict:
    """8 threads, closed loop, for ``seconds``: write, read, write, read… Latencies in ms."""
    tenants, seconds, spread = config["tenants"], config["seconds"], config["spread"]
    host, port = config["host"], config["port"]
    results: dict[str, list[float]] = {"write": [], "read": []}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    touch_all = config.get("touch_all", False)

    def run(index: int) -> None:
        rng = random.Random(index)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: dict[str, list[float]] = {"write": [], "read": []}
        n = 0
        queue = tenants[index::THREADS] if touch_all else None
        while (queue is not None and n < len(queue)) or (
                queue is None and time.perf_counter() < deadline):
            if queue is not None:
                tenant = queue[n]
            elif spread == "all":
                tenant = rng.choice(tenants)
            else:
                tenant = tenants[index if spread == "own" else 0]
            n += 1
            headers = {"Authorization": f"Bearer {tenant['token']}",
                       "Content-Type": "application/json"}
            base = f"/api/v1/tenants/{tenant['slug']}/assessments/{tenant['assessment']}"
            points = [float(20 - (n + i) % 3) for i in range(len(LEAVES))]
            body = json.dumps({"scores": dict(zip(LEAVES, points, strict=True))})
            subject = tenant["subjects"][index % SUBJECTS]
            for kind, method, path, data in (
                    ("write", "PUT", f"{base}/scorecards/{subject}/routine", body),
                    ("read", "GET", f"{base}/assignments", None)):
                began = time.perf_counter()
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                taken = (time.perf_counter() - began) * 1000
                if response.status != 200:
                    with lock:
                        errors.append(f"{method} {response.status}")
                else:
                    mine[kind].append(taken)
        conn.close()
        with lock:
            for kind, values in mine.items():
                results[kind].extend(values)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": results, "errors": errors[:20], "error_count": len(errors)}


# -- the conductor ------------------------------------------------------------------------------

def connections(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " GROUP BY 1 ORDER BY 1").fetchall()
    return {name or "?": count for name, count in rows}


def block(url: str, config: dict) -> tuple[dict, dict[str, int], float]:
    """Run one client process; sample the server's connections while it runs (the most
    seen at once, by application_name)."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--client"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    proc.stdin.write(json.dumps(config))
    proc.stdin.close()
    answer: list[str] = []  # read as it comes: a full pipe would stall the client
    reader = threading.Thread(target=lambda: answer.append(proc.stdout.read()))
    reader.start()
    most: dict[str, int] = {}
    while proc.poll() is None:
        seen = connections(url)
        if sum(seen.values()) > sum(most.values()):
            most = seen
        time.sleep(0.25)
    reader.join()
    result = json.loads(answer[0])
    return result, most, time.perf_counter() - began


def pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    if "--client" in sys.argv:
        print(json.dumps(client(json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--state", type=Path, default=None)
    parser.add_argument("--env", action="append", default=[], metavar="KAOPING_X=VALUE",
                        help="a setting of the server (repeatable)")
    args = parser.parse_args()

    container, url, tmp = bench_container()
    try:
        if args.state and args.state.exists():
            tenants = json.loads(args.state.read_text())
        else:
            print(f"setting up {args.tenants} tenants…", file=sys.stderr, flush=True)
            began = time.perf_counter()
            tenants = set_up(container, args.tenants)
            print(f"set-up took {time.perf_counter() - began:.0f} s", file=sys.stderr)
            if args.state:
                args.state.write_text(json.dumps(tenants))
    finally:
        container.close()  # from here on, every connection to the database is the server's
    tenants = tenants[:args.tenants]

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json",
            # One judge token per tenant: at 1 tenant, 8 threads share it.
            "KAOPING_RATE_PER_SECOND": "1000000", "KAOPING_RATE_BURST": "1000000"}
    env |= dict(setting.split("=", 1) for setting in args.env)
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    began = time.perf_counter()
    server = subprocess.Popen([kaoping, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    rows = []
    try:
        until_serving(server.stderr)
        started = time.perf_counter() - began
        print(f"server pid {server.pid} started in {started:.0f} s", file=sys.stderr, flush=True)
        threading.Thread(target=server.stderr.read, daemon=True).start()
        common = {"host": "127.0.0.1", "port": port, "tenants": tenants}
        warm, warm_conns, warm_took = block(url, {**common, "seconds": 0, "spread": "all",
                                                  "touch_all": True})
        kinds = (("1", "one"), ("8", "own"), ("T", "all"))
        samples: dict[str, dict[str, list[float]]] = {
            name: {"write": [], "read": []} for name, _ in kinds}
        conns: dict[str, dict[str, int]] = {name: {} for name, _ in kinds}
        errors = warm["error_count"]
        for _ in range(args.rounds):
            for name, spread in kinds:
                result, most, _ = block(url, {**common, "seconds": args.seconds,
                                              "spread": spread})
                errors += result["error_count"]
                if result["errors"]:
                    print("errors:", result["errors"], file=sys.stderr)
                for kind in ("write", "read"):
                    samples[name][kind] += result["latencies"][kind]
                if sum(most.values()) > sum(conns[name].values()):
                    conns[name] = most
        for kind in ("write", "read"):
            one, own, many = samples["1"][kind], samples["8"][kind], samples["T"][kind]
            rows.append((kind, len(one), pct(one, 50), pct(one, 99),
                         len(many), pct(many, 50), pct(many, 99),
                         len(own), pct(own, 50), pct(own, 99)))
    finally:
        server.terminate()
        server.wait(timeout=60)
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"{len(tenants)} tenants, each a 5-leaf rubric, {SUBJECTS} subjects, 1 judge;"
          f" {THREADS} client threads, closed loop, write+read alternately;"
          f" {args.rounds} × {args.seconds:.0f} s per kind of block, alternating")
    print(f"server start-up: {started:.1f} s; warm-up (every tenant once): {warm_took:.1f} s;"
          f" failed requests: {errors}")
    print("1: every request to one tenant; T: to a tenant drawn from all; 8: each thread to a"
          " tenant of its own (no two requests contend for one tenant). Latencies in ms.")
    print(f"{'':6} {'n@1':>6} {'p50@1':>7} {'p99@1':>7} {'n@T':>6} {'p50@T':>7} {'p99@T':>7}"
          f" {'n@8':>6} {'p50@8':>7} {'p99@8':>7} {'p50 T/1':>8} {'p50 T/8':>8}")
    for kind, n1, p50_1, p99_1, nt, p50_t, p99_t, n8, p50_8, p99_8 in rows:
        print(f"{kind:6} {n1:6d} {p50_1:7.1f} {p99_1:7.1f} {nt:6d} {p50_t:7.1f} {p99_t:7.1f}"
              f" {n8:6d} {p50_8:7.1f} {p99_8:7.1f} {p50_t / p50_1:8.2f} {p50_t / p50_8:8.2f}")
    for name, label in (("1", "1 tenant"), ("8", "8 tenants"),
                        ("T", f"{len(tenants)} tenants")):
        held = conns[name]
        print(f"server connections at {label}: {sum(held.values())}  {held}")
    print(f"during the warm-up: {sum(warm_conns.values())}  {warm_conns}")


if __name__ == "__main__":
    main()
