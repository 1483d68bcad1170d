"""``kaoping serve`` (the API: one process with the projector inside, or ``--workers N``
processes beside a projector process) and ``kaoping projector``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import uuid

import psycopg
import structlog
import uvicorn

from adapters import cli_audit, cli_restore
from adapters.bootstrap import build_container, database_url, operator_token, write_private
from adapters.container import Container
from adapters.http.app import create_app
from adapters.logging import configure_logging
from adapters.postgres.rebuild import outdated, rebuild
from adapters.settings import Settings
from adapters.web.qr import link_path
from adapters.workers import ProjectorProcess, run_projector, serve_workers
from domain.cause import Cause
from tenants.demo import DEMO_SLUG, seed_demo

log = structlog.get_logger("kaoping")


def ensure_demo(container: Container) -> dict[str, str]:
    """Create the demo tenant once; later starts reprint the tokens kept (0600) beside the data."""
    path = container.settings.data_dir / "demo_tokens.json"
    if container.catalogue.get(DEMO_SLUG) is not None:
        return json.loads(path.read_text()) if path.exists() else {}
    demo = seed_demo(container.platform, f"demo-{uuid.uuid4().hex[:8]}")
    tokens = {**demo.tokens, "assessment_id": str(demo.assessment_id)}
    write_private(path, json.dumps(tokens, indent=2))
    return tokens


def upgrade(container: Container) -> None:
    """Bring every tenant up to this version: schemas, roles, and views of today's layout."""
    count = container.platform.upgrade_all()
    for tenant in container.catalogue.all():
        try:
            stale = outdated(container.pool, container.roles, tenant.slug)
        except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidParameterValue):
            # Its schema or role is being provisioned or dropped at this very moment.
            log.info("tenant_skipped", tenant=tenant.slug)
            continue
        if stale:
            version, _ = rebuild(container.pool, container.projector, container.roles,
                                 tenant.slug)
            log.info("views_rebuilt", tenant=tenant.slug, version=version)
    log.info("tenants_upgraded", count=count)


def demo_sign_in(container: Container) -> str:
    """A new sign-in link's path for the demo's admin, at every start (a link is single use):
    whoever ran ``make run`` opens the console in a browser without typing a token."""
    admin = container.platform.first_admin(DEMO_SLUG)
    made = container.sign_ins.create_link(
        DEMO_SLUG, admin.id, Cause(str(admin.id), "admin", f"serve-{uuid.uuid4().hex[:12]}"))
    return link_path(DEMO_SLUG, made.code)


def banner(settings: Settings, token: str, generated: bool, demo: dict[str, str] | None) -> str:
    """What ``serve`` prints at start. The operator token is shown only when kaoping has just
    generated it: a token set in the environment, or kept from an earlier start, stays out
    of the terminal and of whatever collects its output."""
    base = f"http://{settings.host}:{settings.port}"
    if generated:
        shown = f"{token}   (kept in {settings.data_dir / 'operator_token'})"
    elif settings.operator_token:
        shown = "from KAOPING_OPERATOR_TOKEN (not shown)"
    else:
        shown = f"kept in {settings.data_dir / 'operator_token'} (not shown)"
    lines = [
        "", f"kaoping 考评 is serving on {base}   (API docs: {base}/schema)",
        f"  operator token:  {shown}",
    ]
    if demo:
        lines.append(f"  demo tenant '{DEMO_SLUG}' ({base}/api/v1/tenants/{DEMO_SLUG}/…):")
        lines += [f"    {who:<14} {value}" for who, value in demo.items()
                  if who != "admin_sign_in"]
        if "admin_sign_in" in demo:  # the pages: the admin's console, one use, 7 days
            lines.append(f"  管理台 (open once in a browser): {base}{demo['admin_sign_in']}")
    if settings.workers > 1:
        lines.append(f"  {settings.workers} API worker processes, and one projector process")
    lines.append("  Ctrl-C stops the server (and the embedded database).")
    return "\n".join(lines) + "\n"


def serve(args: argparse.Namespace) -> None:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    settings = dataclasses.replace(settings, port=args.port or settings.port,
                                   workers=args.workers or settings.workers)
    url = database_url(settings)
    token, generated = operator_token(settings)
    container = build_container(settings, url, token)
    upgrade(container)
    demo = ensure_demo(container) if args.demo else None
    if demo is not None:
        demo = demo | {"admin_sign_in": demo_sign_in(container)}
    print(banner(settings, token, generated, demo), file=sys.stderr, flush=True)
    if settings.workers == 1:  # one process, the projector inside
        app = create_app(container, manage_lifecycle=True)
        uvicorn.run(app, host=settings.host, port=settings.port, log_config=None,
                    access_log=False)
        return
    container.close()  # the parent serves nothing: its children open their own pools
    os.environ.update(KAOPING_DATABASE_URL=url, KAOPING_OPERATOR_TOKEN=token,
                      KAOPING_PORT=str(settings.port), KAOPING_WORKERS=str(settings.workers))
    projector_process = ProjectorProcess()
    projector_process.start()
    try:
        serve_workers(settings)
    finally:
        projector_process.stop()


def projector(_: argparse.Namespace) -> None:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    url = database_url(settings)
    token, _ = operator_token(settings)
    container = build_container(settings, url, token)
    upgrade(container)
    run_projector(container)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kaoping", description="考评 — kaoping")
    commands = parser.add_subparsers(dest="command", required=True)
    p_serve = commands.add_parser("serve", help="serve the HTTP API (projector inside)")
    p_serve.add_argument("--demo", action="store_true", help="create the demo tenant if missing")
    p_serve.add_argument("--port", type=int, default=None, help="overrides KAOPING_PORT")
    p_serve.add_argument("--workers", type=int, default=None,
                         help="HTTP worker processes, beside one projector process (overrides "
                              "KAOPING_WORKERS; default: the number of cores; 1: one process, "
                              "the projector inside)")
    p_serve.set_defaults(run=serve)
    p_proj = commands.add_parser("projector", help="run the projector on its own")
    p_proj.set_defaults(run=projector)
    cli_audit.register(commands)
    cli_restore.register(commands)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
