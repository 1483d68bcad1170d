"""An embedded PostgreSQL (the ``pgserver`` wheel) under the data directory: zero set-up."""

from __future__ import annotations

import warnings
from pathlib import Path


def start_embedded(data_dir: Path) -> str:
    """Start (or reuse) the server whose data lives in ``data_dir/pg``; return its URL.

    pgserver stops the server when the last process using it exits.
    """
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver  # noqa: PLC0415 — here, so that importing us never touches a database

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    return str(server.get_uri())
