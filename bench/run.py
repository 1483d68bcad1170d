"""Throughput figures, each against a baseline measured in the same run.

(a) score writes per second through the HTTP API (a real `kaoping serve` subprocess) with
    N concurrent judges, against (b) the same writes through `TenantApplication` called
    directly (Application.save, no HTTP), as a ratio; (c) events per second replayed from
    the log (read, decode, fold into the board).

    .venv/bin/python bench/run.py [--judges 8] [--subjects 30]

Uses KAOPING_DATABASE_URL if set, otherwise an embedded PostgreSQL in a temporary folder.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import httpx
from common import (  # bench/ is the script's folder
    TOKEN,
    bench_container,
    bench_tenant,
    until_serving,
)

from domain.cause import Cause
from domain.scorecard import CardKey
from services.replay import board_from_whole_log

OP = Cause("operator", "operator", "bench")


def full_scores(leaves, seed: int) -> dict[str, Decimal]:
    return {leaf.code: leaf.max_points - Decimal(seed % 3) * Decimal("0.5")
            if leaf.max_points >= 1 else leaf.max_points for leaf in leaves}


def set_up(container, slug_prefix: str, judges: int, subjects: int):
    slug, admin, spec = bench_tenant(container, slug_prefix)
    app = container.app(slug)

    rounds = itertools.count(1)

    def one_round():
        r = next(rounds)  # names are unique in a tenant: each round registers its own
        assessment = app.create_assessment(spec, admin).id
        subject_ids = []
        for i in range(subjects):
            school = app.register_school(f"第{r}轮学校{i}", "g", "小学", None, False, admin)
            subject_ids.append(app.add_subject(assessment, "school", school.id, "g", admin)[1])
        tokens = []
        for j in range(judges):
            user = container.platform.add_user(slug, f"第{r}轮评委{j}", "judge", (), admin)
            app.add_judge(assessment, user.user_id, admin)
            tokens.append((user.user_id, user.token))
        app.advance(assessment, "open", admin)
        return assessment, subject_ids, tokens

    return slug, app, one_round


def bench_http(base: str, slug: str, assessment, subjects, tokens, leaves) -> float:
    def judge(seat):
        _, token = seat
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            for i, subject in enumerate(subjects):
                card = (f"/api/v1/tenants/{slug}/assessments/{assessment}"
                        f"/scorecards/{subject}/routine")
                scores = {k: float(v) for k, v in full_scores(leaves, i).items()}
                assert http.put(card, json={"scores": scores}).status_code == 200
                assert http.post(card + "/submit").status_code == 200

    start = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(judge, tokens))
    return 2 * len(tokens) * len(subjects) / (time.perf_counter() - start)


def bench_direct(app, assessment, subjects, tokens, leaves) -> float:
    def judge(seat):
        judge_id, _ = seat
        cause = Cause(str(judge_id), "judge", "bench")
        for i, subject in enumerate(subjects):
            key = CardKey(assessment, subject, "routine", judge_id)
            app.record_scores(key, full_scores(leaves, i), cause)
            app.submit_card(key, cause)

    start = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(judge, tokens))
    return 2 * len(tokens) * len(subjects) / (time.perf_counter() - start)


def bench_replay(app, assessment) -> tuple[float, int]:
    """Read, decode and fold the whole log (the auditor's replay before the log index; since
    issue 11 ``board_at`` reads one assessment's events: bench/asof.py)."""
    start = time.perf_counter()
    events = app.position()
    state = board_from_whole_log(app, assessment)
    elapsed = time.perf_counter() - start
    assert state.cards, "the replayed board has the cards"
    return events / elapsed, events


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judges", type=int, default=8)
    parser.add_argument("--subjects", type=int, default=30)
    args = parser.parse_args()
    container, url, tmp = bench_container()
    container.projector.start()
    slug, app, one_round = set_up(container, "bench", args.judges, args.subjects)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json",
            "KAOPING_WORKERS": "1"}  # one process, as before --workers (bench/workers.py)
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    server = subprocess.Popen([kaoping, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        until_serving(server.stderr)
        # Keep draining the server's log, or a full pipe would stall it.
        threading.Thread(target=server.stderr.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        http_round = one_round()
        direct_round = one_round()
        leaves = app.assessment(http_round[0]).setup.components[0].leaves
        http_rate = bench_http(base, slug, *http_round, leaves)
        direct_rate = bench_direct(app, *direct_round, leaves)
        replay_rate, events = bench_replay(app, http_round[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
        container.close()
    writes = 2 * args.judges * args.subjects
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"rubric: 珠晖区 ({len(leaves)} leaves); {args.judges} concurrent judges"
          f" × {args.subjects} subjects = {writes} score writes (PUT + submit) per path")
    print(f"(a) HTTP API score writes/s:            {http_rate:8.1f}")
    print(f"(b) Application.save writes/s (direct): {direct_rate:8.1f}")
    print(f"    ratio (a)/(b):                      {http_rate / direct_rate:8.2f}")
    print(f"(c) replay events/s (read+decode+fold): {replay_rate:8.0f}   over {events} events")


if __name__ == "__main__":
    main()
