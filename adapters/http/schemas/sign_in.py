"""Shapes: sign-in links and pages' sessions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from msgspec import Struct

from adapters.http.schemas.values import UserRole

__all__ = ["SessionRead", "SignInLinkCreated"]


class SignInLinkCreated(Struct):
    url: str
    expires_at: datetime
    qr_svg: str
    user_id: UUID
    user_name: str
    role: UserRole


class SessionRead(Struct):
    id: UUID
    created_at: datetime
    expires_at: datetime
