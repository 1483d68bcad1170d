"""存储用量 and file names, decided in the domain (pure: the day is an argument)."""

from datetime import date
from uuid import uuid4

import pytest

from domain.cause import Cause
from domain.errors import OverQuota
from domain.evidence import EvidenceUsage, display_name

CAUSE = Cause("reporter-1", "reporter", "r")


def test_a_users_daily_total_starts_again_on_a_new_day() -> None:
    usage = EvidenceUsage(stored_bytes=0, files=0, cause=CAUSE)
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    usage.count(uuid4(), 80, "u", monday, 10**6, 100, CAUSE)
    with pytest.raises(OverQuota) as refused:
        usage.count(uuid4(), 30, "u", monday, 10**6, 100, CAUSE)
    assert refused.value.extra == {"limit_bytes": 100, "used_bytes": 80}
    usage.count(uuid4(), 30, "v", monday, 10**6, 100, CAUSE)  # another user's own total
    usage.count(uuid4(), 90, "u", tuesday, 10**6, 100, CAUSE)  # a new day
    assert (usage.stored_bytes, usage.files) == (200, 3)


def test_the_tenant_quota_counts_every_upload() -> None:
    usage = EvidenceUsage(stored_bytes=900, files=9, cause=CAUSE)
    with pytest.raises(OverQuota) as refused:
        usage.count(uuid4(), 101, "u", date(2026, 12, 1), 1000, 10**6, CAUSE)
    assert "1000" not in refused.value.detail  # sizes are told in MB
    assert refused.value.extra == {"limit_bytes": 1000, "used_bytes": 900}


@pytest.mark.parametrize(("given", "shown"), [
    ("教案.pdf", "教案.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\文档\\总结.docx", "总结.docx"),
    ("报告\u202egpj.exe", "报告gpj.exe"),  # right-to-left override
    ("a\u200b\u2066b\ufeff\x00\x1b[31m.pdf", "ab[31m.pdf"),
    ("  两个   空格 .pdf ", "两个 空格 .pdf"),
])
def test_a_file_name_is_display_text_only(given: str, shown: str) -> None:
    assert display_name(given) == shown
