"""structlog, configured once: JSON lines when not on a terminal, readable on one.

Standard-library records (uvicorn, psycopg) go through the same processors, so every line
of a production log is JSON.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import structlog

SECRET_KEYS = ("token", "authorization", "password", "secret")


def drop_secrets(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if any(secret in key.lower() for secret in SECRET_KEYS):
            event[key] = "[redacted]"
    return event


def add_pid(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """Which process said it: with ``serve --workers N`` several write to one log."""
    event["pid"] = os.getpid()
    return event


def configure_logging(fmt: str = "auto", level: int = logging.INFO) -> None:
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json_lines
        else structlog.dev.ConsoleRenderer()
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_secrets,
        add_pid,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "psycopg.pool", "uvicorn.access", "pgserver"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
