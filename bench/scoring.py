"""New score cards per second through the service (``record_scores``), by size of the round.

    KAOPING_DATABASE_URL=postgresql://... .venv/bin/python bench/scoring.py \
        [--rounds 32x40,32x200] [--clients 8] [--cards 800]

For each round (judges × subjects), ``--clients`` threads each act as one judge and write new
cards (all leaves of the 珠晖 rubric at once) for their subjects, as fast as they can, until
``--cards`` cards are written in all. Only ``record_scores`` is timed. The same script runs
against an older checkout (``PYTHONPATH=<checkout> python <checkout>/bench/scoring.py``) to
compare, one after the other in the same hour: this machine moves ±20 % between runs.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from common import bench_container, bench_tenant  # bench/ is the script's folder

from domain.cause import Cause
from domain.scorecard import CardKey


def build_round(container, judges: int, subjects: int):  # type: ignore[no-untyped-def]
    slug, admin, spec = bench_tenant(container, "sc")
    app = container.app(slug)
    assessment = app.create_assessment(spec, admin).id
    subject_ids = []
    for i in range(subjects):
        school = app.register_school(f"学校{i}", "g", "小学", None, False, admin)
        subject_ids.append(app.add_subject(assessment, "school", school.id, "g", admin)[1])
    judge_ids = []
    for i in range(judges):
        judge = app.register_user(f"评委{i}", "judge", (), admin).id
        app.add_judge(assessment, judge, admin)
        judge_ids.append(judge)
    app.advance(assessment, "open", admin)
    leaves = app.assessment(assessment).component("routine").leaves
    scores = {leaf.code: min(leaf.max_points, Decimal(1)) for leaf in leaves}
    return app, assessment, subject_ids, judge_ids, scores


def run(container, judges: int, subjects: int, clients: int, cards: int):  # type: ignore[no-untyped-def]
    app, assessment, subject_ids, judge_ids, scores = build_round(container, judges, subjects)
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = cards // clients

    def judge_writes(n: int) -> None:
        judge = judge_ids[n % len(judge_ids)]
        cause = Cause(str(judge), "judge", "bench")
        mine: list[float] = []
        for i in range(per_client):
            key = CardKey(assessment, subject_ids[i % len(subject_ids)], "routine", judge)
            start = time.perf_counter()
            app.record_scores(key, scores, cause)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as threads:
        list(threads.map(judge_writes, range(clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return (len(latencies) / elapsed, statistics.median(latencies) * 1000,
            latencies[int(len(latencies) * 0.99) - 1] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", default="32x40,32x200")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cards", type=int, default=800)
    args = parser.parse_args()
    container, _, _ = bench_container()
    try:
        print(f"{'round':>10} {'cards/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
        for size in args.rounds.split(","):
            judges, subjects = (int(x) for x in size.split("x"))
            rate, p50, p99 = run(container, judges, subjects, args.clients,
                                 min(args.cards, args.clients * subjects))
            print(f"{size:>10} {rate:>8.1f} {p50:>7.1f} {p99:>7.1f}", flush=True)
    finally:
        container.close()


if __name__ == "__main__":
    main()
