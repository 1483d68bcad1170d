"""年度考核 — a school year's annual review: parts read from published assessments.

A part takes one figure of a published assessment (its final, or one component's score) and
converts it (折算) into points of each school's annual result: ``weight`` (value × weight) or
``points`` (value ÷ full marks × points). It reaches the subject school itself, or — the share
rule (玉环 篇2/篇5, 吴忠 篇1: 纳入成员校年度考核) — every school of a community subject (its
core school and members as they stood in the assessed period), each getting the community's
figure converted. Manual parts (evidence and a reason) are entered by hand.

The review keeps a copy of each source's published sheet (``Source``), as stored, never
recomputed; a later correction of a source is a new event (``SourceCorrected``): a new annual
version beside the old one, nothing overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated, StateConflict

APPLIES_TO = ("subject", "community_members")
MAX_PARTS = 50
MAX_POINTS = Decimal(1000)
MAX_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class Part:
    """One part of the annual result, read from a published assessment."""

    key: str  # p1, p2…: the part's place in the review
    assessment_id: UUID
    source: str  # "final" or a component key
    applies_to: str  # "subject" | "community_members"
    weight: Decimal | None = None  # converted = value × weight
    points: Decimal | None = None  # converted = value ÷ full × points
    label: str = ""


@dataclass(frozen=True)
class SchoolRef:
    id: UUID
    name: str


@dataclass(frozen=True)
class SourceScore:
    key: str  # a component key
    score: Decimal | None


@dataclass(frozen=True)
class SourceLine:
    """One subject's line of a published sheet, with the schools it reaches."""

    subject_id: UUID
    kind: str
    name: str
    final: Decimal | None
    components: tuple[SourceScore, ...] = ()
    schools: tuple[SchoolRef, ...] = ()  # a school: itself; a community: core, then members


@dataclass(frozen=True)
class SourceComponent:
    key: str
    name: str
    full: Decimal  # the component's raw full marks (its rubric's points)


@dataclass(frozen=True)
class Source:
    """A published sheet as stored, read at ``log_position`` (with the chain head)."""

    assessment_id: UUID
    name: str
    log_position: int
    log_head: str
    full: Decimal  # the final's full marks: the components' weights summed
    components: tuple[SourceComponent, ...]
    lines: tuple[SourceLine, ...]


@dataclass(frozen=True)
class ManualPart:
    """A part entered by hand, with its evidence; the reason is in the event's cause."""

    key: str  # m1, m2…
    school_id: UUID
    school_name: str
    label: str
    points: Decimal
    evidence_ids: tuple[UUID, ...] = ()
    reason: str = ""


def check_parts(parts: tuple[Part, ...], sources: dict[UUID, Source]) -> None:
    """Each part names a published source, a figure it has, one conversion, a known rule."""
    errors: list[FieldError] = []
    if len(parts) > MAX_PARTS:
        errors.append(FieldError("parts", f"at most {MAX_PARTS} parts"))
    seen: set[tuple[UUID, str, str]] = set()
    for i, part in enumerate(parts):
        where = f"parts[{i}]"
        source = sources.get(part.assessment_id)
        if source is None:
            errors.append(FieldError(f"{where}.assessment_id", "the assessment is not published"))
        elif part.source != "final" and part.source not in {c.key for c in source.components}:
            keys = ", ".join(["final", *(c.key for c in source.components)])
            errors.append(FieldError(f"{where}.source", f"must be one of {keys}"))
        if part.applies_to not in APPLIES_TO:
            errors.append(FieldError(f"{where}.applies_to", "must be subject or community_members"))
        if (part.weight is None) == (part.points is None):
            errors.append(FieldError(where, "give either weight or points"))
        elif part.weight is not None and not Decimal(0) < part.weight <= MAX_WEIGHT:
            errors.append(FieldError(f"{where}.weight",
                                     f"must be above 0 and at most {MAX_WEIGHT}"))
        elif part.points is not None and not Decimal(0) < part.points <= MAX_POINTS:
            errors.append(FieldError(f"{where}.points",
                                     f"must be above 0 and at most {MAX_POINTS}"))
        if (part.assessment_id, part.source, part.applies_to) in seen:
            errors.append(FieldError(where, "the same part is given twice"))
        seen.add((part.assessment_id, part.source, part.applies_to))
    if errors:
        raise RuleViolated("the annual review is not valid", tuple(errors))


class AnnualReview(KaopingAggregate):
    """年度考核 of one school year: parts from published assessments, and manual parts."""

    class Created(KaopingAggregate.Created):
        year: str
        name: str
        parts: tuple[Part, ...]
        sources: tuple[Source, ...]
        precision: int
        node_id: UUID | None = None  # the org node whose review it is (since issue 16)

    class SourceCorrected(KaopingAggregate.Event):
        """A source was published again (corrected): its new sheet, a new annual version."""

        source: Source

    class ManualPartEntered(KaopingAggregate.Event):
        part: ManualPart

    class Published(KaopingAggregate.Event):
        """公布: the district makes the review known to the schools; from then on each
        school's reporter reads their own school's line (as it stands: a later correction or
        manual part is a new version they see too). Not a figure: no new version."""

    @classmethod
    def create(cls, year: str, name: str, parts: tuple[Part, ...], sources: tuple[Source, ...],
               precision: int, cause: Cause, node_id: UUID | None = None) -> AnnualReview:
        errors = []
        if not year.strip() or len(year) > 20:
            errors.append(FieldError("year", "a school year, e.g. 2019-2020"))
        if not name.strip() or len(name) > 200:
            errors.append(FieldError("name", "required, at most 200 characters"))
        if errors:
            raise RuleViolated("the annual review is not valid", tuple(errors))
        check_parts(parts, {s.assessment_id: s for s in sources})
        return cls(year=year.strip(), name=name.strip(), parts=parts, sources=sources,
                   precision=precision, cause=cause, node_id=node_id)

    @event(Created)
    def __init__(self, year: str, name: str, parts: tuple[Part, ...],
                 sources: tuple[Source, ...], precision: int, cause: Cause,
                 node_id: UUID | None = None) -> None:
        self.node_id = node_id
        self.year = year
        self.name = name
        self.parts = parts
        self.precision = precision
        self.read: dict[UUID, int] = {s.assessment_id: s.log_position for s in sources}
        self.manual_count = 0
        self.published = False

    def publish(self, cause: Cause) -> None:
        """公布 the review to the schools (once)."""
        if self.published:
            raise StateConflict("the annual review is already published to the schools")
        self._publish(cause=cause)

    @event(Published)
    def _publish(self, cause: Cause) -> None:
        self.published = True

    def correct_source(self, source: Source, cause: Cause) -> None:
        """Take a source's newer publication (a correction): a new annual version."""
        if source.assessment_id not in self.read:
            raise NotFound("the assessment is not a source of this annual review")
        self._correct(source=source, cause=cause)

    @event(SourceCorrected)
    def _correct(self, source: Source, cause: Cause) -> None:
        self.read[source.assessment_id] = source.log_position

    def enter_manual(self, school: SchoolRef, label: str, points: Decimal,
                     evidence_ids: tuple[UUID, ...], cause: Cause) -> str:
        errors = []
        if not label.strip() or len(label) > 200:
            errors.append(FieldError("label", "required, at most 200 characters"))
        if not points.is_finite() or abs(points) > MAX_POINTS or points != points.quantize(
                Decimal("0.01")):
            errors.append(FieldError("points", f"between -{MAX_POINTS} and {MAX_POINTS}, "
                                               "at most two decimals"))
        if not (cause.reason or "").strip():
            errors.append(FieldError("reason", "required"))
        if len(set(evidence_ids)) != len(evidence_ids):
            errors.append(FieldError("evidence_ids", "each piece of evidence once"))
        if errors:
            raise RuleViolated("the manual part is not valid", tuple(errors))
        key = f"m{self.manual_count + 1}"
        self._enter(part=ManualPart(key, school.id, school.name, label.strip(), points,
                                    evidence_ids, (cause.reason or "").strip()), cause=cause)
        return key

    @event(ManualPartEntered)
    def _enter(self, part: ManualPart, cause: Cause) -> None:
        self.manual_count += 1


def links_id(assessment_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:annual-links/{assessment_id}")


class AnnualLinks(KaopingAggregate):
    """Which annual reviews read an assessment: its republication corrects each of them."""

    class Started(KaopingAggregate.Created):
        assessment_id: UUID

    class Linked(KaopingAggregate.Event):
        review_id: UUID

    @staticmethod
    def create_id(assessment_id: UUID, cause: Cause) -> UUID:
        return links_id(assessment_id)

    @event(Started)
    def __init__(self, assessment_id: UUID, cause: Cause) -> None:
        self.assessment_id = assessment_id
        self.reviews: tuple[UUID, ...] = ()

    @event(Linked)
    def link(self, review_id: UUID, cause: Cause) -> None:
        self.reviews = (*self.reviews, review_id)
