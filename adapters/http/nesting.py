"""How deep a JSON body nests, found by a cheap scan of its bytes before any parser sees it:
a recursive parser given a thousand ``[`` runs out of stack (a 500) long before the size
limit is reached."""

from __future__ import annotations

MAX_DEPTH = 32  # API.md: JSON nesting ≤ 32 → 400
_KEEP_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_OPENERS = frozenset(b"[{")


def _outside_strings(body: bytes) -> bytes:
    """The body without its strings, so brackets inside text do not count. Escapes go first
    (an escaped backslash, then an escaped quote): the quotes left then open and close strings."""
    parts = body.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')
    return b"".join(parts[::2])


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when arrays and objects open more than ``limit`` levels deep. The scan stops
    where a parser would: at a closing bracket with nothing open (malformed, said so later)."""
    depth = 0
    for byte in _outside_strings(body).translate(None, _KEEP_BRACKETS):
        if byte in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
            if depth < 0:
                return False
    return False
