"""One tenant flooded with waiting reads: another tenant's latency, with and without the flood.

A real `kaoping serve` subprocess. The flooded tenant's projection is held still (this script
takes the projector's advisory lock for it), so every ``?after=<head>`` read of it waits the
whole read-wait (2 s) — the worst case. ``--waiters`` clients loop on such reads (more than
the per-tenant cap, so some are told to retry and come straight back) and ``--beyond`` clients
loop on reads beyond the log's head (refused at once), all with the one token and none waiting
between requests, while the victim tenant's admin reads ``GET …/schools`` 25 times a second.
By default the flood's clients honour Retry-After (as the issue's 51 concurrent requests
would); ``--hot`` has them retry at once whatever the answer. The victim's p50/p95 are
measured first alone, then under the flood, in the same run.

    .venv/bin/python bench/flood.py [--waiters 45] [--beyond 6] [--requests 300]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import httpx
import psycopg
from common import TOKEN, bench_container, until_serving  # bench/ is the script's folder
from run import free_port

from adapters.postgres.projector import LOCK_CLASS
from domain.cause import Cause

OP = Cause("operator", "operator", "bench")


def a_tenant(container, prefix: str) -> tuple[str, str, int]:
    slug = f"{prefix}_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准测试区", OP)
    admin = Cause(str(created.admin_id), "admin", "bench")
    position = container.app(slug).register_school("湘江小学", "小学组", "小学", None, False,
                                                   admin).position
    return slug, created.admin_token, position


def latencies(base: str, slug: str, token: str, count: int) -> list[float]:
    """The victim's admin reads 25 times a second (within the rate limit)."""
    url = f"{base}/api/v1/tenants/{slug}/schools"
    taken = []
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        due = time.perf_counter()
        for _ in range(count):
            time.sleep(max(0.0, due - time.perf_counter()))
            due += 0.04
            start = time.perf_counter()
            answer = http.get(url)
            assert answer.status_code == 200, answer.text
            taken.append((time.perf_counter() - start) * 1000)
    return taken


def flood(base: str, slug: str, token: str, after: int, stop: threading.Event,
          seen: Counter[int], lock: threading.Lock, hot: bool) -> None:
    url = f"{base}/api/v1/tenants/{slug}/communities"
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        while not stop.is_set():
            answer = http.get(url, params={"after": after})
            with lock:
                seen[answer.status_code] += 1
            if not hot and "Retry-After" in answer.headers:
                stop.wait(float(answer.headers["Retry-After"]))


def flooding(base: str, slug: str, token: str, afters: list[int], hot: bool,
             stop: Event, out: Queue) -> None:  # type: ignore[type-arg]
    """The flood, in a process of its own: its clients do not share the victim's GIL."""
    seen: Counter[int] = Counter()
    lock, halt = threading.Lock(), threading.Event()
    clients = [threading.Thread(target=flood, args=(base, slug, token, after, halt, seen,
                                                    lock, hot), daemon=True)
               for after in afters]
    for client in clients:
        client.start()
    stop.wait()
    halt.set()
    for client in clients:
        client.join(timeout=10)
    out.put(dict(sorted(seen.items())))


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiters", type=int, default=45)
    parser.add_argument("--beyond", type=int, default=6)
    parser.add_argument("--requests", type=int, default=250)
    parser.add_argument("--hot", action="store_true",
                        help="flood clients ignore Retry-After and retry at once")
    args = parser.parse_args()
    container, url, tmp = bench_container()
    victim, victim_token, _ = a_tenant(container, "victim")
    flooded_slug = f"flooded_{uuid.uuid4().hex[:8]}"
    held = psycopg.connect(url, autocommit=True)  # the server's projector never gets it
    held.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_CLASS, flooded_slug))
    created = container.platform.create_tenant(flooded_slug, "被压测区", OP)
    head = container.app(flooded_slug).register_school(
        "衡阳小学", "小学组", "小学", None, False,
        Cause(str(created.admin_id), "admin", "bench")).position
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env |= {"KAOPING_DATABASE_URL": url, "KAOPING_PORT": str(port),
            "KAOPING_DATA_DIR": str(tmp), "KAOPING_OPERATOR_TOKEN": TOKEN,
            "KAOPING_LOG_FORMAT": "json",  # the default rate limit: 50/s, bursts of 100
            "KAOPING_WORKERS": "1"}  # one process, as the figures below were measured
    kaoping = str(Path(sys.executable).with_name("kaoping"))
    server = subprocess.Popen([kaoping, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    spawn = multiprocessing.get_context("spawn")
    stop, out = spawn.Event(), spawn.Queue()
    try:
        until_serving(server.stderr)
        threading.Thread(target=server.stderr.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        latencies(base, victim, victim_token, 20)  # warm up
        alone = latencies(base, victim, victim_token, args.requests)
        afters = [head] * args.waiters + [head + 10**6] * args.beyond
        flooder = spawn.Process(target=flooding, args=(
            base, flooded_slug, created.admin_token, afters, args.hot, stop, out))
        flooder.start()
        time.sleep(2.0)  # let the flood build up: every waiter slot taken
        flooded = latencies(base, victim, victim_token, args.requests)
        stop.set()
        seen = out.get(timeout=60)
        flooder.join(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)
        held.close()
        container.close()
    database = "KAOPING_DATABASE_URL" if os.environ.get("KAOPING_DATABASE_URL") else "embedded"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}, PostgreSQL: {database}")
    print(f"flood: {args.waiters} clients reading ?after=<head> of a tenant whose projection is"
          f" held, {args.beyond} reading beyond the head; one token (the rate limit applies); "
          + ("retrying at once whatever the answer" if args.hot
             else "honouring Retry-After on 429/503"))
    print(f"flood answers: {seen}")
    print(f"victim GET …/schools, {args.requests} requests, 25/s (ms):")
    print(f"  alone:        p50 {p(alone, 50):6.1f}   p95 {p(alone, 95):6.1f}")
    print(f"  under flood:  p50 {p(flooded, 50):6.1f}   p95 {p(flooded, 95):6.1f}")
    print(f"  ratio p95 flood/alone: {p(flooded, 95) / p(alone, 95):5.2f}")


if __name__ == "__main__":
    main()
