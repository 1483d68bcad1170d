"""Settings, read from the environment once, by the composition root only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    host: str
    port: int
    operator_token: str | None
    pool_max: int
    tenant_cache: int
    log_format: str  # "json", "console" or "auto"
    max_body_bytes: int
    projector_batch: int
    evidence_max_bytes: int
    rate_per_second: float
    rate_burst: int
    cors_origins: tuple[str, ...]
    # How long a read of projected views waits for them to reach the log head (API: 2 s).
    read_wait_seconds: float = 2.0
    # 配额: a tenant's evidence, and what one user may upload in a day (the tenant's day).
    evidence_quota_bytes: int = 5 * 1024 ** 3
    evidence_daily_bytes_per_user: int = 500 * 1024 ** 2
    # How many reads may wait for one tenant's views at once; more are told to retry (503).
    read_waiters: int = 32
    # ``kaoping serve``: HTTP worker processes (1: one process with the projector inside).
    workers: int = 1
    # The background checkpointer of as-of reads, where this process projects (ADR 23).
    checkpointer: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=env.get("KAOPING_DATABASE_URL") or None,
            data_dir=Path(env.get("KAOPING_DATA_DIR") or ".kaoping").resolve(),
            host=env.get("KAOPING_HOST", "127.0.0.1"),
            port=int(env.get("KAOPING_PORT", "8000")),
            operator_token=env.get("KAOPING_OPERATOR_TOKEN") or None,
            pool_max=int(env.get("KAOPING_POOL_MAX", "10")),
            tenant_cache=int(env.get("KAOPING_TENANT_CACHE", "4096")),
            log_format=env.get("KAOPING_LOG_FORMAT", "auto"),
            max_body_bytes=int(env.get("KAOPING_MAX_BODY_BYTES", str(1024 * 1024))),
            projector_batch=int(env.get("KAOPING_PROJECTOR_BATCH", "500")),
            evidence_max_bytes=int(env.get("KAOPING_EVIDENCE_MAX_BYTES", str(50 * 1024 * 1024))),
            rate_per_second=float(env.get("KAOPING_RATE_PER_SECOND", "50")),
            rate_burst=int(env.get("KAOPING_RATE_BURST", "100")),
            cors_origins=tuple(o.strip() for o in env.get("KAOPING_CORS_ORIGINS", "").split(",")
                               if o.strip()),
            read_wait_seconds=float(env.get("KAOPING_READ_WAIT_SECONDS", "2")),
            evidence_quota_bytes=int(env.get("KAOPING_EVIDENCE_QUOTA_BYTES",
                                             str(5 * 1024 ** 3))),
            evidence_daily_bytes_per_user=int(env.get(
                "KAOPING_EVIDENCE_DAILY_BYTES_PER_USER", str(500 * 1024 ** 2))),
            read_waiters=int(env.get("KAOPING_READ_WAITERS", "32")),
            workers=max(1, int(env.get("KAOPING_WORKERS") or cores())),
            checkpointer=env.get("KAOPING_CHECKPOINTER", "1") not in ("0", "off", "no"),
        )
