"""`kaoping serve --workers 1` against `--workers 2`: score writes per second through HTTP at
8 concurrent judges (closed loop, this process is the client), the two alternated on one
database so that both see the same machine; and what the shared rate limiter costs per
request, against the token lookup it rides on.

    .venv/bin/python bench/workers.py [--judges 8] [--subjects 40] [--pairs 2]

Each timed request is a PUT of a new card (5+ scores); the submit is not timed. Uses
KAOPING_DATABASE_URL if set, otherwise an embedded PostgreSQL in a temporary folder.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from common import TOKEN, bench_container, until_serving  # bench/ is the script's folder
from run import free_port, full_scores, set_up

from adapters.http.ratelimit import RateLimiter, SharedRateLimiter
from tenants.tokens import token_hash

KAOPING = str(Path(sys.executable).with_name("kaoping"))


def serve(env: dict[str, str], workers: int) -> subprocess.Popen[str]:
    server = subprocess.Popen([KAOPING, "serve", "--workers", str(workers)], env=env,
                              stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    until_serving(server.stderr, workers)
    threading.Thread(target=server.stderr.read, daemon=True).start()  # keep the pipe drained
    return server


def put_rate(base: str, slug: str, assessment, subjects, tokens, leaves) -> tuple[float, list]:
    latencies: list[float] = []

    def judge(seat) -> None:
        _, token = seat
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                          timeout=60) as http:
            for i, subject in enumerate(subjects):
                card = (f"/api/v1/tenants/{slug}/assessments/{assessment}"
                        f"/scorecards/{subject}/routine")
                scores = {k: float(v) for k, v in full_scores(leaves, i).items()}
                began = time.perf_counter()
                assert http.put(card, json={"scores": scores}).status_code == 200
                latencies.append(time.perf_counter() - began)

    start = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(judge, tokens))
    return len(tokens) * len(subjects) / (time.perf_counter() - start), latencies


def admission_cost(container, token: str, n: int = 2000) -> dict[str, float]:
    """µs per request of: the token lookup alone (what every request did before), the
    shared limiter's one statement (lookup + bucket), and the in-process limiter + lookup."""
    key, guesses = token_hash(token), b"bad-token:127.0.0.1"
    shared = SharedRateLimiter(container.pool, 1e9, 10**9)
    local = RateLimiter(1e9, 10**9)
    lookup = container.catalogue.principal
    ways = {"lookup alone": lambda: lookup(key),
            "shared (lookup + bucket, one statement)": lambda: shared.admit(key, guesses, lookup),
            "in-process bucket + lookup": lambda: local.admit(key, guesses, lookup)}
    costs: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(5):  # alternate, so that all three see the same machine
        for name, way in ways.items():
            start = time.perf_counter()
            for _ in range(n // 5):
                way()
            costs[name].append((time.perf_counter() - start) / (n // 5) * 1e6)
    return {name: statistics.median(values) for name, values in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judges", type=int, default=8)
    parser.add_argument("--subjects", type=int, default=40)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    container, url, tmp = bench_container()
    slug, app, one_round = set_up(container, "wbench", args.judges, args.subjects)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json", "KAOPING_RATE_PER_SECOND": "1000000"}
    base = f"http://127.0.0.1:{port}"
    rates: dict[int, list[float]] = {1: [], 2: []}
    p50s: dict[int, list[float]] = {1: [], 2: []}
    leaves = None
    try:
        for _ in range(args.pairs):
            for workers in (1, 2):
                rnd = one_round()
                leaves = leaves or app.assessment(rnd[0]).setup.components[0].leaves
                server = serve(env, workers)
                try:
                    rate, latencies = put_rate(base, slug, *rnd, leaves)
                finally:
                    server.terminate()
                    server.wait(timeout=60)
                rates[workers].append(rate)
                p50s[workers].append(statistics.median(latencies) * 1000)
                print(f"  --workers {workers}: {rate:6.1f} PUT/s, p50 {p50s[workers][-1]:.0f} ms",
                      flush=True)
        costs = admission_cost(container, rnd[2][0][1])
    finally:
        container.close()
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"{args.judges} concurrent judges × {args.subjects} new cards each, PUT timed,"
          f" {args.pairs} alternated pairs of runs")
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"--workers 1 (baseline): {one:7.1f} PUT/s   p50 {statistics.median(p50s[1]):5.0f} ms")
    print(f"--workers 2:            {two:7.1f} PUT/s   p50 {statistics.median(p50s[2]):5.0f} ms")
    print(f"ratio 2/1:              {two / one:7.2f}")
    print("admission per request (µs, median of 5 alternated batches):")
    for name, cost in costs.items():
        print(f"  {name:<42} {cost:7.0f}")


if __name__ == "__main__":
    main()
