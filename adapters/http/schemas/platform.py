"""Shapes: platform."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from adapters.http.schemas.base import (
    ONE_LINE,
    In,
    Name,
)
from adapters.http.schemas.values import (
    PresetKey,
    TenantState,
)


class TenantCreate(In):
    slug: Annotated[str, Meta(max_length=64, pattern=ONE_LINE)]
    name: Name
    time_zone: Annotated[str, Meta(max_length=64, pattern=ONE_LINE)] = "Asia/Shanghai"
    preset: PresetKey | None = None


class TenantCreated(Struct):
    slug: str
    name: str
    status: TenantState
    admin_token: str
    time_zone: str = "Asia/Shanghai"


class TenantRead(Struct):
    slug: str
    name: str
    status: TenantState
    created_at: datetime
    time_zone: str = "Asia/Shanghai"
    evidence_bytes: int = 0
    evidence_files: int = 0
    evidence_quota_bytes: int = 0


class TenantStatus(Struct):
    slug: str
    status: TenantState
