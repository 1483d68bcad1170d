"""What imports rely on, without a database: header matching is lenient in the ways districts
are, and a name claim's version tells whether it is held."""

from __future__ import annotations

import unicodedata
import uuid

from hypothesis import given
from hypothesis import strategies as st

from adapters.sheets.headers import header_index, header_key
from adapters.sheets.kinds import KINDS, convert
from domain.cause import Cause
from domain.names import NameClaim

CAUSE = Cause("admin", "admin", "test")
HEADERS = [(kind.name, c.field, name) for kind in KINDS.values() for c in kind.columns
           for name in c.names]


def full_width(text: str) -> str:
    """What a Chinese input method types for ASCII: Ｆｕｌｌ-width forms (U+FF01…)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.sampled_from(HEADERS), st.lists(st.sampled_from([" ", "\u3000", "\t", "\n"]),
                                          max_size=4), st.integers(0, 10), st.booleans(),
       st.booleans())
def test_a_header_is_found_however_it_is_spaced_or_marked(
    header: tuple[str, str, str], blanks: list[str], where: int, star: bool, wide: bool,
) -> None:
    kind, field, name = header
    spelled = name[:where] + "".join(blanks) + name[where:]
    spelled = ("*" if star else "") + spelled + ("（必填）" if star else "")
    if wide:
        spelled = full_width(spelled)
    index = header_index((c.field, c.names) for c in KINDS[kind].columns)
    assert index[header_key(spelled)] == field


def test_no_two_columns_of_a_kind_share_a_spelling() -> None:
    for kind in KINDS.values():
        keys = [header_key(n) for c in kind.columns for n in c.names]
        assert len(keys) == len(set(keys)), kind.name


def test_an_enumerated_cell_takes_its_label_or_its_value() -> None:
    role = KINDS["users"].column("role")
    assert convert(role, "评委") == ("judge", None)
    assert convert(role, "judge") == ("judge", None)
    assert convert(role, "校长")[1] == "should be one of 评委、管理员、审计员、填报员、教师"
    stage = KINDS["schools"].column("stage")
    assert convert(stage, unicodedata.normalize("NFKC", " 小学 ")) == ("小学", None)


def test_a_claim_is_held_exactly_when_its_version_is_odd() -> None:
    claim = NameClaim(scope="school", name="南钢学校", holder_id=uuid.uuid4(), cause=CAUSE)
    assert claim.version == 1 and claim.holder_id is not None
    for _ in range(3):
        holder = claim.holder_id
        assert holder is not None and claim.release(holder, CAUSE)
        assert claim.version % 2 == 0 and claim.holder_id is None
        claim.retake("南钢学校", uuid.uuid4(), CAUSE)
        assert claim.version % 2 == 1 and claim.holder_id is not None
    claim.retake("南钢学校", claim.holder_id, CAUSE)  # the holder again: no event
    assert claim.version % 2 == 1
