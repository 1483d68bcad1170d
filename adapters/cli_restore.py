"""``kaoping import-log``: a tenant restored from an export, its views built."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from adapters.cli_audit import connected
from adapters.restore import restore_log
from domain.errors import DomainError


def import_log(args: argparse.Namespace) -> None:
    with connected() as container, Path(args.file).open(encoding="utf-8") as lines:
        try:
            restored = restore_log(container, args.tenant, args.name or args.tenant, lines)
        except DomainError as refused:  # a broken chain, a taken slug: nothing was kept
            sys.exit(f"not restored: {refused}")
        position = container.projector.catch_up(args.tenant)
    print(json.dumps({"tenant": restored.slug, "events": restored.events, "head": restored.head,
                      "views_at": position, "admin_id": str(restored.admin_id),
                      "admin_token": restored.admin_token}, ensure_ascii=False))


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser("import-log", help="restore an export into a new tenant: the same "
                                               "events, positions, times and chain")
    p.add_argument("--tenant", required=True, help="the new tenant's slug")
    p.add_argument("--file", required=True, help="an export written by `kaoping export`")
    p.add_argument("--name", help="the new tenant's name (default: the slug)")
    p.set_defaults(run=import_log)
