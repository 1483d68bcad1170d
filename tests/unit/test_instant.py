"""Reading a query's point in time: full date-times only, offset-less ones in the tenant zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from adapters.http.zone import in_zone, instant
from domain.errors import RuleViolated

SHANGHAI = ZoneInfo("Asia/Shanghai")
EIGHT = timezone(timedelta(hours=8))


@pytest.mark.parametrize("text", [
    "2026-11-30T10:00:00", "2026-11-30T10:00:00+08:00", "2026-11-30T02:00:00Z",
    "2026-11-30 10:00", "2026-11-30T10:00:00 08:00",  # a "+" that arrived as a space
])
def test_the_same_moment_however_it_is_written(text: str) -> None:
    assert instant(text, SHANGHAI) == datetime(2026, 11, 30, 10, tzinfo=EIGHT)


@pytest.mark.parametrize("text", ["1097", "2026-11-30", "", "today", "2026-02-30T10:00:00"])
def test_anything_short_of_a_full_date_and_time_is_refused(text: str) -> None:
    with pytest.raises(RuleViolated) as refused:
        instant(text, SHANGHAI)
    assert refused.value.errors[0].field == "as_of"


def test_answers_move_timestamps_to_the_zone_and_leave_the_rest() -> None:
    utc = datetime(2026, 11, 30, 2, tzinfo=UTC)
    moved = in_zone({"at": utc, "n": 1, "rows": [{"at": utc}]}, SHANGHAI)
    assert moved["at"].isoformat() == "2026-11-30T10:00:00+08:00"
    assert moved["rows"][0]["at"] == utc and moved["n"] == 1
