"""The annual board as a fold of the review's events — one piece of logic for the projector,
the replay (``as_of``) and verify, as ``domain.board`` is for an assessment.

Each event that changes a figure makes a new version; the state keeps the inputs of the
version before, so the board shows, school by school, what the last change moved.
Converted values stay exact; a school's total is their sum rounded once, half up, to the
review's precision (``domain.rounding.shown``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.annual import AnnualReview, ManualPart, Part, Source, SourceLine
from domain.rounding import shown


@dataclass(frozen=True)
class Inputs:
    sources: dict[str, Source] = field(default_factory=dict)  # assessment id → sheet read
    manual: tuple[ManualPart, ...] = ()


@dataclass(frozen=True)
class VersionMark:
    """What made a version: ``created``, ``source_corrected`` or ``manual``."""

    version: int
    position: int
    what: str
    assessment_id: UUID | None = None
    at: datetime | None = None
    reason: str | None = None


@dataclass
class AnnualState:
    review_id: UUID
    year: str = ""
    name: str = ""
    precision: int = 2
    parts: tuple[Part, ...] = ()
    inputs: Inputs = field(default_factory=Inputs)
    previous: Inputs | None = None  # the inputs of the version before this one
    versions: list[VersionMark] = field(default_factory=list)
    position: int = 0
    published: bool = False  # 公布 to the schools (AnnualReview.Published)
    published_at: datetime | None = None

    @property
    def version(self) -> int:
        return len(self.versions)


def fold(state: AnnualState, event: object, position: int,
         at: datetime | None = None) -> AnnualState:
    """Apply one of the review's events (mutates and returns the state)."""
    reason = getattr(getattr(event, "cause", None), "reason", None)
    if isinstance(event, AnnualReview.Created):
        state.year, state.name, state.parts = event.year, event.name, event.parts
        state.precision = event.precision
        state.inputs = Inputs({str(s.assessment_id): s for s in event.sources})
        state.versions.append(VersionMark(1, position, "created", None, at, reason))
    elif isinstance(event, AnnualReview.SourceCorrected):
        state.previous = state.inputs
        sources = dict(state.inputs.sources) | {str(event.source.assessment_id): event.source}
        state.inputs = Inputs(sources, state.inputs.manual)
        state.versions.append(VersionMark(state.version + 1, position, "source_corrected",
                                          event.source.assessment_id, at, reason))
    elif isinstance(event, AnnualReview.ManualPartEntered):
        state.previous = state.inputs
        state.inputs = Inputs(state.inputs.sources, (*state.inputs.manual, event.part))
        state.versions.append(VersionMark(state.version + 1, position, "manual", None, at,
                                          reason))
    elif isinstance(event, AnnualReview.Published):  # not a figure: no new version
        state.published, state.published_at = True, at
    state.position = max(state.position, position)
    return state


@dataclass(frozen=True)
class PartValue:
    """One part of a school's line: where it comes from, the figure, and what it counts."""

    key: str
    label: str
    source: str  # "final", a component key, or "manual"
    assessment_id: UUID | None
    assessment_name: str
    via: str | None  # the subject read (the community, under the share rule)
    value: Decimal | None  # as published (or the manual points)
    converted: Decimal | None  # exact


@dataclass(frozen=True)
class Line:
    school_id: UUID
    name: str
    parts: tuple[PartValue, ...]
    total: Decimal  # the converted parts summed, rounded once
    missing: tuple[str, ...] = ()  # parts whose source has no figure for this school


def convert(value: Decimal, part: Part, full: Decimal) -> Decimal:
    """折算: value × weight, or value ÷ full marks × points (exact)."""
    if part.weight is not None:
        return value * part.weight
    assert part.points is not None
    return value / full * part.points if full else Decimal(0)


def figure(line: SourceLine, source: Source, key: str) -> tuple[Decimal | None, Decimal]:
    """The figure a part reads from a subject's line, and its full marks."""
    if key == "final":
        return line.final, source.full
    score = next((s.score for s in line.components if s.key == key), None)
    full = next((c.full for c in source.components if c.key == key), Decimal(0))
    return score, full


def reached(line: SourceLine, applies_to: str) -> bool:
    return line.kind == ("school" if applies_to == "subject" else "community")


def lines(state: AnnualState, inputs: Inputs | None = None) -> list[Line]:
    """Each school's annual line (by name), over ``inputs`` (default: the current ones)."""
    inputs = inputs or state.inputs
    found: dict[UUID, list[PartValue]] = {}
    names: dict[UUID, str] = {}
    missing: dict[UUID, list[str]] = {}
    for part in state.parts:
        source = inputs.sources.get(str(part.assessment_id))
        if source is None:
            continue
        label = part.label or _label(part, source)
        for line in source.lines:
            if not reached(line, part.applies_to):
                continue
            value, full = figure(line, source, part.source)
            via = line.name if part.applies_to == "community_members" else None
            for school in line.schools:
                names.setdefault(school.id, school.name)
                converted = None if value is None else convert(value, part, full)
                if converted is None:
                    missing.setdefault(school.id, []).append(part.key)
                found.setdefault(school.id, []).append(PartValue(
                    part.key, label, part.source, part.assessment_id, source.name, via, value,
                    converted))
    for manual in inputs.manual:
        names.setdefault(manual.school_id, manual.school_name)
        found.setdefault(manual.school_id, []).append(PartValue(
            manual.key, manual.label, "manual", None, "", None, manual.points, manual.points))
    out = []
    for school_id, parts in found.items():
        exact = sum((p.converted for p in parts if p.converted is not None), Decimal(0))
        out.append(Line(school_id, names[school_id], tuple(parts),
                        shown(exact, state.precision), tuple(missing.get(school_id, ()))))
    return sorted(out, key=lambda line: (line.name, str(line.school_id)))


def line_of(state: AnnualState, school_id: UUID) -> Line | None:
    """One school's annual line (None: the review reaches no part of it)."""
    return next((line for line in lines(state) if line.school_id == school_id), None)


def source_name(part: PartValue, state: AnnualState) -> str:
    """What a part reads, by name: 总分, a component's name, or 手工录入."""
    if part.source == "manual":
        return "手工录入"
    if part.source == "final":
        return "总分"
    source = state.inputs.sources.get(str(part.assessment_id))
    components = source.components if source is not None else ()
    return next((c.name for c in components if c.key == part.source), part.source)


def _label(part: Part, source: Source) -> str:
    if part.source == "final":
        return f"{source.name}（总分）"
    name = next((c.name for c in source.components if c.key == part.source), part.source)
    return f"{source.name}（{name}）"


@dataclass(frozen=True)
class LineChange:
    """What the last version moved for one school: its total from → to, and the parts."""

    school_id: UUID
    name: str
    before: Decimal | None  # None: the school had no line before
    after: Decimal | None
    difference: Decimal
    parts: tuple[str, ...]  # the keys of the parts whose value changed


def changes(state: AnnualState) -> list[LineChange]:
    """The difference between this version and the one before (none for version 1)."""
    if state.previous is None:
        return []
    before = {line.school_id: line for line in lines(state, state.previous)}
    after = {line.school_id: line for line in lines(state)}
    out = []
    for school_id in sorted(before.keys() | after.keys(), key=str):
        old, new = before.get(school_id), after.get(school_id)
        old_parts = {(p.key, p.via): p.converted for p in old.parts} if old else {}
        new_parts = {(p.key, p.via): p.converted for p in new.parts} if new else {}
        moved = tuple(sorted({key for key, _ in old_parts.keys() ^ new_parts.keys()} | {
            key for key, via in old_parts.keys() & new_parts.keys()
            if old_parts[(key, via)] != new_parts[(key, via)]}))
        if not moved:
            continue
        old_total, new_total = (old.total if old else None), (new.total if new else None)
        out.append(LineChange(school_id, (new or old).name,  # type: ignore[union-attr]
                              old_total, new_total,
                              (new_total or Decimal(0)) - (old_total or Decimal(0)), moved))
    return sorted(out, key=lambda c: (c.name, str(c.school_id)))
