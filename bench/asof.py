"""As-of reads over a large tenant log (issue 11, target e), beside baselines from the same run.

Builds one tenant whose log holds ``--events`` events: ``--own`` of them are the cards of one
assessment, the rest the cards of other assessments of the same size, interleaved card by card
as a busy district would write them. The cards are made by the domain (``Scorecard.record``,
one leaf per recording, then ``submit``) and written through the application's event store in
batches of 1,000 (the same insert function and index as any write). Then it times:

  (0) the baseline: ``services.replay.board_at``, the fold from position 0 by the log index
      (what ``verify`` and ``publish`` do);
  (1)–(5) ``board_as_of`` (docs/adr/0023) called directly: the first read with no checkpoint
      (it folds from 0 and saves them), later reads, a read at a past position between two
      checkpoints beside ``board_at`` to there, the background checkpointer making the
      checkpoints from none, and the first read after it;
  (6), (7) ``GET …/scoreboard?as_of=now`` over HTTP (a real ``kaoping serve`` subprocess),
      first with no checkpoint, then later reads;
and, once, ``board_at`` of an assessment of the same size in a tenant with no other events,
and with ``--whole-log`` the board folded from the whole tenant log (before the index).
Rounds alternate the baseline and the new path; medians are printed with each round's figure.

    .venv/bin/python bench/asof.py [--events 1000000] [--own 100000] [--rounds 3]

Uses KAOPING_DATABASE_URL if set (give it a fresh database), otherwise an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from common import (  # bench/ is the script's folder
    TOKEN,
    bench_container,
    bench_tenant,
    until_serving,
)
from run import free_port

from adapters.postgres.checkpointer import Checkpointer
from adapters.postgres.projector import LOCK_CLASS
from domain.cause import Cause
from domain.results import rows
from domain.scorecard import CardKey, Scorecard
from services.replay import CHECKPOINT_EVERY, board_as_of, board_at, board_from_whole_log

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


def timed(fn, *args, repeat: int = 3, before=None, **kwargs):
    """The median wall time of ``repeat`` runs, the median CPU time this process spent in
    them (on a loaded machine the wall time also holds the waits for a core), and the last
    result; ``before`` runs untimed before each run."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def forget_checkpoints(container, slug: str) -> None:
    with container.tenant_db(slug) as conn:
        conn.execute(f'DELETE FROM "t_{slug}".board_checkpoints')


def checkpoint_sizes(container, slug: str, assessment) -> tuple[int, int]:
    with container.tenant_db(slug) as conn:
        row = conn.execute(f'SELECT count(*) AS n, coalesce(max(length(state)), 0) AS size'
                           f' FROM "t_{slug}".board_checkpoints WHERE assessment_id = %s',
                           (assessment,)).fetchone()
    return int(row["n"]), int(row["size"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000, help="the tenant log's size")
    parser.add_argument("--own", type=int, default=100_000, help="the assessment's events")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of alternated timings")
    parser.add_argument("--whole-log", action="store_true",
                        help="also fold the whole log (the path before the index; slow at 1M)")
    args = parser.parse_args()
    container, url, tmp = bench_container()
    big = tenant_with(container, "asof", args.own, args.events - args.own)
    slug, app, admin, own, written, write_rate = big
    alone = tenant_with(container, "alone", args.own, 0)
    head = app.position()
    # The projector would spend minutes on a million events meanwhile: keep it off these two
    # tenants by holding its lock on them (one active projector per tenant), so the timings
    # share the machine with nothing of ours (and no checkpointer is woken).
    hold = psycopg.connect(url, autocommit=True)
    for tenant in (slug, alone[0]):
        hold.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_CLASS, tenant))
        hold.execute(f'VACUUM ANALYZE "t_{tenant}".event_log')  # as autovacuum would have
    auditor = container.platform.add_user(slug, "审计员", "auditor", (), admin).token
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json", "KAOPING_CHECKPOINTER": "0"}
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    server = subprocess.Popen([kaoping, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    own_positions = positions_of(container, slug, own)
    # A past moment just before a checkpoint: a read folds the most events past its own
    # (CHECKPOINT_EVERY - 1).
    past = own_positions[(len(own_positions) // 2 // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY - 2]
    figures: dict[str, list[tuple[float, float]]] = {}
    loads = []

    def note(name, wall, cpu=float("nan")):
        figures.setdefault(name, []).append((wall, cpu))

    try:
        until_serving(server.stderr)
        threading.Thread(target=server.stderr.read, daemon=True).start()
        now = datetime.now(UTC).isoformat()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                          headers={"Authorization": f"Bearer {auditor}"}) as http:
            def as_of_http():
                answer = http.get(f"/api/v1/tenants/{slug}/assessments/{own}/scoreboard",
                                  params={"as_of": now})
                assert answer.status_code == 200, answer.text
                return answer.json()
            checkpointer = Checkpointer(container.app, container.pool, container.roles,
                                        CHECKPOINT_EVERY)
            for _ in range(args.rounds):  # the baseline and the new path alternated
                loads.append(os.getloadavg()[0])
                wall, cpu, state = timed(board_at, app, own, repeat=1)
                note("(0) board_at from position 0 (the baseline: verify, publish)", wall, cpu)
                forget_checkpoints(container, slug)
                wall, cpu, first = timed(board_as_of, app, own, repeat=1)
                note("(1) board_as_of, first read: no checkpoint yet, saves them", wall, cpu)
                assert first == state and rows(first) == rows(state)
                wall, cpu, later = timed(board_as_of, app, own)
                note("(2) board_as_of, later reads (as of now)", wall, cpu)
                assert later == state and rows(later) == rows(state)
                wall, cpu, then = timed(board_as_of, app, own, past)
                note(f"(3) board_as_of at a past position ({CHECKPOINT_EVERY - 1}"
                     " events past its checkpoint)", wall, cpu)
                base_wall, base_cpu, straight = timed(board_at, app, own, past, repeat=1)
                note("(3') board_at from 0 to that position (its baseline)", base_wall,
                     base_cpu)
                assert then == straight and rows(then) == rows(straight)
                forget_checkpoints(container, slug)
                wall, _, board = timed(as_of_http, repeat=1)
                note("(6) GET …/scoreboard?as_of=now over HTTP, first (no checkpoint)", wall)
                wall, _, board = timed(as_of_http)
                note("(7) GET …/scoreboard?as_of=now over HTTP, later reads", wall)
            # Once: the background checkpointer from none, for every assessment of the tenant
            # (as after an upgrade to this release), then the first read after it.
            forget_checkpoints(container, slug)
            loads.append(os.getloadavg()[0])
            wall, cpu, extended = timed(checkpointer.extend, slug, repeat=1)
            note(f"(4) the background checkpointer from none: the whole tenant's log"
                 f" ({extended} assessments), once", wall, cpu)
            wall, cpu, first = timed(board_as_of, app, own, repeat=1)
            note("(5) board_as_of, first read after the checkpointer, once", wall, cpu)
            assert first == state
            count, size = checkpoint_sizes(container, slug, own)
            own_events = own_count(container, slug, own)
            alone_seconds, alone_cpu, alone_state = timed(board_at, alone[1], alone[3])
            whole_seconds = None
            if args.whole_log:
                whole_seconds, whole_cpu, whole = timed(board_from_whole_log, app, own,
                                                        repeat=1)
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
          f" the assessment: {own_events} events, {len(state.cards)} cards;"
          f" {count} checkpoints (every {CHECKPOINT_EVERY} events), the largest"
          f" {size / 1e6:.2f} MB")
    print(f"load average at the start of each round (and of (4)):"
          f" {', '.join(f'{x:.1f}' for x in loads)}"
          f" (on {os.cpu_count()} cores); at the end {os.getloadavg()[0]:.1f}")
    print(f"medians of {args.rounds} alternated rounds (reads within a round: median of 3),"
          " seconds: wall  CPU (this process)   [each round]")
    for name, values in figures.items():
        walls = [w for w, _ in values]
        cpus = [c for _, c in values]
        print(f"{name:78} {statistics.median(walls):7.3f} {statistics.median(cpus):7.3f}"
              f"   [{', '.join(f'{w:.3f}' for w in walls)}]")
    print(f"board_at of the same size, tenant of no others:"
          f"{'':32}{alone_seconds:7.3f} {alone_cpu:7.3f}")
    if whole_seconds is not None:
        print(f"the whole log folded (before the index), 1 run: {whole_seconds:8.3f}"
              f" {whole_cpu:8.3f}   = {head / whole_seconds:.0f} events/s")


def positions_of(container, slug: str, assessment) -> list[int]:
    with container.tenant_db(slug) as conn:
        found = conn.execute(f'SELECT position FROM "t_{slug}".event_log'
                             " WHERE assessment_id = %s ORDER BY position",
                             (assessment,)).fetchall()
    return [row["position"] for row in found]


def own_count(container, slug: str, assessment) -> int:
    with container.tenant_db(slug) as conn:
        row = conn.execute(f'SELECT count(*) AS n FROM "t_{slug}".event_log'
                           " WHERE assessment_id = %s", (assessment,)).fetchone()
    return int(row["n"])


if __name__ == "__main__":
    main()
