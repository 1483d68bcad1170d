"""The auditors' command line: verify, export, replay, history. All read-only."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from uuid import UUID

from psycopg.sql import SQL, Identifier

from adapters.bootstrap import build_container, database_url, operator_token
from adapters.container import Container
from adapters.export import export_log, verify_export
from adapters.postgres.chain import verify_chain
from adapters.postgres.log import position_at, recorded_times
from adapters.postgres.rebuild import rebuild
from adapters.postgres.versions import schema_of
from adapters.settings import Settings
from adapters.sheet_check import check_sheet
from domain.results import rows
from domain.rounding import DEFAULT_PLACES, text
from services.history import history_entry
from services.replay import board_as_of, check_checkpoints, read_assessment


@contextmanager
def connected() -> Iterator[Container]:
    settings = Settings.from_env()
    container = build_container(settings, database_url(settings), operator_token(settings)[0])
    try:
        yield container
    finally:
        container.close()


def known_tenant(container: Container, slug: str) -> str:
    if container.catalogue.get(slug) is None:
        sys.exit(f"no tenant {slug}")
    return slug


def audit_verify(args: argparse.Namespace) -> None:
    if args.results:
        verify_sheet(args)
    if args.file:
        with Path(args.file).open(encoding="utf-8") as lines:
            report = verify_export(lines)
    else:
        with connected() as container, container.tenant_db(
            known_tenant(container, args.tenant)) as conn:
            report = verify_chain(conn, schema_of(args.tenant))
    print(json.dumps(vars(report)))
    sys.exit(0 if report.ok else 1)


def verify_sheet(args: argparse.Namespace) -> None:
    """公示 sheet against an export: recomputed from the log alone, row by row."""
    if not args.file:
        sys.exit("--results is checked against an export: give --file too")
    with Path(args.results).open(encoding="utf-8") as f:
        sheet = json.load(f)
    with Path(args.file).open(encoding="utf-8") as lines:
        report = check_sheet(lines, sheet)
    where = f"log position {report.position}"
    if report.ok:
        print(f"OK 一致: the sheet of {report.assessment_id} ({report.subjects} subjects) is "
              f"what the log gives up to {where}")
        sys.exit(0)
    print(f"MISMATCH 不一致: the sheet of {report.assessment_id} is not what the log gives "
          f"up to {where}")
    for problem in report.problems:
        print(f"  {problem}")
    sys.exit(1)


def export(args: argparse.Namespace) -> None:
    with connected() as container:
        _export(container, args)


def _export(container: Container, args: argparse.Namespace) -> None:
    schema = schema_of(known_tenant(container, args.tenant))
    target = Path(args.out).open("w", encoding="utf-8") if args.out else nullcontext(sys.stdout)  # noqa: SIM115
    with target as out, container.tenant_db(args.tenant) as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one consistent cut
        count = export_log(conn, schema, args.tenant, out)
    print(f"exported {count} events", file=sys.stderr)


def replay(args: argparse.Namespace) -> None:
    with connected() as container:
        _replay(container, args)


def _replay(container: Container, args: argparse.Namespace) -> None:
    app = container.app(known_tenant(container, args.tenant))
    upto = None
    if args.as_of:
        with container.tenant_db(args.tenant) as conn:
            upto = position_at(conn, schema_of(args.tenant), datetime.fromisoformat(args.as_of))
    # From the latest checkpoint, saving none (this command only reads; docs/adr/0023).
    state = board_as_of(app, UUID(args.assessment), upto, save=False)
    places = state.setup.precision if state.setup else DEFAULT_PLACES
    print(f"# board of {args.assessment} as of {args.as_of or 'now'} (log position {upto})")
    for row in rows(state):
        final = text(row.final, places)  # the one rule (四舍五入), as on the board
        print(f"{row.group}\t{row.rank or '—'}\t{final}\t{row.tier or '—'}\t{row.name}\t"
              f"{' '.join(row.flags)}")


def audit_checkpoints(args: argparse.Namespace) -> None:
    """Every as-of checkpoint of the tenant recomputed from the log alone (docs/adr/0023)."""
    with connected() as container:
        bad = _audit_checkpoints(container, args)
    sys.exit(1 if bad else 0)


def _audit_checkpoints(container: Container, args: argparse.Namespace) -> int:
    app = container.app(known_tenant(container, args.tenant))
    if args.assessment:
        assessments = [UUID(args.assessment)]
    else:
        with container.tenant_db(args.tenant) as conn:
            assessments = [row["assessment_id"] for row in conn.execute(SQL(
                "SELECT DISTINCT assessment_id FROM {}.board_checkpoints ORDER BY 1").format(
                    Identifier(schema_of(args.tenant))))]
    bad = 0
    for assessment in assessments:
        found = check_checkpoints(app, assessment)
        bad += len(found)
        print(json.dumps({"assessment": str(assessment), "ok": not found,
                          "bad_positions": found}))
    return bad


def history(args: argparse.Namespace) -> None:
    """Rendered from the log itself (not the projection), so it is read-only and final."""
    with connected() as container:
        _history(container, args)


def _history(container: Container, args: argparse.Namespace) -> None:
    app = container.app(known_tenant(container, args.tenant))
    with container.tenant_db(args.tenant) as conn:
        recorded = recorded_times(conn, schema_of(args.tenant))
    assessment = UUID(args.assessment)
    for position, event in read_assessment(app, assessment):  # by the log index
        entry = history_entry(position, recorded[position], event)
        if entry is None or entry.assessment_id != assessment:
            continue
        if (args.subject and str(entry.subject_id) != args.subject) or (
                args.judge and str(entry.judge_id) != args.judge):
            continue
        changes = ", ".join(f"{c.code}: {c.old} → {c.new}" for c in entry.changes)
        print(f"{entry.position}\t{entry.at.isoformat()}\t{entry.actor_role}:{entry.actor_id}"
              f"\t{entry.type}\t{changes}\t{entry.reason or ''}")


def rebuild_views(args: argparse.Namespace) -> None:
    with connected() as container:
        known_tenant(container, args.tenant)
        version, position = rebuild(container.pool, container.projector, container.roles,
                                    args.tenant)
    print(json.dumps({"tenant": args.tenant, "version": version, "position": position}))


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser("audit", help="auditors' checks").add_subparsers(
        dest="audit", required=True)
    verify = audit.add_parser("verify", help="check a tenant's hash chain, or an export's")
    where = verify.add_mutually_exclusive_group(required=True)
    where.add_argument("--tenant")
    where.add_argument("--file", help="an export written by `kaoping export`")
    verify.add_argument("--results", help="a 公示 sheet (the JSON of GET …/results) to "
                                          "recompute from the export (--file) and compare")
    verify.set_defaults(run=audit_verify)
    checkpoints = audit.add_parser(
        "checkpoints", help="recompute the as-of checkpoints from the log alone")
    checkpoints.add_argument("--tenant", required=True)
    checkpoints.add_argument("--assessment", help="one assessment (default: every one)")
    checkpoints.set_defaults(run=audit_checkpoints)
    p = commands.add_parser("export", help="write a tenant's log with its chain (JSON lines)")
    p.add_argument("--tenant", required=True)
    p.add_argument("--out", help="a file (default: standard output)")
    p.set_defaults(run=export)
    p = commands.add_parser("replay", help="print an assessment's board as it stood")
    p.add_argument("--tenant", required=True)
    p.add_argument("--assessment", required=True)
    p.add_argument("--as-of", help="an ISO time, e.g. 2020-07-03T12:00:00+08:00")
    p.set_defaults(run=replay)
    p = commands.add_parser("history", help="print an assessment's history")
    p.add_argument("--tenant", required=True)
    p.add_argument("--assessment", required=True)
    p.add_argument("--subject")
    p.add_argument("--judge")
    p.set_defaults(run=history)
    projections = commands.add_parser("projections", help="the views").add_subparsers(
        dest="projections", required=True)
    p = projections.add_parser("rebuild", help="rebuild a tenant's views beside the current "
                                               "ones from position 0, then switch")
    p.add_argument("--tenant", required=True)
    p.set_defaults(run=rebuild_views)
