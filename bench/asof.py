"""As-of reads over a large tenant log (issue 11, target e), beside baselines from the same run.

Builds one tenant whose log holds ``--events`` events: ``--own`` of them are the cards of one
assessment, the rest the cards of other assessments of the same size, interleaved card by card
as a busy district would write them. The cards are made by the domain (``Scorecard.record``,
one leaf per recording, then ``submit``) and written through the application's event store in
batches of 1,000 (the same insert function and index as any write). Then it times:

  (1) ``GET …/scoreboard?as_of=now`` over HTTP (a real ``kaoping serve`` subprocess);
  (2) ``services.replay.board_at`` called directly (the index);
  (3) baselines: the same board folded from the whole tenant log (the path before the index),
      and ``board_at`` of an assessment of the same size in a tenant with no other events.

    .venv/bin/python bench/asof.py [--events 1000000] [--own 100000]

Uses KAOPING_DATABASE_URL if set (give it a fresh database), otherwise an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from common import TOKEN, bench_container, bench_tenant  # bench/ is the script's folder
from run import free_port

from adapters.postgres.projector import LOCK_CLASS
from domain.cause import Cause
from domain.results import rows
from domain.scorecard import CardKey, Scorecard
from services.replay import board_at, board_from_whole_log

JUDGES = 20
BATCH = 1000


def assessments(app, admin, spec, count: int, subjects: int, tag: str):
    """``count`` open assessments sharing ``subjects`` schools and JUDGES judges."""
    schools = [app.register_school(f"{tag}学校{i}", "g", "小学", None, False, admin).id
               for i in range(subjects)]
    judges = [app.register_user(f"{tag}评委{j}", "judge", (), admin).id for j in range(JUDGES)]
    made = []
    for _ in range(count):
        assessment = app.create_assessment(spec, admin).id
        subject_ids = [app.add_subject(assessment, "school", s, "g", admin)[1] for s in schools]
        for judge in judges:
            app.add_judge(assessment, judge, admin)
        app.advance(assessment, "open", admin)
        made.append((assessment, subject_ids, judges))
    return made


def cards(assessment, subject_ids, judges, leaves, step):
    """Each card's events: started, one leaf at a time, submitted (len(leaves) + 2 events)."""
    for subject in subject_ids:
        for judge in judges:
            cause = Cause(str(judge), "judge", "bench")
            card = Scorecard(key=CardKey(assessment, subject, "routine", judge), cause=cause)
            for leaf in leaves:
                card.record({leaf.code: leaf.max_points}, leaves, step, cause)
            card.submit(leaves, cause)
            yield card.collect_events()


def fill(app, made, leaves, step) -> int:
    """Write every assessment's cards, one card of each in turn, in batches of BATCH."""
    streams = [cards(*m, leaves, step) for m in made]
    pending, written = [], 0
    while streams:
        for stream in list(streams):
            card = next(stream, None)
            if card is None:
                streams.remove(stream)
                continue
            pending += card
            if len(pending) >= BATCH:
                app.events.put(pending)
                written += len(pending)
                pending = []
    if pending:
        app.events.put(pending)
        written += len(pending)
    return written


def spec_leaves(app, admin, spec):
    return app.assessment(app.create_assessment(spec, admin).id).component("routine").leaves


def tenant_with(container, prefix, own: int, others: int):
    slug, admin, spec = bench_tenant(container, prefix)
    app = container.app(slug)
    per_card = len(spec_leaves(app, admin, spec)) + 2
    subjects = max(1, round(own / per_card / JUDGES))
    count = 1 + round(others / (subjects * JUDGES * per_card))
    made = assessments(app, admin, spec, count, subjects, prefix)
    component = app.assessment(made[0][0]).component("routine")
    leaves, step = component.leaves, component.step
    started = time.perf_counter()
    written = fill(app, made, leaves, step)
    rate = written / (time.perf_counter() - started)
    return slug, app, admin, made[0][0], written, rate


def timed(fn, *args, repeat: int = 3):
    """The best wall time of ``repeat`` runs, and the CPU time this process spent in it (on a
    loaded machine the wall time also holds the waits for a core)."""
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000, help="the tenant log's size")
    parser.add_argument("--own", type=int, default=100_000, help="the assessment's events")
    parser.add_argument("--no-whole-log", action="store_true",
                        help="skip the baseline that folds the whole log (slow at 1M)")
    args = parser.parse_args()
    container, url, tmp = bench_container()
    big = tenant_with(container, "asof", args.own, args.events - args.own)
    slug, app, admin, own, written, write_rate = big
    alone = tenant_with(container, "alone", args.own, 0)
    head = app.position()
    # The projector would spend minutes on a million events meanwhile: keep it off these two
    # tenants by holding its lock on them (one active projector per tenant), so the timings
    # share the machine with nothing of ours.
    hold = psycopg.connect(url, autocommit=True)
    for tenant in (slug, alone[0]):
        hold.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_CLASS, tenant))
        hold.execute(f'VACUUM ANALYZE "t_{tenant}".event_log')  # as autovacuum would have
    auditor = container.platform.add_user(slug, "审计员", "auditor", (), admin).token
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json"}
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    server = subprocess.Popen([kaoping, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in server.stderr:
            if "Application startup complete" in line:
                break
        threading.Thread(target=server.stderr.read, daemon=True).start()
        now = datetime.now(UTC).isoformat()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                          headers={"Authorization": f"Bearer {auditor}"}) as http:
            def as_of_http():
                answer = http.get(f"/api/v1/tenants/{slug}/assessments/{own}/scoreboard",
                                  params={"as_of": now})
                assert answer.status_code == 200, answer.text
                return answer.json()
            http_seconds, _, board = timed(as_of_http)
        direct_seconds, direct_cpu, state = timed(board_at, app, own)
        own_events = own_count(container, slug, own)
        alone_seconds, alone_cpu, alone_state = timed(board_at, alone[1], alone[3])
        whole_seconds = None
        if not args.no_whole_log:
            whole_seconds, whole_cpu, whole = timed(board_from_whole_log, app, own, repeat=1)
            assert rows(whole) == rows(state), "the index and the whole log give one board"
    finally:
        server.terminate()
        server.wait(timeout=30)
        container.close()
        hold.close()
    assert len(board["rows"]) == len(rows(state)) and rows(alone_state)
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"tenant log: {head} events ({written} card events written at {write_rate:.0f}/s);"
          f" the assessment: {own_events} events, {len(state.cards)} cards")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    print("best of 3, seconds:                                    wall    CPU (this process)")
    print(f"(1) GET …/scoreboard?as_of=now over HTTP:            {http_seconds:8.3f}")
    print(f"(2) board_at (the index), direct:                   {direct_seconds:8.3f}"
          f" {direct_cpu:8.3f}   = {own_events / direct_seconds:.0f} events/s")
    print(f"(3) board_at of the same size, tenant of no others: {alone_seconds:8.3f}"
          f" {alone_cpu:8.3f}")
    if whole_seconds is not None:
        print(f"(4) the whole log folded (before the index), 1 run: {whole_seconds:8.3f}"
              f" {whole_cpu:8.3f}   = {head / whole_seconds:.0f} events/s")


def own_count(container, slug: str, assessment) -> int:
    with container.tenant_db(slug) as conn:
        row = conn.execute(f'SELECT count(*) AS n FROM "t_{slug}".event_log'
                           " WHERE assessment_id = %s", (assessment,)).fetchone()
    return int(row["n"])


if __name__ == "__main__":
    main()
