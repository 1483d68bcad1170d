"""Score writes by round size (issue 11's targets a–d), each beside a baseline of the same run.

For each round size J judges × S subjects, a tenant of its own with a rubric of 5 leaves
(step 0.5) and two opened assessments of one component with the same J judges and S schools:

- over HTTP: a real `kaoping serve` subprocess, and a client in a process of its own
  (bench/write_client.py: stdlib ``http.client``, K threads, one persistent connection each,
  closed loop). Each request is one ``PUT …/scorecards/{subject}/{component}`` of 5 scores
  for a (judge, subject) card: a new card, or, once the thread's judges have scored all their
  subjects, a new version of the same cards (every score changed). Only the PUT is timed, no
  submit. → cards/s, p50, p99.
- directly: the same writes (same plan, same scores) through ``TenantApplication.
  record_scores`` with K threads in this process, on the second assessment. → (c) HTTP/direct.
- projector lag (d), during the HTTP writes: from a write's answer to the moment the server's
  projector announces (NOTIFY kaoping_projected "<slug> <position>") views that include the
  position the PUT answered. Both times are CLOCK_MONOTONIC, which the processes share.

(b) is the 50×1000 rate over the 32×40 rate. Then, with the server stopped (so no projector
runs), a tenant with a 32×200 round gets card writes until its log holds ``--catch-up``
events (the events ``record_scores`` writes, saved 200 cards per transaction so that the pile
grows fast), and ``Projector.catch_up`` fills a new version of its views from position 0
(what ``kaoping rebuild`` does) → events/s (d).

    .venv/bin/python bench/writes.py [--sizes 32x40,32x200,8x400,50x1000] [--threads 8]
                                     [--seconds 10] [--warmup 2] [--repeat 1]
                                     [--catch-up 20000] [--peer] [--fresh-database]

Uses KAOPING_DATABASE_URL if set (with ``--fresh-database``: in a new database on that server,
dropped afterwards), otherwise an embedded PostgreSQL in a temporary folder. ``--peer`` also
measures the Django review system of bench/peer/ with the same client (``pip install -e
".[bench]"``). ``--repeat 3`` runs HTTP, direct and peer in turn three times per size and
reports medians: on a shared machine one 10 s window can be off by half.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from common import (  # bench/ is the script's folder
    TOKEN,
    bench_container,
    fresh_database,
    until_serving,
)
from psycopg.sql import SQL, Identifier
from run import free_port
from write_client import Write, closed_loop, scores_for

from adapters.container import Container
from adapters.postgres.projector import PROJECTED_CHANNEL
from adapters.postgres.roles import acting_as
from adapters.postgres.versions import create_version, current_version, drop_version
from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from domain.rubric import Indicator, Leaf
from domain.scorecard import CardKey, Scorecard
from services.setup import ComponentSpec, SetupSpec

HERE = Path(__file__).resolve().parent
COMPONENT = "routine"
TOP = 20.0  # each of the 5 leaves is worth 20 points: 100 in all
CODES = [f"L{i}" for i in range(1, 6)]


@dataclass(frozen=True)
class Round:
    slug: str
    assessment: UUID
    subjects: list[str]  # subject ids in this assessment
    judges: list[tuple[UUID, str]]  # (user id, token)


def five_leaf_tenant(container: Container, prefix: str) -> tuple[str, Cause, SetupSpec]:
    slug = f"{prefix}_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准测试区",
                                               Cause("operator", "operator", "bench"))
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    leaves = tuple(Indicator(code, f"指标{code}", max_points=Decimal(str(TOP)))
                   for code in CODES)
    rubric = app.draft_rubric("五项指标", Decimal("0.5"), leaves, admin,
                              total=Decimal(str(TOP * len(CODES))))
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("基准", (ComponentSpec(COMPONENT, "常态化", rubric.id, 1, Decimal(100)),),
                     Aggregation("trimmed_mean"), 1, (), (RankingGroup("g", "组"),))
    return slug, admin, spec


def set_up(container: Container, prefix: str, judges: int, subjects: int,
           assessments: int) -> list[Round]:
    """A tenant; its S schools and J judges (names are unique in a tenant: registered once),
    on ``assessments`` opened assessments of the same shape."""
    slug, admin, spec = five_leaf_tenant(container, prefix)
    app = container.app(slug)
    schools = [app.register_school(f"学校{i}", "g", "小学", None, False, admin).id
               for i in range(subjects)]
    users = [container.platform.add_user(slug, f"评委{j}", "judge", (), admin)
             for j in range(judges)]
    rounds = []
    for _ in range(assessments):
        assessment = app.create_assessment(spec, admin).id
        ids = [str(app.add_subject(assessment, "school", school, "g", admin)[1])
               for school in schools]
        for user in users:
            app.add_judge(assessment, user.user_id, admin)
        app.advance(assessment, "open", admin)
        rounds.append(Round(slug, assessment, ids, [(u.user_id, u.token) for u in users]))
    return rounds


# -- the three ways of writing -----------------------------------------------------------------

def over_http(port: int, threads: int, warmup: float, seconds: float, path: str,
              judges: list[dict[str, str]], subjects: list[str], skip: list[int] | None,
              kind: str = "kaoping") -> dict[str, Any]:
    """The client process: stdin the job, stdout what it measured."""
    job = {"kind": kind, "host": "127.0.0.1", "port": port, "threads": threads,
           "warmup": warmup, "seconds": seconds, "codes": CODES, "top": TOP, "path": path,
           "judges": judges, "subjects": subjects, "skip": skip}
    done = subprocess.run([sys.executable, str(HERE / "write_client.py")],
                          input=json.dumps(job), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the write client failed:\n{done.stderr}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def kaoping_over_http(port: int, r: Round, threads: int, warmup: float, seconds: float,
                      skip: list[int] | None) -> dict[str, Any]:
    return over_http(port, threads, warmup, seconds,
                     f"/api/v1/tenants/{r.slug}/assessments/{r.assessment}"
                     f"/scorecards/{{subject}}/{COMPONENT}",
                     [{"id": str(user_id), "token": token} for user_id, token in r.judges],
                     r.subjects, skip)


def peer_over_http(port: int, r: Round, threads: int, warmup: float, seconds: float,
                   skip: list[int] | None) -> dict[str, Any]:
    """The same plan of writes to the peer, whose judges and subjects are only ids."""
    return over_http(port, threads, warmup, seconds, "/reviews",
                     [{"id": str(user_id)} for user_id, _ in r.judges], r.subjects, skip,
                     kind="peer")


@contextlib.contextmanager
def peer_server(url: str, workers: int) -> Iterator[int | None]:
    """bench/peer served by gunicorn (sync workers) on a database of its own, on the same
    PostgreSQL; None, with a message, when Django or gunicorn is not installed."""
    try:
        import django  # noqa: F401, PLC0415
        import gunicorn  # noqa: F401, PLC0415
    except ImportError:
        print("\npeer skipped: Django and gunicorn are not installed"
              " (.venv/bin/pip install -e \".[bench]\")", flush=True)
        yield None
        return
    folder = HERE / "peer"
    with fresh_database(url, "kaoping_peer") as peer_url:
        env = os.environ | {"PEER_DATABASE_URL": peer_url, "DJANGO_SETTINGS_MODULE": "settings",
                            "PYTHONPATH": str(folder)}
        subprocess.run([sys.executable, "-m", "django", "migrate", "--run-syncdb",
                        "--verbosity", "0"], env=env, cwd=folder, check=True)
        port = free_port()
        gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
        process = subprocess.Popen([gunicorn_bin, "--workers", str(workers), "--worker-class",
                                    "sync", "--bind", f"127.0.0.1:{port}", "--log-level",
                                    "warning", "wsgi:application"], env=env, cwd=folder)
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError), socket.create_connection(
                        ("127.0.0.1", port), timeout=1):
                    break
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the peer's gunicorn did not start")
                time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def directly(container: Container, r: Round, threads: int, warmup: float, seconds: float,
             skip: list[int] | None) -> dict[str, Any]:
    app = container.app(r.slug)

    def writer(_: int) -> Write:
        def write(judge: tuple[UUID, str], subject: str, sweep: int) -> int:
            key = CardKey(r.assessment, UUID(subject), COMPONENT, judge[0])
            scores = {code: Decimal(str(v)) for code, v in scores_for(CODES, TOP, sweep).items()}
            return app.record_scores(key, scores, Cause(str(judge[0]), "judge", "bench")).position
        return write

    return closed_loop(threads, warmup, seconds, r.judges, r.subjects, writer, skip)


class Projected(threading.Thread):
    """When the server's projector announced each position of one tenant's views."""

    def __init__(self, url: str, slug: str) -> None:
        super().__init__(daemon=True)
        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute(SQL("LISTEN {}").format(Identifier(PROJECTED_CHANNEL)))
        self.slug = slug
        self.seen: list[tuple[float, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            for notify in self.conn.notifies(timeout=0.2):
                at = time.monotonic()
                slug, _, position = notify.payload.partition(" ")
                if slug == self.slug:
                    self.seen.append((at, int(position)))

    def reached(self) -> int:
        return max((p for _, p in self.seen), default=0)

    def stop(self, head: int, patience: float = 30.0) -> None:
        deadline = time.monotonic() + patience
        while self.reached() < head and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stopping.set()
        self.join()
        self.conn.close()

    def lags(self, answered: list[float], positions: list[int]) -> list[float]:
        """For each write, from its answer to the first announcement that includes it
        (0 when the views had it before the client read the answer)."""
        times, highest, top = [], [], 0
        for at, position in sorted(self.seen):
            top = max(top, position)
            times.append(at)
            highest.append(top)
        lags = []
        for at, position in zip(answered, positions, strict=True):
            i = bisect.bisect_left(highest, position)
            if i < len(highest):
                lags.append(max(0.0, times[i] - at))
        return lags


def wait_projected(container: Container, slug: str, timeout: float = 300.0) -> None:
    head = container.app(slug).position()
    deadline = time.monotonic() + timeout
    while container.projector.position(slug) < head:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server's projector did not reach {head} for {slug}")
        time.sleep(0.1)


def pile_up(container: Container, r: Round, events: int, batch: int = 200) -> None:
    """Card writes until the tenant's log holds ``events`` events: the very events
    ``record_scores`` writes (a card's Started and ScoresRecorded, then a ScoresRecorded per
    new version), decided by the same Scorecard, but saved ``batch`` cards per transaction —
    only so that the pile grows in seconds, not minutes (the catch-up is what is timed)."""
    app = container.app(r.slug)
    leaves = tuple(Leaf(code, Decimal(str(TOP))) for code in CODES)
    cards: dict[UUID, Scorecard] = {}
    pending: list[Scorecard] = []
    sweep = 0
    while True:
        for judge, _ in r.judges:
            cause = Cause(str(judge), "judge", "bench")
            for subject in r.subjects:
                key = CardKey(r.assessment, UUID(subject), COMPONENT, judge)
                card = cards.get(key.card_id) or Scorecard(key=key, cause=cause)
                cards[key.card_id] = card
                scores = scores_for(CODES, TOP, sweep)
                card.record({c: Decimal(str(v)) for c, v in scores.items()}, leaves,
                            Decimal("0.5"), cause)
                pending.append(card)
                if len(pending) == batch:
                    app.save(*pending)
                    pending.clear()
                    if app.position() >= events:
                        return
        sweep += 1


def catch_up(container: Container, events: int) -> tuple[int, float, float]:
    """(events, seconds to pile them up, seconds to project them all onto fresh views)."""
    start = time.perf_counter()
    (r,) = set_up(container, "catchup", 32, 200, 1)
    pile_up(container, r, events)
    piled = time.perf_counter() - start
    role = container.roles.name(r.slug)
    with container.pool.connection() as conn, conn.transaction():
        with acting_as(conn, role):
            new = current_version(conn, r.slug) + 1
        drop_version(conn, r.slug, new)
        create_version(conn, r.slug, new, role)
    start = time.perf_counter()
    reached = container.projector.catch_up(r.slug, new)
    took = time.perf_counter() - start
    with container.pool.connection() as conn:
        drop_version(conn, r.slug, new)
    return reached, piled, took


# -- reporting ---------------------------------------------------------------------------------

def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def rate(result: dict[str, Any]) -> float:
    return len(result["latency"]) / result["seconds"]


def describe(result: dict[str, Any], path: str) -> str:
    errors = f"  ERRORS {len(result['errors'])}: {result['errors'][0]}" if result["errors"] else ""
    return (f"{rate(result):7.1f}/s  p50 {pct(result['latency'], 50):6.1f} ms"
            f"  p99 {pct(result['latency'], 99):6.1f} ms"
            f"  ({len(result['latency'])} writes, {result['new']} new"
            f" {'reviews' if path == 'peer' else 'cards'}){errors}")


def machine(url: str, embedded: bool) -> str:
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    where = "embedded (pgserver)" if embedded else "KAOPING_DATABASE_URL"
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, load average"
            f" {os.getloadavg()[0]:.1f}; Python {platform.python_version()};"
            f" PostgreSQL {version}, {where}")


def sizes(text: str) -> list[tuple[int, int]]:
    return [(int(j), int(s)) for j, s in (size.lower().split("x") for size in text.split(","))]


def server_env(url: str, tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json",
            # Each thread is one judge with a token of its own; the limiter still runs, but
            # must not be what sets the rate.
            "KAOPING_RATE_PER_SECOND": "100000", "KAOPING_RATE_BURST": "100000"}
    return env


@contextlib.contextmanager
def server(url: str, tmp: Path, workers: int = 1) -> Any:
    port = free_port()
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    process = subprocess.Popen([kaoping, "serve", "--workers", str(workers)],
                               env=server_env(url, tmp, port), stderr=subprocess.PIPE, text=True)
    with serving(process, workers):
        yield port


@contextlib.contextmanager
def thin_server(url: str, tmp: Path, wanted: bool, workers: int) -> Iterator[int | None]:
    """bench/thin_server.py: the same write behind bare HTTP (``--thin``), else None."""
    if not wanted:
        yield None
        return
    port = free_port()
    process = subprocess.Popen([sys.executable, str(HERE / "thin_server.py")],
                               env=server_env(url, tmp, port) | {"KAOPING_WORKERS": str(workers)},
                               stderr=subprocess.PIPE, text=True)
    with serving(process, workers):
        yield port


@contextlib.contextmanager
def serving(process: subprocess.Popen[str], workers: int) -> Iterator[None]:
    try:
        assert process.stderr is not None
        until_serving(process.stderr, workers)
        # Keep draining the server's log, or a full pipe would stall it.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("32x40,32x200,8x400,50x1000"),
                        help="judges×subjects, comma-separated (default 32x40,32x200,8x400,"
                             "50x1000)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent judges (K)")
    parser.add_argument("--workers", type=int, default=1,
                        help="kaoping serve --workers (1: one process, the projector inside)")
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per size")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed seconds first")
    parser.add_argument("--repeat", type=int, default=1,
                        help="HTTP, direct and peer in turn this many times per size; medians")
    parser.add_argument("--catch-up", type=int, default=20000,
                        help="events to pile up and project from 0 (0: skip)")
    parser.add_argument("--fresh-database", action="store_true",
                        help="with KAOPING_DATABASE_URL: work in a new database, dropped after")
    parser.add_argument("--peer", action="store_true",
                        help="also the Django peer of bench/peer (pip install -e '.[bench]')")
    parser.add_argument("--thin", action="store_true",
                        help="also the same writes behind bare HTTP (bench/thin_server.py):"
                             " the floor of (c)")
    parser.add_argument("--peer-workers", type=int, default=os.cpu_count() or 1,
                        help="the peer's gunicorn sync workers (default: the cores)")
    args = parser.parse_args()
    given = os.environ.get("KAOPING_DATABASE_URL")
    with (fresh_database(given) if given and args.fresh_database
          else contextlib.nullcontext(given)) as url:
        run(args, url)


def run(args: argparse.Namespace, url: str | None) -> None:
    container, url, tmp = bench_container(url)
    print(machine(url, embedded=not os.environ.get("KAOPING_DATABASE_URL")), flush=True)
    print(f"{args.threads} client threads (concurrent judges), {args.warmup:g} s warm-up +"
          f" {args.seconds:g} s timed per size; a PUT of 5 scores per request, no submit",
          flush=True)
    rows: dict[tuple[int, int], dict[str, float]] = {}
    try:
        with server(url, tmp, args.workers) as port, thin_server(
                url, tmp, args.thin, args.workers) as thin_port, (
                peer_server(url, args.peer_workers) if args.peer
                else contextlib.nullcontext(None)) as peer_port:
            if peer_port:
                print(f"peer: bench/peer (Django, gunicorn with {args.peer_workers} sync"
                      " workers), a POST of one review with 5 scores per request", flush=True)
            for judges, subjects in args.sizes:
                rows[(judges, subjects)] = one_size(container, url, port, peer_port, thin_port,
                                                    judges, subjects, args)
        print("\nsummary (writes/s)         HTTP   direct  HTTP/direct" +
              ("   thin  thin/direct" if args.thin else "") +
              ("   peer  HTTP/peer" if args.peer else ""))
        for (judges, subjects), row in rows.items():
            http, direct = row["HTTP"], row["direct"]
            print(f"  {judges:3d} × {subjects:<5d}          {http:7.1f}  {direct:7.1f}"
                  f"  {http / direct:11.2f}" +
                  (f"  {row['thin']:6.1f}  {row['thin'] / direct:11.2f}" if args.thin else "") +
                  (f"  {row['peer']:6.1f}  {http / row['peer']:9.2f}" if args.peer else ""))
        if (32, 40) in rows and (50, 1000) in rows:
            print(f"(b) 50×1000 HTTP rate / 32×40 HTTP rate: "
                  f"{rows[(50, 1000)]['HTTP'] / rows[(32, 40)]['HTTP']:.2f}")
        if args.catch_up:
            events, piled, took = catch_up(container, args.catch_up)
            print(f"\n(d) catch-up: {events} events (a 32×200 round and its card writes, piled"
                  f" up in {piled:.0f} s with no projector) projected onto fresh views from"
                  f" position 0 in {took:.2f} s: {events / took:,.0f} events/s")
    finally:
        container.close()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


def one_size(container: Container, url: str, port: int, peer_port: int | None,
             thin_port: int | None, judges: int, subjects: int,
             args: argparse.Namespace) -> dict[str, float]:
    """Each figure's median over ``--repeat`` rounds of HTTP, direct, thin and peer in turn;
    the lags of every repeat's writes together."""
    start = time.perf_counter()
    http_round, direct_round, thin_round = set_up(container, "writes", judges, subjects, 3)
    peer_round = Round("", uuid.uuid4(), [str(uuid.uuid4()) for _ in range(subjects)],
                       [(uuid.uuid4(), "") for _ in range(judges)])
    wait_projected(container, http_round.slug)
    fewer = f"; only {judges} concurrent judges" if judges < args.threads else ""
    print(f"\n{judges} judges × {subjects} subjects"
          f" (set up in {time.perf_counter() - start:.0f} s{fewer})", flush=True)
    rates: dict[str, list[float]] = {"HTTP": [], "direct": [], "thin": [], "peer": []}
    skips: dict[str, list[int] | None] = dict.fromkeys(rates)
    lags: list[float] = []
    written = 0
    for _ in range(args.repeat):
        listener = Projected(url, http_round.slug)
        listener.start()
        result = kaoping_over_http(port, http_round, args.threads, args.warmup, args.seconds,
                                   skips["HTTP"])
        listener.stop(max(result["position"], default=0))
        lags += listener.lags(result["answered"], result["position"])
        written += len(result["position"])
        wait_projected(container, http_round.slug)
        direct = directly(container, direct_round, args.threads, args.warmup, args.seconds,
                          skips["direct"])
        wait_projected(container, direct_round.slug)
        results = {"HTTP": result, "direct": direct}
        if thin_port:
            results["thin"] = kaoping_over_http(thin_port, thin_round, args.threads,
                                                args.warmup, args.seconds, skips["thin"])
            wait_projected(container, thin_round.slug)
        if peer_port:
            results["peer"] = peer_over_http(peer_port, peer_round, args.threads, args.warmup,
                                             args.seconds, skips["peer"])
        for path, measured in results.items():
            rates[path].append(rate(measured))
            skips[path] = measured["issued"]
            print(f"  {path:6s} {describe(measured, path)}", flush=True)
    medians = {path: statistics.median(got) for path, got in rates.items() if got}
    http, direct_rate = medians["HTTP"], medians["direct"]
    median = " (medians)" if args.repeat > 1 else ""
    print(f"  (c) HTTP/direct{median}: {http / direct_rate:.2f}", flush=True)
    if "thin" in medians:
        print(f"  the floor of (c), bare HTTP around the same write, thin/direct{median}:"
              f" {medians['thin'] / direct_rate:.2f}", flush=True)
    if "peer" in medians:
        print(f"  HTTP/peer{median}: {http / medians['peer']:.2f}", flush=True)
    print(f"  (d) projector lag: p50 {pct(lags, 50):6.1f} ms  p99 {pct(lags, 99):6.1f} ms"
          f"  ({len(lags)} of {written} HTTP writes seen projected)", flush=True)
    return medians


if __name__ == "__main__":
    main()
