"""A tenant's log as JSON lines with its hash chain — checkable later without a database."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import IO, Any
from uuid import UUID

from psycopg import Connection

from adapters.postgres.chain import ChainReport, Link, check
from adapters.postgres.eventstore import GENESIS
from adapters.postgres.log import events_page, head

FORMAT = "kaoping-log/1"


def export_log(conn: Connection[Any], schema: str, slug: str, out: IO[str]) -> int:
    """Write the header, every event with its hash, and the head. Returns the event count."""
    position, head_hash = head(conn, schema)
    out.write(json.dumps({"format": FORMAT, "tenant": slug, "genesis": GENESIS.hex()}) + "\n")
    count, after = 0, 0
    while True:
        page = events_page(conn, schema, after, 1000)
        for row in page:
            out.write(json.dumps({
                "position": row["position"], "recorded_at": row["recorded_at"].isoformat(),
                "originator_id": str(row["originator_id"]),
                "originator_version": row["originator_version"], "topic": row["topic"],
                "state": base64.b64encode(bytes(row["state"])).decode(),
                "hash": bytes(row["hash"]).hex(),
            }, ensure_ascii=False) + "\n")
            count += 1
        if len(page) < 1000:
            break
        after = page[-1]["position"]
    out.write(json.dumps({"head": {"position": position, "hash": head_hash}}) + "\n")
    return count


def verify_export(lines: Iterable[str]) -> ChainReport:
    """Check an export's chain from its own lines: no database needed."""
    records = [json.loads(line) for line in lines if line.strip()]
    if not records or records[0].get("format") != FORMAT or "head" not in records[-1]:
        return ChainReport(False, 0, GENESIS.hex(), None)
    links = (Link(r["position"], UUID(r["originator_id"]), r["originator_version"], r["topic"],
                  base64.b64decode(r["state"]), bytes.fromhex(r["hash"]))
             for r in records[1:-1])
    return check(links, bytes.fromhex(records[-1]["head"]["hash"]))
