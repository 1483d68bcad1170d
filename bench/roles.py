"""What acting as the tenant's role costs per pool checkout, each way of doing it, in one run.

    KAOPING_DATABASE_URL=postgresql://... .venv/bin/python bench/roles.py [--n 2000]

Each checkout reads one event by primary key (as the library's ``select_events`` does). The
ways are measured in interleaved rounds, so the machine's noise falls on all of them alike:

- ``none``: no role at all (the floor: one round trip).
- ``set-reset``: SET ROLE, the read, RESET ROLE (three round trips; before ADR 0008).
- ``local-2rt``: BEGIN + SET LOCAL ROLE + the read pipelined, then COMMIT (two round trips:
  the library reads its rows inside the checkout, so COMMIT follows the rows).
- ``local-1rt``: BEGIN + SET LOCAL ROLE + the statement + COMMIT all pipelined, rows read after
  (one round trip: what our own insert does).
- ``remember``: the connection keeps acting as the last tenant's role, switched only when
  another tenant's work takes it (one round trip while one tenant is busy; but a connection
  then goes back to the pool still acting as a tenant).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

ROLE = "kp_bench_roles"
SCHEMA = "bench_roles"
READ = SQL("SELECT * FROM {}.events WHERE originator_id = %s AND originator_version > %s"
           " ORDER BY originator_version").format(Identifier(SCHEMA))


def setup(conn: psycopg.Connection[Any]) -> uuid.UUID:
    conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(SCHEMA)))
    conn.execute(f"DO $$ BEGIN CREATE ROLE {ROLE} NOLOGIN; "
                 "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    conn.execute(SQL("GRANT {} TO CURRENT_USER").format(Identifier(ROLE)))
    conn.execute(SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(Identifier(SCHEMA),
                                                                Identifier(ROLE)))
    conn.execute(SQL("CREATE TABLE {}.events (originator_id uuid, originator_version bigint,"
                     " state bytea, PRIMARY KEY (originator_id, originator_version))"
                     ).format(Identifier(SCHEMA)))
    conn.execute(SQL("ALTER TABLE {}.events OWNER TO {}").format(Identifier(SCHEMA),
                                                                 Identifier(ROLE)))
    key = uuid.uuid4()
    conn.execute(SQL("INSERT INTO {}.events VALUES (%s, 1, %s)").format(Identifier(SCHEMA)),
                 (key, b"x" * 200))
    return key


def ways(conn: psycopg.Connection[Any], key: uuid.UUID) -> dict[str, Callable[[], Any]]:
    set_role = SQL("SET ROLE {}").format(Identifier(ROLE))
    local = SQL("SET LOCAL ROLE {}").format(Identifier(ROLE))

    def none() -> Any:
        return conn.execute(READ, (key, 0), prepare=True).fetchall()

    def set_reset() -> Any:
        conn.execute(set_role)
        rows = conn.execute(READ, (key, 0), prepare=True).fetchall()
        conn.execute("RESET ROLE")
        return rows

    def local_2rt() -> Any:
        with conn.pipeline(), conn.transaction():
            conn.execute(local)
            return conn.execute(READ, (key, 0), prepare=True).fetchall()

    def local_1rt() -> Any:
        with conn.pipeline(), conn.transaction():
            conn.execute(local)
            cur = conn.execute(READ, (key, 0), prepare=True)
        return cur.fetchall()

    acting = {"role": None}

    def remember() -> Any:
        if acting["role"] != ROLE:
            conn.execute(set_role)
            acting["role"] = ROLE
        return conn.execute(READ, (key, 0), prepare=True).fetchall()

    return {"none": none, "set-reset": set_reset, "local-2rt": local_2rt,
            "local-1rt": local_1rt, "remember": remember}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000, help="checkouts per way and round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("KAOPING_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(url, autocommit=True) as conn:
        key = setup(conn)
        try:
            measured: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                for name, way in ways(conn, key).items():
                    assert way(), name  # the role may read its table
                    start = time.perf_counter()
                    for _ in range(args.n):
                        way()
                    measured.setdefault(name, []).append(
                        (time.perf_counter() - start) / args.n * 1e6)
                conn.execute("RESET ROLE")
        finally:
            conn.execute("RESET ROLE")
            conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(SCHEMA)))
    floor = statistics.median(measured["none"])
    print(f"{'way':<10} {'µs/checkout (median of rounds)':>32} {'× none':>8}")
    for name, figures in measured.items():
        median = statistics.median(figures)
        print(f"{name:<10} {median:>32.1f} {median / floor:>8.2f}")


if __name__ == "__main__":
    main()
