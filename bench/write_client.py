"""The closed-loop write client of bench/writes.py, run as a process of its own.

It reads one job (JSON) on stdin, writes with ``threads`` threads for ``warmup`` + ``seconds``
seconds, and prints what it measured (JSON) on stdout. Standard library only: each thread keeps
one persistent ``http.client`` connection and sends its next request as soon as the last one
is answered. Only requests answered inside the timed window (after the warm-up) count.

Each thread acts as one judge at a time: thread t takes judges t, t+K, t+2K, … (K threads),
scores every subject for each of them (new cards), then starts again with changed scores (a
new version of the same cards). The same plan drives the direct baseline (``writes.py``
imports ``plan`` and ``closed_loop``) and the peer (``kind: "peer"``).
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

STEPS = 10  # the scores cycle through 10 values per leaf, so every pass changes every leaf


def scores_for(codes: list[str], top: float, sweep: int) -> dict[str, float]:
    """Five scores on the 0.5 step; each sweep over the cards changes every one of them."""
    return {code: top - 0.5 * ((sweep + i) % STEPS) for i, code in enumerate(codes)}


def plan(judges: list[Any], subjects: list[str], thread: int,
         threads: int) -> Iterator[tuple[Any, str, int]]:
    """(judge, subject, sweep) for one thread, forever: sweep 0 writes new cards. Nothing
    for a thread without a judge (fewer judges than threads)."""
    mine = judges[thread::threads]
    if not mine or not subjects:
        return
    sweep = 0
    while True:
        for judge in mine:
            for subject in subjects:
                yield judge, subject, sweep
        sweep += 1


Write = Callable[[Any, str, int], int | None]  # (judge, subject, sweep) → log position


def closed_loop(threads: int, warmup: float, seconds: float, judges: list[Any],
                subjects: list[str], writer: Callable[[int], Write],
                skip: list[int] | None = None) -> dict[str, Any]:
    """Run ``threads`` writers; ``writer(t)`` makes thread t's write function (its own
    connection). Returns the timed writes: latency (s), time answered (time.monotonic, which
    every process on the machine shares), log position, and whether it wrote a new card; and
    ``issued``, how far each thread went in its plan. ``skip``: where each thread starts in
    its plan (a repeat goes on where the last one stopped, so that every write changes)."""
    skip = skip or [0] * threads
    issued = list(skip)
    lock = threading.Lock()
    timed: list[tuple[float, float, int | None, bool]] = []
    errors: list[str] = []
    ready = threading.Barrier(threads + 1)
    window: list[float] = []
    stop = threading.Event()  # Ctrl-C: the writers finish their request and stop

    def run(t: int) -> None:
        write = writer(t)
        ready.wait()
        begin, end = window
        mine = []
        steps = itertools.islice(plan(judges, subjects, t, threads), skip[t], None)
        for n, (judge, subject, sweep) in enumerate(steps, start=skip[t]):
            start = time.monotonic()
            if start >= end or stop.is_set():
                break
            issued[t] = n + 1
            try:
                position = write(judge, subject, sweep)
            except Exception as error:  # counted and shown; the run goes on
                with lock:
                    errors.append(f"{type(error).__name__}: {error}"[:300])
                    if len(errors) > 50:
                        break
                continue
            done = time.monotonic()
            if begin <= done <= end:
                mine.append((done - start, done, position, sweep == 0))
        with lock:
            timed.extend(mine)

    workers = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(threads)]
    for worker in workers:
        worker.start()
    now = time.monotonic()
    window.extend((now + warmup, now + warmup + seconds))
    ready.wait()
    try:
        for worker in workers:
            while worker.is_alive():  # a join with a timeout lets Ctrl-C through
                worker.join(0.2)
    except KeyboardInterrupt:
        stop.set()
        raise
    return {"latency": [w[0] for w in timed], "answered": [w[1] for w in timed],
            "position": [w[2] for w in timed], "new": sum(w[3] for w in timed),
            "errors": errors, "seconds": seconds, "issued": issued}


def http_writer(job: dict[str, Any]) -> Callable[[int], Write]:
    host, port = job["host"], job["port"]
    codes, top = job["codes"], job["top"]

    def make(_: int) -> Write:
        conn = http.client.HTTPConnection(host, port, timeout=120)
        conn.connect()

        def kaoping(judge: dict[str, str], subject: str, sweep: int) -> int | None:
            body = json.dumps({"scores": scores_for(codes, top, sweep)})
            conn.request("PUT", job["path"].format(subject=subject), body,
                         {"Authorization": f"Bearer {judge['token']}",
                          "Content-Type": "application/json"})
            answer = conn.getresponse()
            data = answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{answer.status} {data[:200]!r}")
            return int(json.loads(data)["position"])

        def peer(judge: dict[str, str], subject: str, sweep: int) -> int | None:
            body = json.dumps({"judge": judge["id"], "subject": subject,
                               "scores": scores_for(codes, top, sweep)})
            conn.request("POST", job["path"], body, {"Content-Type": "application/json"})
            answer = conn.getresponse()
            data = answer.read()
            if answer.status not in (200, 201):
                raise RuntimeError(f"{answer.status} {data[:200]!r}")
            return None

        return peer if job["kind"] == "peer" else kaoping

    return make


def main() -> None:
    job = json.load(sys.stdin)
    result = closed_loop(job["threads"], job["warmup"], job["seconds"], job["judges"],
                         job["subjects"], http_writer(job), job.get("skip"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
