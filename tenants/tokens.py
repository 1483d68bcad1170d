"""Bearer tokens: 256 random bits, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "kp_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def same_token(given: str, expected: str) -> bool:
    return hmac.compare_digest(token_hash(given), token_hash(expected))
