"""Converting annual reviews between the wire and the services (年度考核)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.http.schemas.annual import (
    AnnualBoard,
    AnnualChangeOut,
    AnnualLineOut,
    AnnualPartIn,
    AnnualPartOut,
    AnnualPartRead,
    AnnualReviewRead,
    AnnualSchoolLine,
    AnnualSourceOut,
    AnnualVersionOut,
)
from adapters.http.schemas.base import points
from domain.annual import AnnualReview, Part
from domain.annual_board import AnnualState, Line, changes, lines, source_name
from domain.assessment import Assessment


def part_of(index: int, part: AnnualPartIn) -> Part:
    return Part(f"p{index + 1}", part.assessment_id, part.source, part.applies_to,
                part.weight, part.points, part.label or "")


def read_out(review: AnnualReview, app: Any) -> AnnualReviewRead:
    def name_of(assessment_id: Any) -> str | None:
        found = app.load_or_none(Assessment, assessment_id)
        return found.setup.name if found is not None else None

    return AnnualReviewRead(review.id, review.year, review.name, review.version, [
        AnnualPartRead(p.key, p.assessment_id, name_of(p.assessment_id), p.source, p.applies_to,
                       None if p.weight is None else float(p.weight),
                       None if p.points is None else float(p.points), p.label)
        for p in review.parts], review.published)


def parts_out(line: Line, state: AnnualState) -> list[AnnualPartOut]:
    places = state.precision
    return [AnnualPartOut(p.key, p.label, p.source, p.assessment_id, p.assessment_name, p.via,
                          points(p.value, places), points(p.converted, places),
                          source_name(p, state))
            for p in line.parts]


def line_out(state: AnnualState, line: Line, caught_up: bool) -> AnnualSchoolLine:
    last = state.versions[-1] if state.versions else None
    return AnnualSchoolLine(
        state.review_id, state.year, state.name, state.version, last.at if last else None,
        state.published, state.published_at, line.school_id, line.name,
        parts_out(line, state), float(line.total), list(line.missing), state.precision,
        caught_up)


def board_out(state: AnnualState, as_of: datetime | None, position: int,
              caught_up: bool) -> AnnualBoard:
    places = state.precision
    sources = state.inputs.sources
    names = {key: s.name for key, s in sources.items()}
    return AnnualBoard(
        state.review_id, state.year, state.name, state.version, as_of, position, caught_up,
        [AnnualLineOut(line.school_id, line.name, parts_out(line, state), float(line.total),
                       list(line.missing))
         for line in lines(state)],
        [AnnualChangeOut(c.school_id, c.name, points(c.before, places), points(c.after, places),
                         float(c.difference), list(c.parts)) for c in changes(state)],
        [AnnualVersionOut(v.version, v.position, v.what, v.at, v.assessment_id,
                          names.get(str(v.assessment_id)) if v.assessment_id else None, v.reason)
         for v in state.versions],
        [AnnualSourceOut(s.assessment_id, s.name, s.log_position, s.log_head)
         for s in sources.values()], places, state.published, state.published_at)
