"""A score PUT through the ASGI app in this process, against the same write called directly
(issue 11, target c; docs/adr/0020): no uvicorn, no socket, no projector, one request at a
time, so what is left is the app's own work per request (middleware, guard, admission,
litestar, the thread hops). Batches of HTTP and direct writes alternate; the CPU per write
is printed as the minimum and median over the batches (the machine is shared: the minimum
moves least). ``--count`` counts instead the Python calls the event-loop thread makes per
PUT, a figure that does not move with the machine's load.

    .venv/bin/python bench/http_inprocess.py [--batch 80] [--batches 10] [--count]
                                             [--without-admission]

Needs a PostgreSQL server: KAOPING_DATABASE_URL (a database is made there and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from common import TOKEN, fresh_database  # bench/ is the script's folder
from http_overhead import five_leaf_tenant, new_round, scores

import adapters.http.auth as auth
from adapters.bootstrap import build_container
from adapters.http.app import create_app
from adapters.http.ratelimit import SharedRateLimiter
from adapters.logging import configure_logging
from adapters.settings import Settings
from domain.cause import Cause
from domain.scorecard import CardKey

SUBJECTS = 40


async def call(app: Any, path: str, headers: dict[str, str], body: bytes) -> None:
    sent: list[Any] = []
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # (a disconnect never comes)
        raise AssertionError

    async def send(message: Any) -> None:
        sent.append(message)

    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw += [(b"content-length", str(len(body)).encode()), (b"host", b"bench")]
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
             "http_version": "1.1", "method": "PUT", "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000), "state": {}}
    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise SystemExit(f"the PUT failed: {sent}")


def sweep(n: int) -> dict[str, Decimal]:
    """The scores of the n-th write: the same card comes round once per ``SUBJECTS`` writes,
    each time with other points (the same points again would save nothing)."""
    return scores(n // SUBJECTS)


async def measure(args: argparse.Namespace, http: Any, slug: str, app: Any, assessment: Any,
                  subjects: list[Any], seats: list[Any]) -> None:
    judge, token = seats[0]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    base = f"/api/v1/tenants/{slug}/assessments/{assessment}/scorecards/"
    cause = Cause(str(judge), "judge", "bench")

    def body(n: int) -> bytes:
        return json.dumps({"scores": {k: float(v) for k, v in sweep(n).items()}}).encode()

    for subject in subjects:  # every card exists, every cache is warm
        await call(http, f"{base}{subject}/routine", headers, body(0))
    n, calls = 0, 0

    def counter(_: Any, event: str, __: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    over_http, direct, unadmitted = [], [], []
    for _ in range(args.batches):
        cpu = time.process_time()
        if args.count:
            sys.setprofile(counter)
        for _ in range(args.batch):
            n += 1
            await call(http, f"{base}{subjects[n % len(subjects)]}/routine", headers, body(n))
        sys.setprofile(None)
        over_http.append((time.process_time() - cpu) / args.batch * 1000)
        if args.without_admission:
            with admission_skipped():
                cpu = time.process_time()
                for _ in range(args.batch):
                    n += 1
                    await call(http, f"{base}{subjects[n % len(subjects)]}/routine", headers,
                               body(n))
                unadmitted.append((time.process_time() - cpu) / args.batch * 1000)
        cpu = time.process_time()
        for _ in range(args.batch):
            n += 1
            app.record_scores(CardKey(assessment, subjects[n % len(subjects)], "routine", judge),
                              sweep(n), cause)
        direct.append((time.process_time() - cpu) / args.batch * 1000)
    if args.count:
        print(f"Python calls of the event-loop thread per PUT:"
              f" {calls / (args.batch * args.batches):.0f}")
        return
    print(f"CPU ms per write, min / median of {args.batches} batches of {args.batch}:"
          f" PUT via ASGI {min(over_http):.3f} / {statistics.median(over_http):.3f};"
          f" record_scores {min(direct):.3f} / {statistics.median(direct):.3f};"
          f" the app adds {min(over_http) - min(direct):.3f} /"
          f" {statistics.median(over_http) - statistics.median(direct):.3f}")
    if unadmitted:
        print(f"the same PUT with the principal remembered, no admission statement (not a"
              f" configuration: a measure of the admission's share): {min(unadmitted):.3f} /"
              f" {statistics.median(unadmitted):.3f}")


@contextmanager
def admission_skipped() -> Iterator[None]:
    """The token's principal as the admission last answered it, with no statement and no
    thread hop (``--without-admission``)."""
    resolve, known = auth._limited_resolve, {}

    async def remembered(connection: Any, token: str) -> Any:
        if token not in known:
            known[token] = await resolve(connection, token)
        return known[token]

    auth._limited_resolve = remembered
    try:
        yield
    finally:
        auth._limited_resolve = resolve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=80)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--count", action="store_true")
    parser.add_argument("--without-admission", action="store_true",
                        help="also time batches whose admission is skipped (its share)")
    args = parser.parse_args()
    server = os.environ.get("KAOPING_DATABASE_URL")
    if not server:
        raise SystemExit("set KAOPING_DATABASE_URL to a PostgreSQL server")
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (one log line per request)
    configure_logging("json")
    with fresh_database(server, "kaoping_bench_inprocess") as url:
        settings = Settings.from_env({"KAOPING_DATA_DIR": tempfile.mkdtemp(prefix="kaoping-"),
                                      "KAOPING_POOL_MAX": "10", "KAOPING_CHECKPOINTER": "0"})
        container = build_container(settings, url, TOKEN, project=False)
        container.projector.start()  # only its listener: tokens' principals are kept
        while not container.catalogue.principals.listening:
            time.sleep(0.01)
        try:
            slug, app, admin, spec = five_leaf_tenant(container, "inprocess")
            assessment, subjects, seats = new_round(container, slug, app, admin, spec, "p", 1,
                                                    SUBJECTS)
            pool = container.admission_pool or container.pool
            http = create_app(container, limiter=SharedRateLimiter(
                pool, 1e6, 10**6, principals=container.catalogue.principals))
            asyncio.run(measure(args, http, slug, app, assessment, subjects, seats))
        finally:
            container.close()


if __name__ == "__main__":
    main()
