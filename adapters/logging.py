"""structlog, configured once: JSON lines when not on a terminal, readable on one.

Standard-library records (uvicorn, psycopg) go through the same processors, so every line
of a production log is JSON. Our own events (one per request) are rendered by structlog and
written straight to stderr, without the standard library's records, handlers and stack walk
(55 → 25–40 µs a line; it was a tenth of the HTTP layer's time, bench/http_overhead.py). The
lines are as before, so whatever reads them (tests/e2e grep them) reads them still.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from typing import Any, TextIO

import structlog

SECRET_KEYS = ("token", "authorization", "password", "secret")


_JSON = json.JSONEncoder(ensure_ascii=False, default=repr)  # made once, not per line


def json_line(_: Any, __: str, event: dict[str, Any]) -> str:
    """The event as one line of JSON, as structlog's JSONRenderer writes it."""
    return _JSON.encode(event)


# One search per key (a generator over SECRET_KEYS per key was ~130 calls a request line).
SECRET = re.compile("|".join(SECRET_KEYS), re.IGNORECASE)


def drop_secrets(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if SECRET.search(key):
            event[key] = "[redacted]"
    return event


def add_pid(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """Which process said it: with ``serve --workers N`` several write to one log."""
    event["pid"] = os.getpid()
    return event


class NamedWriteLogger(structlog.WriteLogger):
    """Writes each rendered line to a stream; named, so the line says which logger wrote it."""

    def __init__(self, name: str, file: TextIO) -> None:
        super().__init__(file)
        self.name = name


def configure_logging(fmt: str = "auto", level: int = logging.INFO) -> None:
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = json_line if json_lines else structlog.dev.ConsoleRenderer()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_secrets,
        add_pid,
    ]
    stream = sys.stderr
    own: list[Any] = ([structlog.processors.format_exc_info, renderer] if json_lines
                      else [renderer])
    structlog.configure(
        processors=[*shared, *own],
        logger_factory=lambda *args: NamedWriteLogger(args[0] if args else "", stream),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream)
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
