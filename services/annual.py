"""年度考核: annual reviews built from published assessments, corrected when a source is.

Sources are read from the assessments' stored ``ResultsPublished`` events (never
recomputed); the board is ``domain.annual_board``'s fold of the review's own events, replayed
here for ``as_of`` and verify as the projector folds it (ADR 0026).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.annual import (
    AnnualLinks,
    AnnualReview,
    Part,
    SchoolRef,
    Source,
    SourceComponent,
    SourceLine,
    SourceScore,
    links_id,
)
from domain.annual_board import AnnualState, Line, fold, lines
from domain.assessment import Assessment, PublishedResult, Subject
from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated
from domain.evidence import Evidence
from domain.school import School
from services.base import BaseApplication, Written
from services.publication import published_event


@dataclass(frozen=True)
class ReviewSpec:
    year: str
    name: str
    parts: tuple[Part, ...]


class AnnualCommands(BaseApplication):
    def create_review(self, spec: ReviewSpec, cause: Cause,
                      node_id: UUID | None = None) -> Written:
        sources: dict[UUID, Source] = {}
        for part in spec.parts:
            if part.assessment_id in sources:
                continue
            assessment = self.load_or_none(Assessment, part.assessment_id)
            stored = published_event(self, part.assessment_id) if assessment else None
            if assessment is not None and stored is not None:  # else check_parts refuses
                sources[assessment.id] = self.source_of(
                    assessment, stored.results, stored.log_position, stored.log_head)
        review = AnnualReview.create(spec.year, spec.name, spec.parts, tuple(sources.values()),
                                     self.settings().precision,  # type: ignore[attr-defined]
                                     cause, node_id)
        links = []
        for assessment_id in sources:
            found = (self.load_or_none(AnnualLinks, links_id(assessment_id))
                     or AnnualLinks(assessment_id=assessment_id, cause=cause))
            found.link(review.id, cause)
            links.append(found)
        return self.write(review, *links)

    def annual_review(self, review_id: UUID) -> AnnualReview:
        return self.load(AnnualReview, review_id, "annual review")  # type: ignore[no-any-return]

    def enter_manual_part(
        self, review_id: UUID, school_id: UUID, label: str, points: Decimal,
        evidence_ids: tuple[UUID, ...], cause: Cause, expected_version: int | None = None,
    ) -> tuple[Written, str]:
        review = self.annual_review(review_id)
        self.check_version(review, expected_version)
        school: School | None = self.load_or_none(School, school_id)
        if school is None:
            raise RuleViolated("no such school", (FieldError("school_id", "no such school"),))
        for i, evidence_id in enumerate(evidence_ids):
            if self.load_or_none(Evidence, evidence_id) is None:
                raise RuleViolated("no such evidence",
                                   (FieldError(f"evidence_ids[{i}]", "no such evidence"),))
        key = review.enter_manual(SchoolRef(school.id, school.name), label, points, evidence_ids,
                                  cause)
        return self.write(review), key

    def publish_review(self, review_id: UUID, cause: Cause,
                       expected_version: int | None = None) -> Written:
        """公布: the schools' reporters read their own lines from now on."""
        review = self.annual_review(review_id)
        self.check_version(review, expected_version)
        review.publish(cause)
        return self.write(review)

    # -- sources ---------------------------------------------------------------------------

    def source_of(self, assessment: Assessment, results: tuple[PublishedResult, ...],
                  log_position: int, log_head: str) -> Source:
        """A published sheet as stored, each subject with the schools it reaches."""
        setup = assessment.setup
        names: dict[UUID, str] = {}
        out = []
        for result in results:
            subject = assessment.subjects.get(result.subject_id)
            if subject is None:
                continue
            out.append(SourceLine(result.subject_id, subject.kind, subject.name, result.final,
                                  tuple(SourceScore(c.key, c.score) for c in result.components),
                                  self._schools(subject, names)))
        return Source(assessment.id, setup.name, log_position, log_head,
                      sum((c.weight for c in setup.components), Decimal(0)),
                      tuple(SourceComponent(c.key, c.name, c.max_points)
                            for c in setup.components), tuple(out))

    def _schools(self, subject: Subject, names: dict[UUID, str]) -> tuple[SchoolRef, ...]:
        if subject.kind == "school":
            ids: tuple[UUID, ...] = (subject.ref_id,)
        elif subject.kind == "community":
            core = (subject.core_school_id,) if subject.core_school_id else ()
            ids = (*core, *(s for s in subject.member_school_ids if s not in core))
        else:
            return ()  # units and people reach no school's annual line
        found = []
        for school_id in ids:
            if school_id not in names:
                school = self.load_or_none(School, school_id)
                names[school_id] = school.name if school is not None else str(school_id)
            found.append(SchoolRef(school_id, names[school_id]))
        return tuple(found)

    def follow_publication(
        self, assessment: Assessment, results: tuple[PublishedResult, ...], log_position: int,
        log_head: str, cause: Cause,
    ) -> list[AnnualReview]:
        """The annual reviews reading this assessment, each with its corrected source (a
        first publication has none: a review reads only what is published)."""
        links = self.load_or_none(AnnualLinks, links_id(assessment.id))
        if links is None:
            return []
        source = self.source_of(assessment, results, log_position, log_head)
        why = cause.because(cause.reason or self._reopened_because(assessment.id)
                            or f"{assessment.setup.name} 重新公示")
        reviews = []
        for review_id in links.reviews:
            review: AnnualReview = self.annual_review(review_id)
            review.correct_source(source, why)
            reviews.append(review)
        return reviews

    def _reopened_because(self, assessment_id: UUID) -> str | None:
        """Why the round was reopened since its last publication (the correction's reason)."""
        for event in self.repository.event_store.get(assessment_id, desc=True):
            if isinstance(event, Assessment.ResultsPublished):
                return None
            if isinstance(event, Assessment.StatusChanged) and event.status == "open":
                return event.cause.reason
        return None

    # -- the board from the events alone -----------------------------------------------------

    def annual_at(self, review_id: UUID, positions: Mapping[int, tuple[int, datetime]],
                  upto: int | None = None) -> AnnualState:
        """The review's board state folded from its events (``positions``: each version's
        log position and time), up to log position ``upto`` (None: all)."""
        self.annual_review(review_id)  # 404 if there is none
        state = AnnualState(review_id)
        for event in self.repository.event_store.get(review_id):
            position, at = positions.get(event.originator_version, (0, None))  # type: ignore[arg-type]
            if upto is not None and position > upto:
                break
            fold(state, event, position, at)
        if state.version == 0:
            raise NotFound("the annual review did not exist yet at that moment")
        return state

    def stale_sources(self, state: AnnualState) -> list[AnnualDifference]:
        """Sources whose round was published again after the sheet the review holds (a
        correction that did not reach it)."""
        found = []
        for source in state.inputs.sources.values():
            latest = published_event(self, source.assessment_id)
            if latest is not None and latest.log_position != source.log_position:
                found.append(AnnualDifference(source.assessment_id, source.name, "source",
                                              str(latest.log_position),
                                              str(source.log_position)))
        return found


@dataclass(frozen=True)
class AnnualDifference:
    school_id: UUID
    name: str
    field: str  # "total", "version" or a part key
    expected: str | None  # recomputed from the events
    found: str | None  # in the projected board


def compare_annual(recomputed: AnnualState, projected: AnnualState | None) -> list[
        AnnualDifference]:
    """Every school's total and part where the projected board differs from the events."""
    if projected is None:
        return [AnnualDifference(recomputed.review_id, recomputed.name, "board", "present",
                                 "(absent)")]
    found = []
    if projected.version != recomputed.version:
        found.append(AnnualDifference(recomputed.review_id, recomputed.name, "version",
                                      str(recomputed.version), str(projected.version)))
    mine = {line.school_id: line for line in lines(recomputed)}
    theirs = {line.school_id: line for line in lines(projected)}
    for school_id in sorted(mine.keys() | theirs.keys(), key=str):
        a, b = mine.get(school_id), theirs.get(school_id)
        name = (a or b).name  # type: ignore[union-attr]
        for field, x, y in _fields(a, b):
            if x != y:
                found.append(AnnualDifference(school_id, name, field, x, y))
    return found


def _fields(a: Line | None, b: Line | None) -> list[tuple[str, str | None, str | None]]:
    def parts(line: Line | None) -> dict[str, str | None]:
        if line is None:
            return {}
        return {f"{p.key}{'@' + p.via if p.via else ''}":
                None if p.converted is None else str(p.converted) for p in line.parts}

    mine, theirs = parts(a), parts(b)
    out: list[tuple[str, str | None, str | None]] = [
        ("total", str(a.total) if a else "(absent)", str(b.total) if b else "(absent)")]
    for key in sorted(mine.keys() | theirs.keys()):
        out.append((key, mine.get(key, "(absent)"), theirs.get(key, "(absent)")))
    return out
