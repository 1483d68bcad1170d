"""What the HTTP layer costs a score write (issue 11, target c), measured in one run.

Starts a real `kaoping serve` and has a client of its own process (stdlib http.client, one
persistent connection per thread, N threads, closed loop) PUT 5-leaf scorecards through it;
the same writes are made by calling `TenantApplication.record_scores` directly, from N
threads of this process, against the same database. Rounds alternate (direct, HTTP, direct,
HTTP, ...) on fresh assessments of the same shape, so drift in the machine's load falls on
both. Then two reads show the framework's floor: `GET /healthz` (no token, no database) and
`GET …/settings/rounding` (a token, and one small service call).

    .venv/bin/python bench/http_overhead.py [--clients 8] [--subjects 40] [--passes 2]
        [--rounds 2] [--profile DIR]

With ``--profile DIR``, py-spy (`pip install py-spy`) samples the server during each HTTP
write round (DIR/writes-<n>.txt, collapsed stacks) and the token read
(DIR/reads.txt). Uses KAOPING_DATABASE_URL if set, otherwise an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from common import TOKEN, bench_container  # bench/ is the script's folder

from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from domain.rubric import Indicator
from domain.scorecard import CardKey
from services.setup import ComponentSpec, SetupSpec

LEAVES = 5


def five_leaf_tenant(container, prefix: str):
    slug = f"{prefix}_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准测试区",
                                               Cause("operator", "operator", "bench"))
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    indicators = tuple(Indicator(str(i + 1), f"要求{i + 1}", max_points=Decimal(20))
                       for i in range(LEAVES))
    rubric = app.draft_rubric("五项细则", Decimal("0.5"), indicators, admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("基准", (ComponentSpec("routine", "常态化", rubric.id, 1, Decimal(100)),),
                     Aggregation("trimmed_mean"), 1, (), (RankingGroup("g", "组"),))
    return slug, app, admin, spec


def new_round(container, slug, app, admin, spec, tag: str, judges: int, subjects: int):
    assessment = app.create_assessment(spec, admin).id
    subject_ids = []
    for i in range(subjects):
        school = app.register_school(f"{tag}学校{i}", "g", "小学", None, False, admin)
        subject_ids.append(app.add_subject(assessment, "school", school.id, "g", admin)[1])
    seats = []
    for j in range(judges):
        user = container.platform.add_user(slug, f"{tag}评委{j}", "judge", (), admin)
        app.add_judge(assessment, user.user_id, admin)
        seats.append((user.user_id, user.token))
    app.advance(assessment, "open", admin)
    return assessment, subject_ids, seats


def scores(n: int) -> dict[str, Decimal]:
    return {str(i + 1): Decimal(20) - Decimal(n % 5) * Decimal("0.5") for i in range(LEAVES)}


def writes_of(subjects, passes: int) -> list[tuple[int, object]]:
    return [(n, subject) for n in range(passes) for subject in subjects]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process and its live children (``serve``'s workers) have
    used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return own + sum(cpu_seconds(int(kid)) for kid in kids)


def workers_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of each of ``serve``'s worker processes (its children)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return {int(kid): cpu_seconds(int(kid)) for kid in kids}


def machine_busy() -> tuple[float, float]:
    """Seconds of CPU the whole machine has spent busy and in all, so far (/proc/stat)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), sum(fields) / os.sysconf(
        "SC_CLK_TCK")


def direct(app, assessment, subjects, seats, passes: int) -> tuple[int, float]:
    barrier = threading.Barrier(len(seats))

    def judge(seat):
        judge_id, _ = seat
        cause = Cause(str(judge_id), "judge", "bench")
        barrier.wait()
        for n, subject in writes_of(subjects, passes):
            app.record_scores(CardKey(assessment, subject, "routine", judge_id), scores(n),
                              cause)

    start = time.perf_counter()
    with ThreadPoolExecutor(len(seats)) as pool:
        list(pool.map(judge, seats))
    return len(seats) * len(subjects) * passes, time.perf_counter() - start


def client_main(plan_path: str) -> None:
    """The client process: each thread sends its requests over one kept-alive connection."""
    plan = json.loads(Path(plan_path).read_text())
    barrier = threading.Barrier(len(plan["threads"]) + 1)
    latencies: list[float] = []
    failures: list[str] = []

    def run(requests):
        conn = http.client.HTTPConnection("127.0.0.1", plan["port"], timeout=60)
        conn.connect()
        barrier.wait()
        mine = []
        for method, path, headers, body in requests:
            t0 = time.perf_counter()
            conn.request(method, path, body=body.encode() if body else None, headers=headers)
            response = response_of(conn)
            data = response.read()
            mine.append(time.perf_counter() - t0)
            if response.status != 200:
                failures.append(f"{response.status} {data[:300]!r}")
        latencies.extend(mine)
        conn.close()

    threads = [threading.Thread(target=run, args=(requests,)) for requests in plan["threads"]]
    for thread in threads:
        thread.start()
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()  # not the start-up's imports
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    print(json.dumps({"count": len(latencies), "elapsed": elapsed, "failures": failures[:5],
                      "cpu": time.process_time() - cpu,
                      "failed": len(failures),
                      "p50": statistics.median(latencies) if latencies else None}))


def response_of(conn: http.client.HTTPConnection) -> http.client.HTTPResponse:
    return conn.getresponse()


def over_http(port: int, threads: list[list[tuple[str, str, dict[str, str], str]]],
              tmp: Path, profile: Path | None, server_pid: int) -> dict[str, float]:
    plan = tmp / "plan.json"
    plan.write_text(json.dumps({"port": port, "threads": threads}))
    spy = None
    if profile is not None:
        py_spy = str(Path(sys.executable).with_name("py-spy"))
        spy = subprocess.Popen([py_spy, "record", "--pid", str(server_pid), "--rate", "250",
                                "--format", "raw", "--gil", "--nonblocking", "--subprocesses",
                                "-o", str(profile)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # py-spy attaches
    try:
        out = subprocess.run([sys.executable, __file__, "--client", str(plan)], check=True,
                             capture_output=True, text=True).stdout
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
    result = json.loads(out)
    if result["failed"]:
        raise SystemExit(f"{result['failed']} requests failed, e.g. {result['failures']}")
    return result  # type: ignore[no-any-return]


def put_plan(slug, assessment, subjects, seats, passes):
    threads = []
    for _, token in seats:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        requests = []
        for n, subject in writes_of(subjects, passes):
            body = json.dumps({"scores": {k: float(v) for k, v in scores(n).items()}})
            requests.append(("PUT", f"/api/v1/tenants/{slug}/assessments/{assessment}"
                                    f"/scorecards/{subject}/routine", headers, body))
        threads.append(requests)
    return threads


def get_plan(path: str, token: str | None, clients: int, per_client: int):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return [[("GET", path, headers, "")] * per_client for _ in range(clients)]


def direct_reads(app, clients: int, per_client: int) -> tuple[int, float]:
    def reader(_):
        for _ in range(per_client):
            app.settings()

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(reader, range(clients)))
    return clients * per_client, time.perf_counter() - start


def start(command: str, url: str, tmp: Path, port: int, until: str) -> subprocess.Popen[str]:
    """``kaoping <command>``, once it has logged ``until``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json",
            # the limits are not what is measured here (their cost still is)
            "KAOPING_RATE_PER_SECOND": "100000", "KAOPING_RATE_BURST": "100000"}
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    process = subprocess.Popen([kaoping, command], env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if until in line:
            break
    # Keep draining its log (one line per request), or a full pipe would stall it.
    threading.Thread(target=process.stderr.read, daemon=True).start()
    return process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--subjects", type=int, default=40)
    parser.add_argument("--passes", type=int, default=2, help="writes per card")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reads", type=int, default=300, help="GETs per client")
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--client", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args.client)
        return
    container, url, tmp = bench_container()
    port = free_port()
    # The projector runs in a process of its own (as `kaoping serve --workers` will have
    # it), started before the tenant exists, so it, not the server, projects the tenant:
    # otherwise it would share the server's interpreter lock in the HTTP rounds only.
    projector = start("projector", url, tmp, port, "projector_started")
    slug, app, admin, spec = five_leaf_tenant(container, "overhead")
    server = start("serve", url, tmp, port, "Uvicorn running on")  # listening
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[float]] = {"direct": [], "http": [], "http_p50": [],
                                       "direct_cpu": [], "direct_server_cpu": [],
                                       "http_cpu": [], "direct_projector_cpu": [],
                                       "http_projector_cpu": [], "http_client_cpu": [],
                                       "http_busiest": [],
                                       "direct_busy": [], "http_busy": []}
    me = os.getpid()
    try:
        for r in range(args.rounds):
            for path in ("direct", "http"):
                assessment, subjects, seats = new_round(container, slug, app, admin, spec,
                                                        f"{path}{r}", args.clients,
                                                        args.subjects)
                mine, its = cpu_seconds(me), cpu_seconds(server.pid)
                workers = workers_cpu(server.pid)
                projecting = cpu_seconds(projector.pid)
                busy, whole = machine_busy()
                if path == "direct":
                    count, elapsed = direct(app, assessment, subjects, seats, args.passes)
                    results["direct"].append(count / elapsed)
                    results["direct_cpu"].append((cpu_seconds(me) - mine) / count * 1000)
                    results["direct_server_cpu"].append(
                        (cpu_seconds(server.pid) - its) / count * 1000)
                else:
                    plan = put_plan(slug, assessment, subjects, seats, args.passes)
                    profile = args.profile / f"writes-{r}.txt" if args.profile else None
                    out = over_http(port, plan, tmp, profile, server.pid)
                    count = out["count"]
                    results["http"].append(count / out["elapsed"])
                    results["http_p50"].append(out["p50"] * 1000)
                    results["http_cpu"].append((cpu_seconds(server.pid) - its) / count * 1000)
                    results["http_client_cpu"].append(out["cpu"] / count * 1000)
                    # Kept-alive connections stay with the worker that accepted them: the
                    # busiest worker's share says how evenly the clients were spread.
                    spent = [cpu - workers.get(pid, 0.0)
                             for pid, cpu in workers_cpu(server.pid).items()]
                    results["http_busiest"].append(max(spent) / sum(spent) if spent else 1.0)
                busy_after, whole_after = machine_busy()
                results[f"{path}_busy"].append((busy_after - busy) / (whole_after - whole))
                results[f"{path}_projector_cpu"].append(
                    (cpu_seconds(projector.pid) - projecting) / count * 1000)
        _, _, seats = new_round(container, slug, app, admin, spec, "reads", 1, 1)
        token = seats[0][1]
        its = cpu_seconds(server.pid)
        health = over_http(port, get_plan("/healthz", None, args.clients, args.reads), tmp,
                           None, server.pid)
        health_cpu = (cpu_seconds(server.pid) - its) / health["count"] * 1000
        rounding = f"/api/v1/tenants/{slug}/settings/rounding"
        its = cpu_seconds(server.pid)
        read = over_http(port, get_plan(rounding, token, args.clients, args.reads), tmp,
                         args.profile / "reads.txt" if args.profile else None, server.pid)
        read_cpu = (cpu_seconds(server.pid) - its) / read["count"] * 1000
        mine = cpu_seconds(me)
        read_direct = direct_reads(app, args.clients, args.reads)
        read_direct_cpu = (cpu_seconds(me) - mine) / read_direct[0] * 1000
    finally:
        for process in (server, projector):
            process.terminate()
            process.wait(timeout=30)
        container.close()
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"{args.clients} clients; {LEAVES}-leaf card PUTs, {args.subjects} subjects ×"
          f" {args.passes} writes per card per client; rounds alternate direct/HTTP")
    for r in range(args.rounds):
        d, h = results["direct"][r], results["http"][r]
        print(f"  round {r}: direct {d:6.1f}/s   HTTP {h:6.1f}/s (p50"
              f" {results['http_p50'][r]:5.1f} ms)   ratio {h / d:.2f}   CPU ms per write:"
              f" direct {results['direct_cpu'][r]:.2f} (+ idle server"
              f" {results['direct_server_cpu'][r]:.2f}), HTTP server {results['http_cpu'][r]:.2f}"
              f"; projector process: {results['direct_projector_cpu'][r]:.2f} /"
              f" {results['http_projector_cpu'][r]:.2f}; HTTP client process"
              f" {results['http_client_cpu'][r]:.2f}; busiest worker's share of the server's"
              f" CPU {results['http_busiest'][r]:.0%}; machine busy: direct"
              f" {results['direct_busy'][r]:.0%}, HTTP {results['http_busy'][r]:.0%}")
    d, h = statistics.median(results["direct"]), statistics.median(results["http"])
    ratio = statistics.median(h / d for h, d in zip(results["http"], results["direct"],
                                                    strict=True))
    extra = [h - d - p for h, d, p in zip(results["http_cpu"], results["direct_cpu"],
                                          results["direct_server_cpu"], strict=True)]
    print(f"score writes/s, median: direct {d:.1f}, HTTP {h:.1f};"
          f" median ratio HTTP/direct {ratio:.2f}")
    print(f"server CPU per write that HTTP adds (HTTP server − direct − idle server), median:"
          f" {statistics.median(extra):.2f} ms")
    hr = health["count"] / health["elapsed"]
    rr = read["count"] / read["elapsed"]
    dr = read_direct[0] / read_direct[1]
    print(f"GET /healthz (no token):            {hr:7.1f}/s, server CPU {health_cpu:.3f} ms each")
    print(f"GET …/settings/rounding (token):    {rr:7.1f}/s, server CPU {read_cpu:.3f} ms each")
    print(f"    app.settings() called directly: {dr:7.1f}/s, CPU {read_direct_cpu:.3f} ms each")


if __name__ == "__main__":
    main()
