"""Tying a 公示 sheet to the log: recompute it from an export alone and compare.

The sheet is what ``GET …/assessments/{id}/results`` answered (saved as JSON). Its ``chain``
names the log position and hash it follows from. From the export we check the chain itself,
that the sheet's hash is the export's hash at that position (and the one the assessment's
``ResultsPublished`` event recorded), then fold the assessment's events up to that position
with the board's own fold and compare every row: final (as shown), tier and rank.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from adapters.export import verify_export
from adapters.postgres.mapper import MsgspecMapper
from domain.assessment import Assessment
from domain.board import BoardState, assessment_of, fold
from domain.results import rows
from domain.rounding import DEFAULT_PLACES
from domain.scorecard import Scorecard
from domain.self_assessment import SelfAssessment
from services.verification import differences

BOARD_EVENTS = (Assessment.Event, Scorecard.Event, SelfAssessment.Event)


@dataclass
class SheetReport:
    ok: bool
    assessment_id: str
    position: int | None
    subjects: int
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SheetRow:
    subject_id: UUID
    name: str
    final: Decimal | None
    tier: str | None
    rank: int | None


def sheet_rows(sheet: dict[str, Any]) -> dict[UUID, SheetRow]:
    found = {}
    for row in sheet["rows"]:
        final = row.get("final")
        found[UUID(row["subject_id"])] = SheetRow(
            UUID(row["subject_id"]), row.get("name", ""),
            None if final is None else Decimal(str(final)), row.get("tier"), row.get("rank"))
    return found


def check_sheet(lines: IO[str], sheet: dict[str, Any]) -> SheetReport:
    records = [json.loads(line) for line in lines if line.strip()]
    assessment_id = UUID(sheet["assessment_id"])
    chain = sheet.get("chain") or {}
    position, claimed = chain.get("position"), chain.get("hash")
    report = SheetReport(True, str(assessment_id), position, len(sheet["rows"]))
    chain_report = verify_export(iter(json.dumps(r) for r in records))
    if not chain_report.ok:
        report.problems.append(f"the export's hash chain is broken (first bad position "
                               f"{chain_report.first_bad_position})")
    if position is None or claimed is None:
        report.problems.append("the sheet names no chain position and hash")
        report.ok = False
        return report
    events = records[1:-1]
    at = next((r for r in events if r["position"] == position), None)
    if at is None:
        report.problems.append(f"chain: the export has no event at position {position}")
    elif at["hash"] != claimed:
        report.problems.append(f"chain: the hash at position {position} is {at['hash']}, "
                               f"the sheet shows {claimed}")
    state = BoardState(assessment_id)
    mapper = MsgspecMapper()
    for record in events:
        if record["position"] > position or not issubclass(resolve_topic(record["topic"]),
                                                            BOARD_EVENTS):
            continue
        event = mapper.to_domain_event(StoredEvent(
            UUID(record["originator_id"]), record["originator_version"], record["topic"],
            base64.b64decode(record["state"])))
        if assessment_of(event) == assessment_id:
            fold(state, event, record["position"])
    published = _published_chain(mapper, events, assessment_id)
    if published is not None and published != (position, claimed):
        report.problems.append(f"chain: the log published this assessment at position "
                               f"{published[0]} (hash {published[1]}), the sheet names "
                               f"position {position} (hash {claimed})")
    if state.setup is None:
        report.problems.append(f"the export holds no assessment {assessment_id}")
    places = state.setup.precision if state.setup else DEFAULT_PLACES
    fields = ("final", "tier", "rank") if sheet.get("ranks_published", True) else ("tier",)
    recomputed = {r.subject_id: r for r in rows(state)}
    for d in differences(recomputed, sheet_rows(sheet), "sheet", places, fields):
        report.problems.append(f"{d.name or ''} ({d.subject_id}) {d.field}: the log gives "
                               f"{d.expected}, the sheet shows {d.found}")
    report.ok = not report.problems
    return report


def _published_chain(mapper: MsgspecMapper, events: list[dict[str, Any]],
                     assessment_id: UUID) -> tuple[int, str] | None:
    """(log_position, log_head) recorded by the assessment's last ResultsPublished event."""
    topic = get_topic(Assessment.ResultsPublished)
    found = None
    for record in events:
        if record["topic"] == topic and record["originator_id"] == str(assessment_id):
            event = mapper.to_domain_event(StoredEvent(
                UUID(record["originator_id"]), record["originator_version"], record["topic"],
                base64.b64decode(record["state"])))
            found = (event.log_position, event.log_head)
    return found
