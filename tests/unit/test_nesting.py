"""The bracket scan measures JSON nesting as a parser would, strings and escapes included."""

import json

from hypothesis import given
from hypothesis import strategies as st

from adapters.http.nesting import MAX_DEPTH, too_deep

TEXT = st.text(alphabet='[]{}"\\ab长', max_size=8)
VALUES = st.recursive(st.none() | st.integers() | TEXT,
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(TEXT, inner, max_size=3), max_leaves=60)


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@given(VALUES, st.integers(min_value=0, max_value=6))
def test_the_scan_agrees_with_the_real_depth(value, limit) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    assert too_deep(body, limit) == (depth(value) > limit)


def test_the_limit_is_32_levels_and_unclosed_brackets_count() -> None:
    assert not too_deep(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode())
    assert too_deep(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode())
    assert too_deep(b'{"a": ' + b"[" * 977)
    assert not too_deep(json.dumps({"a": "[" * 977, "b": '\\"[[[[' * 100}).encode())
