"""任意时刻成绩榜: the board as it stood after any change of the round, or at any moment, beside
the board now and the difference, subject by subject.

It reads what ``GET …/scoreboard?as_of=`` reads (the projector's own fold over the log up to
a position, ``services.replay.board_as_of``) and admits whom that route and
``check_may_replay`` admit. The slider's steps are the round's history entries in log order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Request, get

from adapters.container import Container
from adapters.http import convert
from adapters.http.names import of_board
from adapters.http.schemas import BoardRow
from adapters.http.scoring import ScoringController, places_of
from adapters.http.zone import instant
from adapters.postgres.log import position_at
from adapters.postgres.versions import schema_of
from adapters.web import audit_words as words
from adapters.web.auditing import PAGE
from adapters.web.gate import admit, shown
from adapters.web.templating import Page as Template
from domain.board import BoardState
from domain.results import rows
from services.access import check_may_replay
from services.replay import board_as_of as replayed_as_of
from tenants.model import Principal

FIELD_TIME = "%Y-%m-%dT%H:%M"  # what <input type=datetime-local> sends and shows


@dataclass(frozen=True)
class Moment:
    step: int  # how many of the round's changes the board includes
    steps: int  # how many there are
    position: int  # the log position the board is folded up to
    at: datetime | None  # when that was (the step's time, or the moment asked for)


@dataclass(frozen=True)
class Line:
    """One subject then and now."""

    subject_id: UUID
    name: str
    group: str | None
    then: BoardRow | None
    now: BoardRow | None

    @property
    def moved(self) -> bool:
        def seen(row: BoardRow | None) -> tuple[Any, ...]:
            return (None,) if row is None else (row.final, row.tier, row.rank, {
                k: c.score for k, c in row.components.items()})
        return seen(self.then) != seen(self.now)


def moment_of(container: Container, tenant: str, assessment_id: UUID, at: int | None,
              when: str | None, zone: ZoneInfo) -> Moment:
    with container.views(tenant) as views:
        steps = views.history_steps(assessment_id)
        if when:
            moment = instant(when, zone, "when")
            assert moment is not None
            with container.tenant_db(tenant) as conn:
                position = position_at(conn, schema_of(tenant), moment)
            return Moment(views.history_steps(assessment_id, position), steps, position, moment)
        step = steps if at is None else min(max(at, 0), steps)
        found = views.history_step(assessment_id, step) if step else None
    if found is None:
        return Moment(0, steps, 0, None)
    return Moment(step, steps, found["position"], found["recorded_at"])


def board_rows(state: BoardState) -> dict[UUID, BoardRow]:
    names, places = of_board(state), places_of(state)
    return {r.subject_id: convert.row_out(r, names, places) for r in rows(state)}


@get("/audit/{assessment_id:uuid}/board", opt=PAGE, sync_to_thread=True, name="audit_board")
def board_as_of(
    request: Request[Any, Any, Any], tenant: str, assessment_id: UUID, who: Principal,
    container: Container, at: int | None = None, when: str | None = None,
) -> Template:
    admit(request, who, ScoringController.scoreboard, ScoringController.history)
    check_may_replay(who.role)
    app = container.app(tenant)
    assessment = app.assessment(assessment_id)  # 404 if unknown
    zone = ZoneInfo(who.time_zone)
    container.caught_up(tenant)
    moment = moment_of(container, tenant, assessment_id, at, when, zone)
    then = (board_rows(replayed_as_of(app, assessment_id, moment.position))
            if moment.position else {})
    with container.views(tenant) as views:
        now = board_rows(views.load_board(assessment_id) or BoardState(assessment_id))
    groups = {g.key: g.name for g in assessment.setup.groups}
    lines = [Line(s.id, s.name, groups.get(s.group, s.group), then.get(s.id), now.get(s.id))
             for s in assessment.subjects.values()]
    lines += [Line(i, r.name, r.group_name, r, now.get(i)) for i, r in then.items()
              if i not in assessment.subjects]  # removed since
    page = "audit/_board.html" if request.headers.get("hx-request") else "audit/board.html"
    return Template(page, context=shown(
        who, title=f"任意时刻成绩榜 · {assessment.setup.name}", assessment=assessment,
        moment=moment, lines=lines, components=assessment.setup.components,
        moved=sum(1 for line in lines if line.moved), pts=words.pts, delta=words.delta,
        when_value=(moment.at.astimezone(zone).strftime(FIELD_TIME) if moment.at else "")))
