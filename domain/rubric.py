"""评分细则 — a rubric: a versioned tree of indicators whose leaves carry the points."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated, StateConflict

DEFAULT_STEP = Decimal("0.5")


@dataclass(frozen=True)
class EvidenceRule:
    """What activity records count as a leaf's evidence: e.g. 集体备课, at least 16."""

    form: str
    min_count: int


@dataclass(frozen=True)
class Indicator:
    """一级指标 / 二级指标 / 具体要求: a node of the rubric tree; a leaf has ``max_points``."""

    code: str
    title: str
    weight: Decimal | None = None
    max_points: Decimal | None = None
    guidance: str | None = None
    children: tuple[Indicator, ...] = ()
    evidence: EvidenceRule | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Leaf:
    """A leaf requirement as a scorecard sees it: its code and its maximum points."""

    code: str
    max_points: Decimal
    evidence: EvidenceRule | None = None
    title: str = ""  # kept since issue 9 so refusals can name the leaf; older copies lack it


def walk(indicators: tuple[Indicator, ...]) -> Iterator[Indicator]:
    for node in indicators:
        yield node
        yield from walk(node.children)


def leaves_of(indicators: tuple[Indicator, ...]) -> tuple[Leaf, ...]:
    return tuple(
        Leaf(node.code, node.max_points or Decimal(0), node.evidence, node.title)
        for node in walk(indicators) if node.is_leaf
    )


def points_of(node: Indicator) -> Decimal:
    if node.is_leaf:
        return node.max_points or Decimal(0)
    return sum((points_of(child) for child in node.children), Decimal(0))


def top_level_sum(indicators: tuple[Indicator, ...]) -> Decimal:
    """What the top-level indicators (一级指标) add up to: each one's points, which a parent's
    ``weight`` must equal when given (see ``check_indicators``), and a leaf's ``max_points``."""
    return sum((points_of(node) for node in indicators), Decimal(0))


def check_total(indicators: tuple[Indicator, ...], total: Decimal | None) -> None:
    """A rubric that declares its full mark (满分) is published only if its top level adds up."""
    if total is None:
        return
    found = top_level_sum(indicators)
    if found != total:
        raise RuleViolated(
            f"the top-level indicators add up to {found}, not the full mark {total}",
            (FieldError("total", f"the top-level indicators add up to {found}"),))


def on_step(points: Decimal, step: Decimal) -> bool:
    return step <= 0 or points % step == 0


def check_indicators(indicators: tuple[Indicator, ...], step: Decimal) -> None:
    """Raise RuleViolated naming every broken rule of an indicator tree at once."""
    errors: list[FieldError] = []
    if step <= 0:
        errors.append(FieldError("step", "must be greater than 0"))
    if not indicators:
        errors.append(FieldError("indicators", "a rubric needs at least one indicator"))
    seen: set[str] = set()
    for node in walk(indicators):
        where = f"indicators[{node.code}]"
        if not node.code.strip():
            errors.append(FieldError(where, "code must not be empty"))
        if node.code in seen:
            errors.append(FieldError(where, f"code {node.code} is used more than once"))
        seen.add(node.code)
        if not node.title.strip():
            errors.append(FieldError(where, "title must not be empty"))
        errors += _check_points(node, where, step)
    if errors:
        raise RuleViolated("the rubric breaks rules", tuple(errors))


def _check_points(node: Indicator, where: str, step: Decimal) -> list[FieldError]:
    errors = []
    if node.evidence is not None and (not node.is_leaf or node.evidence.min_count < 1):
        errors.append(FieldError(f"{where}.evidence", "only a leaf, and at least 1 record"))
    if node.is_leaf:
        if node.max_points is None or node.max_points <= 0:
            errors.append(FieldError(where, "a leaf needs max_points greater than 0"))
        elif step > 0 and not on_step(node.max_points, step):
            errors.append(FieldError(where, f"max_points must be a multiple of {step}"))
    elif node.max_points is not None and node.max_points != points_of(node):
        errors.append(FieldError(where, "a parent's max_points must equal its leaves' sum"))
    if node.weight is not None and not node.is_leaf and node.weight != points_of(node):
        errors.append(FieldError(where, f"weight {node.weight} differs from its leaves' sum "
                                        f"{points_of(node)}"))
    return errors


@dataclass(frozen=True)
class RubricVersion:
    """A published version: never changes."""

    number: int
    name: str
    step: Decimal
    indicators: tuple[Indicator, ...]
    total: Decimal | None = None  # 满分, when the rubric declares it

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        return leaves_of(self.indicators)

    @property
    def max_points(self) -> Decimal:
        return sum((leaf.max_points for leaf in self.leaves), Decimal(0))


class Rubric(KaopingAggregate):
    """考评指标: an editable draft plus the published versions 1, 2, …"""

    class Drafted(KaopingAggregate.Created):
        name: str
        step: Decimal
        indicators: tuple[Indicator, ...]
        total: Decimal | None = None  # 满分
        source: str | None = None  # the document the rubric comes from

    class DraftReplaced(KaopingAggregate.Event):
        name: str
        step: Decimal
        indicators: tuple[Indicator, ...]
        total: Decimal | None = None
        source: str | None = None

    class Published(KaopingAggregate.Event):
        number: int

    @classmethod
    def draft(
        cls, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause,
        total: Decimal | None = None, source: str | None = None,
    ) -> Rubric:
        check_name(name)
        check_indicators(indicators, step)
        check_full_mark(total)
        return cls(name=name, step=step, indicators=indicators, cause=cause, total=total,
                   source=source)

    @event(Drafted)
    def __init__(
        self, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause,
        total: Decimal | None = None, source: str | None = None,
    ) -> None:
        self.name = name
        self.step = step
        self.indicators = indicators
        self.total = total
        self.source = source
        self.versions: dict[int, RubricVersion] = {}
        self.draft_changed = True

    def replace_draft(
        self, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause,
        total: Decimal | None = None, source: str | None = None,
    ) -> None:
        check_name(name)
        check_indicators(indicators, step)
        check_full_mark(total)
        self._replace(name=name, step=step, indicators=indicators, cause=cause, total=total,
                      source=source)

    @event(DraftReplaced)
    def _replace(
        self, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause,
        total: Decimal | None = None, source: str | None = None,
    ) -> None:
        self.name = name
        self.step = step
        self.indicators = indicators
        self.total = total
        self.source = source
        self.draft_changed = True

    def publish(self, cause: Cause) -> int:
        if not self.draft_changed:
            raise StateConflict("the draft has not changed since the last published version")
        check_total(self.indicators, self.total)
        number = len(self.versions) + 1
        self._publish(number=number, cause=cause)
        return number

    @event(Published)
    def _publish(self, number: int, cause: Cause) -> None:
        self.versions[number] = RubricVersion(number, self.name, self.step, self.indicators,
                                              self.total)
        self.draft_changed = False

    def published(self, number: int) -> RubricVersion:
        try:
            return self.versions[number]
        except KeyError:
            raise NotFound(f"rubric version {number} is not published") from None


def check_full_mark(total: Decimal | None) -> None:
    if total is not None and total <= 0:
        raise RuleViolated("the full mark must be greater than 0",
                           (FieldError("total", "must be greater than 0"),))


def check_name(name: str) -> None:
    if not name.strip():
        raise RuleViolated("a name is required", (FieldError("name", "must not be empty"),))


def suggested_points(leaf: Leaf, step: Decimal, records: int) -> Decimal | None:
    """A suggestion for a leaf with an evidence rule: its maximum in proportion to the
    records found (capped at the rule's minimum), rounded down to the step. The judge decides."""
    if leaf.evidence is None:
        return None
    share = min(Decimal(records) / leaf.evidence.min_count, Decimal(1))
    points = leaf.max_points * share
    return (points // step) * step if step > 0 else points
