"""The round's timetable and the chair's opinions, in memory: no I/O, no clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from domain.cause import Cause
from domain.errors import NotPermitted, RuleViolated, StateConflict
from domain.opinions import PanelOpinions
from domain.windows import (
    MATERIALS,
    SELF_ASSESSMENT,
    ComponentWindow,
    RoundWindows,
    Session,
    Timetable,
    Window,
)

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
CAUSE = Cause("admin", "admin", "req")


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = SH) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


YUHUAN = Timetable(  # 玉环: 自查自评 by 11-10 for the first semester, 06-10 for the second
    self_assessment=Window(at(date(2026, 11, 10), 23, 59)),
    components=(ComponentWindow("second", Window(at(date(2027, 6, 10), 23, 59))),),
    late="refuse")


def test_each_component_keeps_its_own_window() -> None:
    assert YUHUAN.check("routine", "g", at(date(2026, 11, 10), 23, 0)) is None
    assert YUHUAN.check("second", "g", at(date(2027, 6, 1), 9)) is None
    with pytest.raises(StateConflict) as refused:
        YUHUAN.check("routine", "g", at(date(2026, 11, 11), 0, 1))
    assert refused.value.detail == ("the self-assessment deadline was 2026-11-10 23:59 "
                                    "(Beijing time): late work is refused")


def test_flagged_work_names_the_first_deadline_it_missed() -> None:
    t = Timetable(self_assessment=Window(at(date(2026, 12, 20), 12)), late="flag",
                  materials_due_days_before=3,
                  schedule=(Session("g", date(2026, 12, 18), "08:30", "会议室"),))
    assert t.materials_due("g") == at(date(2026, 12, 15), 23, 59).replace(second=59)
    late = t.check("routine", "g", at(date(2026, 12, 16), 9))
    assert late is not None and late.window == MATERIALS
    assert t.check("routine", "other", at(date(2026, 12, 16), 9)) is None  # no meeting set
    late = t.check("routine", "other", at(date(2026, 12, 21), 9))
    assert late is not None and late.window == SELF_ASSESSMENT


def test_the_deadline_is_said_in_the_districts_zone() -> None:
    closes = at(date(2026, 11, 10), 17, zone=NY)
    t = Timetable(self_assessment=Window(closes), time_zone="America/New_York")
    with pytest.raises(StateConflict) as refused:
        t.check("routine", "g", closes + timedelta(minutes=1))
    assert "2026-11-10 17:00 (America/New_York)" in refused.value.detail
    assert t.check("routine", "g", closes) is None  # the closing minute is still on time


def test_a_window_closing_before_it_opens_is_refused() -> None:
    windows = RoundWindows(assessment_id=uuid4(), cause=CAUSE)
    bad = Timetable(self_assessment=Window(at(date(2026, 1, 1), 0), at(date(2026, 2, 1), 0)),
                    schedule=(Session("nope", date(2026, 1, 1)),))
    with pytest.raises(RuleViolated) as refused:
        windows.set(bad, {"g"}, {"routine"}, CAUSE)
    assert {e.field for e in refused.value.errors} == {"self_assessment", "schedule.nope"}
    assert windows.set(YUHUAN, {"g"}, {"routine", "second"}, CAUSE)
    assert not windows.set(YUHUAN, {"g"}, {"routine", "second"}, CAUSE)  # nothing changed


def test_only_a_chair_writes_the_summary_and_each_version_keeps_the_one_before() -> None:
    opinions = PanelOpinions(assessment_id=uuid4(), cause=CAUSE)
    chair, judge, subject = uuid4(), uuid4(), uuid4()
    opinions.appoint_chair(chair, "组长", CAUSE)
    with pytest.raises(NotPermitted):
        opinions.write(judge, subject, "我不是组长", CAUSE)
    assert opinions.write(chair, subject, " 第一稿 ", CAUSE)
    assert not opinions.write(chair, subject, "第一稿", CAUSE)
    assert opinions.write(chair, subject, "第二稿", CAUSE)
    written = [e for e in opinions.collect_events()
               if isinstance(e, PanelOpinions.OpinionWritten)]
    assert [(e.previous, e.text, e.judge_id) for e in written] == [
        (None, "第一稿", chair), ("第一稿", "第二稿", chair)]
