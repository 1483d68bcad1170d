"""The projector: catch-up speed from position 0, and lag behind a steady write rate.

(a) Catch-up: a log of score events of one big round (default 32 judges × 220 subjects,
    three events a card: started, 5 scores, 5 more scores) is projected from position 0
    into a new version of the views (``Projector.catch_up(slug, version)``, as a rebuild
    does), beside two baselines in the same run: reading and decoding the same events and
    nothing else (the floor any projector pays), and the boards of layout 6 (the whole
    board loaded and saved for every batch of 500, with today's decoding and history).
(b) Lag: 5 more scores are written to existing cards at a steady rate (default 250/s, 8
    threads) while the projector runs in the background: each write loads the card's own
    stream, records and saves it (the write issue 11 (a) asks for; ``--service`` writes
    through ``TenantApplication.record_scores`` instead, which today also loads the whole
    assessment and cannot keep up). The lag of a write is the time from its commit to the
    ``kaoping_projected`` notification of a position at or past it.

    .venv/bin/python bench/projector.py [--judges 32] [--subjects 220] [--rate 250]
                                        [--seconds 20] [--service] [--no-lag]

Uses KAOPING_DATABASE_URL if set, otherwise an embedded PostgreSQL in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import msgspec
import psycopg
from common import bench_container, bench_tenant  # bench/ is the script's folder
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

import adapters.postgres.projector as projector_module
from adapters.postgres.eventstore import EVENTS_TABLE
from adapters.postgres.mapper import encode
from adapters.postgres.projector import GROWTH, PROJECTED_CHANNEL
from adapters.postgres.versions import (
    create_version,
    current_version,
    drop_version,
    schema_of,
    view_schema,
)
from adapters.postgres.views import PgViews
from domain.board import BoardState
from domain.cause import Cause
from domain.scorecard import CardKey, Scorecard


def set_up(container, judges: int, subjects: int):
    slug, admin, spec = bench_tenant(container, "proj")
    app = container.app(slug)
    assessment = app.create_assessment(spec, admin).id
    subject_ids = []
    for i in range(subjects):
        school = app.register_school(f"学校{i}", "g", "小学", None, False, admin)
        subject_ids.append(app.add_subject(assessment, "school", school.id, "g", admin)[1])
    judge_ids = []
    for j in range(judges):
        user = app.register_user(f"评委{j}", "judge", (), admin)
        app.add_judge(assessment, user.id, admin)
        judge_ids.append(user.id)
    app.advance(assessment, "open", admin)
    component = app.assessment(assessment).setup.components[0]
    return slug, app, assessment, subject_ids, judge_ids, component


def five(leaves, start: int) -> dict[str, Decimal]:
    return {leaf.code: leaf.max_points for leaf in leaves[start:start + 5]}


def write_log(app, assessment, subjects, judges, component) -> None:
    """Three events a card, saved a hundred cards a transaction (the log, fast), in the
    order judges working side by side would write them: each judge starts at a subject of
    their own, so consecutive events touch many subjects (the worst case of a board kept
    a row per subject)."""
    leaves, step = component.leaves, component.step
    cards = []
    for i in range(len(subjects)):
        for j, judge in enumerate(judges):
            subject = subjects[(i + j * len(subjects) // len(judges)) % len(subjects)]
            cause = Cause(str(judge), "judge", "bench")
            card = Scorecard(key=CardKey(assessment, subject, component.key, judge),
                             cause=cause)
            card.record(five(leaves, 0), leaves, step, cause)
            card.record(five(leaves, 5), leaves, step, cause)
            cards.append(card)
            if len(cards) == 100:
                app.save(*cards)
                cards = []
    if cards:
        app.save(*cards)


def decode_rate(container, slug: str, upto: int) -> float:
    """The floor: read the events (as the projector does) and decode them, nothing else."""
    mapper = container.projector.mapper
    s = Identifier(schema_of(slug))
    start = time.perf_counter()
    position, count = 0, 0
    with container.pool.connection() as conn:
        while position < upto:
            rows = conn.execute(SQL(
                "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic,"
                " e.state, l.recorded_at FROM {s}.{events} e"
                " JOIN {s}.event_log l ON l.position = e.notification_id"
                " WHERE e.notification_id > %s ORDER BY e.notification_id LIMIT 500"
            ).format(s=s, events=Identifier(EVENTS_TABLE)), (position,)).fetchall()
            for row in rows:
                mapper.to_domain_event(StoredEvent(row["originator_id"],
                                                   row["originator_version"], row["topic"],
                                                   bytes(row["state"])))
            count += len(rows)
            position = rows[-1]["notification_id"]
    return count / (time.perf_counter() - start)


class WholeBoardViews(PgViews):
    """Layout 6's boards, for the baseline: the whole board loaded and saved as one jsonb
    value for every batch, whatever its events touch."""

    def load_board(self, assessment_id, subjects=None):
        self.conn.execute(self._sql("CREATE TABLE IF NOT EXISTS {s}.whole_boards ("
                                    " assessment_id uuid PRIMARY KEY, state jsonb NOT NULL)"))
        row = self.conn.execute(self._sql("SELECT state::text AS state FROM {s}.whole_boards"
                                          " WHERE assessment_id = %s"), (assessment_id,)
                                ).fetchone()
        return msgspec.json.decode(row["state"], type=BoardState) if row else None

    def save_board(self, state, subjects, header=True):
        self.conn.execute(self._sql(
            "INSERT INTO {s}.whole_boards VALUES (%s, %s) ON CONFLICT (assessment_id)"
            " DO UPDATE SET state = excluded.state"), (state.assessment_id,
                                                       encode(state).decode()))


def catch_up_rate(container, slug: str, version: int, batch: int,
                  whole: bool = False) -> tuple[float, int]:
    role = container.roles.name(slug)
    container.projector.batch_size = batch
    projector_module.PgViews = WholeBoardViews if whole else PgViews
    projector_module.GROWTH = 1 if whole else GROWTH
    with container.pool.connection() as conn, conn.transaction():
        drop_version(conn, slug, version)
        create_version(conn, slug, version, role)
    start = time.perf_counter()
    reached = container.projector.catch_up(slug, version)
    elapsed = time.perf_counter() - start
    projector_module.PgViews, projector_module.GROWTH = PgViews, GROWTH
    return reached / elapsed, reached


def read_time(container, slug: str, assessment) -> tuple[float, float, int]:
    """Median ms of reading the whole board (``load_board``: the header and every subject's
    row put together), and of reading it as layout 6 kept it (one jsonb value, filled by the
    baseline's catch-up in version 2 of the views); and its cards."""
    times: dict[bool, list[float]] = {True: [], False: []}
    with container.tenant_db(slug) as conn:
        for _ in range(20):
            for whole in (True, False):
                views = (WholeBoardViews(conn, view_schema(slug, 2)) if whole
                         else PgViews(conn, view_schema(slug, current_version(conn, slug))))
                start = time.perf_counter()
                board = views.load_board(assessment)
                times[whole].append((time.perf_counter() - start) * 1000)
    return statistics.median(times[False]), statistics.median(times[True]), len(board.cards)


def lag(container, url: str, slug: str, app, assessment, subjects, judges, component,
        rate: float, seconds: float, service: bool) -> list[float]:
    """Write cards at ``rate``/s for ``seconds``; return each write's lag in ms."""
    committed: dict[int, float] = {}
    lags: list[float] = []
    done = threading.Event()
    projected: list[tuple[int, float]] = []

    def listen() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SQL("LISTEN {}").format(Identifier(PROJECTED_CHANNEL)))
            ready.set()
            while not done.is_set():
                for note in conn.notifies(timeout=0.2):
                    got, _, reached = note.payload.partition(" ")
                    if got == slug:
                        projected.append((int(reached), time.perf_counter()))

    ready = threading.Event()
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait()
    leaves, threads = component.leaves, 8
    pairs = [(s, j) for s in subjects for j in judges]
    total = int(rate * seconds)
    interval = threads / rate
    start = time.perf_counter()

    def writer(k: int) -> None:
        for n, i in enumerate(range(k, total, threads)):
            due = start + n * interval + k / rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            subject, judge = pairs[i % len(pairs)]
            cause = Cause(str(judge), "judge", "lag")
            key = CardKey(assessment, subject, component.key, judge)
            scores = five(leaves, 10 + (i // len(pairs)) % 3 * 5)
            if service:
                position = app.record_scores(key, scores, cause).position
            else:  # the write as issue 11 (a) makes it: the card's own stream, nothing more
                card = app.repository.get(key.card_id)
                card.record(scores, leaves, component.step, cause)
                position = app.write(card).position
            committed[position] = time.perf_counter()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(writer, range(threads)))
    writing = time.perf_counter() - start
    container.projector.wait_for(slug, max(committed), timeout=30)
    time.sleep(0.3)  # the last notification on its way
    done.set()
    listener.join()
    projected.sort()
    for position, at in committed.items():
        seen = next((t for p, t in projected if p >= position), None)
        if seen is not None:
            lags.append(max(0.0, seen - at) * 1000)
    print(f"    wrote {len(committed)} cards in {writing:.1f} s"
          f" ({len(committed) / writing:.0f}/s)")
    return lags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judges", type=int, default=32)
    parser.add_argument("--subjects", type=int, default=220)
    parser.add_argument("--rate", type=float, default=250)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--no-lag", action="store_true")
    parser.add_argument("--checkpoint-after", type=float, default=None,
                        help="the background checkpointer works at the latest this many"
                             " seconds after a tenant's first wake (default 30; set it low to"
                             " have it work while the lag is measured; KAOPING_CHECKPOINTER=0:"
                             " off)")
    parser.add_argument("--service", action="store_true",
                        help="write through TenantApplication.record_scores (today's checks,"
                             " which load the whole assessment) instead of the card alone")
    args = parser.parse_args()
    container, url, _ = bench_container()
    try:
        slug, app, assessment, subjects, judges, component = set_up(
            container, args.judges, args.subjects)
        write_log(app, assessment, subjects, judges, component)
        head = app.position()
        container.projector.catch_up(slug)  # the current views, for the lag part
        floor = decode_rate(container, slug, head)
        old, _ = catch_up_rate(container, slug, 2, 500, whole=True)
        sizes = (500, 500, 2000)
        rates = [catch_up_rate(container, slug, 3 + n, size) for n, size in enumerate(sizes)]
        container.projector.batch_size = 500
        database = ("KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL")
                    else "embedded")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
              f" Python {platform.python_version()}, PostgreSQL: {database}")
        print(f"log: {head} events ({args.judges} judges × {args.subjects} subjects,"
              f" 3 events a card)")
        print(f"baseline: read + decode only          {floor:9.0f} events/s")
        print(f"baseline: whole board every batch    {old:9.0f} events/s"
              f"  (layout 6's boards, batches of 500; {old / floor:.2f} of read + decode)")
        for size, (rate, reached) in zip(sizes, rates, strict=True):
            print(f"catch_up from 0, batches from {size:4}  {rate:9.0f} events/s"
                  f"  ({reached} events; {rate / floor:.2f} of read + decode,"
                  f" {rate / old:.1f}× the whole board)")
        read, whole, cards = read_time(container, slug, assessment)
        print(f"load_board, the whole board ({cards} cards): {read:.1f} ms;"
              f" as one jsonb value (layout 6): {whole:.1f} ms (medians of 20)")
        if not args.no_lag:
            if container.checkpointer is not None and args.checkpoint_after is not None:
                container.checkpointer.longest = args.checkpoint_after
            container.projector.start()
            lags = lag(container, url, slug, app, assessment, subjects, judges, component,
                       args.rate, args.seconds, args.service)
            container.projector.stop()
            q = statistics.quantiles(lags, n=100)
            print(f"lag at {args.rate:.0f} card writes/s target: p50 {q[49]:.1f} ms,"
                  f" p99 {q[98]:.1f} ms, max {max(lags):.1f} ms ({len(lags)} writes)")
            with container.tenant_db(slug) as conn:
                made = conn.execute(SQL("SELECT count(*) AS n FROM {}.board_checkpoints").format(
                    Identifier(schema_of(slug)))).fetchone()["n"]
            print(f"checkpointer: {'on' if container.checkpointer else 'off'},"
                  f" {made} checkpoints made by the end of the lag part")
    finally:
        container.close()


if __name__ == "__main__":
    main()
