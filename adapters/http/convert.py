"""Between API shapes and domain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from msgspec import UnsetType

from adapters.http import schemas as s
from adapters.http.names import Names, judge_refs
from domain.assessment import (
    Aggregation,
    Assessment,
    CommunityWeight,
    GroupOrder,
    Period,
    Quota,
    RankingGroup,
    Subject,
    Tier,
)
from domain.drafting import Notice, presentation
from domain.results import Row
from domain.rubric import EvidenceRule, Indicator, RubricVersion, points_of
from domain.setup import ComponentRule
from domain.shaping import components_of
from services.setup import ComponentSpec, SetupSpec


def indicator(node: s.IndicatorIn) -> Indicator:
    rule = EvidenceRule(node.evidence.form, node.evidence.min_count) if node.evidence else None
    return Indicator(node.code, node.title, node.weight, node.max_points, node.guidance,
                     tuple(indicator(child) for child in node.children), rule)


def indicators(nodes: list[s.IndicatorIn]) -> tuple[Indicator, ...]:
    return tuple(indicator(node) for node in nodes)


def indicator_out(node: Indicator) -> s.IndicatorOut:
    return s.IndicatorOut(
        node.code, node.title, s.points(node.weight),
        s.points(node.max_points if node.is_leaf else points_of(node)), node.guidance,
        [indicator_out(child) for child in node.children],
        {"form": node.evidence.form, "min_count": node.evidence.min_count}
        if node.evidence else None,
    )


def draft_out(name: str, step: Decimal, nodes: tuple[Indicator, ...],
              full_mark: Decimal | None = None, source: str | None = None) -> s.RubricDraftOut:
    total = sum((points_of(node) for node in nodes), Decimal(0))
    return s.RubricDraftOut(name, s.points(step), s.points(total),
                            [indicator_out(node) for node in nodes], s.points(full_mark), source)


def version_out(rubric_id: Any, version: RubricVersion) -> s.RubricVersionRead:
    return s.RubricVersionRead(rubric_id, version.number, version.name, s.points(version.step),
                               s.points(version.max_points),
                               [indicator_out(node) for node in version.indicators],
                               s.points(version.total))


def setup_spec(data: s.AssessmentCreate) -> SetupSpec:
    return SetupSpec(
        name=data.name,
        components=_components(data.components),
        aggregation=_aggregation(data.aggregation),
        quorum=data.quorum,
        tiers=_tiers(data.tiers),
        groups=_groups(data.groups),
        publish_ranks=data.publication.ranks,
        period=Period(data.period.starts_on, data.period.ends_on) if data.period else None,
        quotas=_quotas(data.tiers),
        community_weights=_community_weights(data.community_weights),
        component_rules=_component_rules(data.component_rules),
        full_marks=data.full_marks,
        publish_opinions=data.publication.opinions,
    )


def setup_changes(data: s.AssessmentPatch) -> dict[str, Any]:
    """The Setup fields a PATCH names, as domain values (components are pinned later)."""
    changes: dict[str, Any] = {}
    if not isinstance(data.name, UnsetType):
        changes["name"] = data.name
    if not isinstance(data.components, UnsetType):
        changes["components"] = _components(data.components)
    if not isinstance(data.groups, UnsetType):
        changes["groups"] = _groups(data.groups)
    if not isinstance(data.aggregation, UnsetType):
        changes["aggregation"] = _aggregation(data.aggregation)
    if not isinstance(data.quorum, UnsetType):
        changes["quorum"] = data.quorum
    if not isinstance(data.tiers, UnsetType):
        changes |= {"tiers": _tiers(data.tiers), "quotas": _quotas(data.tiers)}
    if not isinstance(data.publication, UnsetType):
        changes["publish_ranks"] = data.publication.ranks
        changes["publish_opinions"] = data.publication.opinions
    if not isinstance(data.period, UnsetType):
        changes["period"] = (Period(data.period.starts_on, data.period.ends_on)
                             if data.period else None)
    if not isinstance(data.community_weights, UnsetType):
        changes["community_weights"] = _community_weights(data.community_weights)
    if not isinstance(data.component_rules, UnsetType):
        changes["component_rules"] = _component_rules(data.component_rules)
    if not isinstance(data.full_marks, UnsetType):
        changes["full_marks"] = data.full_marks
    return changes


def _component_rules(data: list[s.ComponentRuleIn]) -> tuple[ComponentRule, ...]:
    return tuple(ComponentRule(r.applies_to, tuple(r.components)) for r in data)


def _components(data: list[s.ComponentIn]) -> tuple[ComponentSpec, ...]:
    return tuple(ComponentSpec(c.key, c.name, c.rubric_id, c.rubric_version, c.weight, c.kind)
                 for c in data)


def _aggregation(data: s.AggregationIn) -> Aggregation:
    return Aggregation(data.method, data.trim, data.normalise)


def _tiers(data: s.TiersIn) -> tuple[Tier, ...]:
    return tuple(Tier(t.name, t.min) for t in data.thresholds)


def _quotas(data: s.TiersIn) -> tuple[Quota, ...]:
    return tuple(Quota(name, fraction) for name, fraction in (data.quota or {}).items())


def _groups(data: list[s.GroupIn]) -> tuple[RankingGroup, ...]:
    return tuple(RankingGroup(g.key, g.name, g.time_limit_minutes) for g in data)


def _community_weights(
    data: dict[str, dict[str, s.CommunityWeightIn]] | None,
) -> tuple[CommunityWeight, ...]:
    return tuple(CommunityWeight(kind, component, w.core, w.members)
                 for kind, by_component in (data or {}).items()
                 for component, w in by_component.items())


def order_out(assessment: Assessment) -> dict[str, list[Any]]:
    return {group.group: list(group.subject_ids) for group in assessment.order}


def assessment_out(a: Assessment, warnings: Mapping[Any, Notice] | None = None,
                   seen: Iterable[Subject] | None = None, judge: UUID | None = None,
                   ) -> s.AssessmentRead:
    """``seen``: the subjects the caller may see (all by default); ``judge``: a judge reading
    it, who is shown no other judge (盲评)."""
    setup = a.setup
    names = {g.key: g.name for g in setup.groups}
    warned = warnings or {}
    subjects = list(a.subjects.values() if seen is None else seen)
    visible = {x.id for x in subjects}
    panel = {k: v for k, v in a.panel.items() if judge is None or k == judge}
    return s.AssessmentRead(
        id=a.id, name=setup.name, status=a.status, version=a.version,
        components=[s.ComponentOut(c.key, c.name, c.rubric_id, c.rubric_version,
                                   s.points(c.weight), s.points(c.max_points))
                    for c in setup.components],
        groups=[{"key": g.key, "name": g.name, "time_limit_minutes": g.time_limit_minutes}
                for g in setup.groups],
        aggregation={"method": setup.aggregation.method, "trim": setup.aggregation.trim,
                     "normalise": setup.aggregation.normalise},
        quorum=setup.quorum,
        subjects=[s.SubjectOut(x.id, x.kind, x.ref_id, x.name, x.group, names.get(x.group),
                               warned[x.id].message if x.id in warned else None,
                               [c.key for c in components_of(setup, x)], x.role)
                  for x in subjects],
        panel=[{"judge_id": str(j), "name": name}  # a sub-panel judge's 考核组 beside
               | ({"groups": list(a.panel_groups[j])} if j in a.panel_groups else {})
               for j, name in panel.items()],
        order={g: [i for i in ids if i in visible] for g, ids in order_out(a).items()
               if any(i in visible for i in ids)}, precision=setup.precision,
    )


def notices_out(notices: Iterable[Notice]) -> list[s.NoticeOut]:
    return [s.NoticeOut(n.field, n.message) for n in notices]


def order_groups(a: Assessment, order: tuple[GroupOrder, ...] | None = None
                 ) -> list[s.OrderGroupOut]:
    """出场顺序 with names and time limits; subjects not yet ordered come last, unnumbered."""
    return [s.OrderGroupOut(group.key, group.name, group.time_limit_minutes, None,
                            [s.PlacedOut(p.subject.id, p.subject.name, p.position)
                             for p in placed])
            for group, placed in presentation(a.setup, a.subjects,
                                              a.order if order is None else order)]


def row_out(row: Row, names: Names, places: int) -> s.BoardRow:
    """``places``: the round's precision; every figure is shown with the one rule."""
    return s.BoardRow(
        subject_id=row.subject_id, name=row.name, group=row.group,
        components={key: s.ComponentScore(
            s.points(r.score, places), s.points(r.converted, places), r.judges,
            list(r.dropped), s.points(r.self_score, places), s.points(r.gap, places),
            [s.JudgeRef(**ref) for ref in judge_refs(r.dropped, names)],
            [s.VoidCardOut(v.judge_id, v.name, v.category, v.reason) for v in r.void])
            for key, r in row.components.items()},
        final=s.points(row.final, places), tier=row.tier, rank=row.rank, flags=list(row.flags),
        group_name=names.group(row.group),
    )


def history_out(row: dict[str, Any], names: Names) -> s.HistoryEvent:
    actor = {"id": row["actor_id"], "role": row["actor_role"]}
    actor_name = names.person(row["actor_id"])
    if actor_name is not None:
        actor["name"] = actor_name
    return s.HistoryEvent(
        position=row["position"], at=row["recorded_at"], actor=actor,
        type=row["type"], subject_id=row["subject_id"], judge_id=row["judge_id"],
        component=row["component"],
        changes=[s.ChangeOut(c["code"], _num(c["old"]), _num(c["new"]),
                             _num(c.get("suggested"))) for c in row["changes"]],
        reason=row["reason"], request_id=row["request_id"], details=row["details"],
        subject_name=names.subject(row["subject_id"]), judge_name=names.person(row["judge_id"]),
        component_name=names.component(row["component"]),
    )


def _num(value: str | None) -> float | None:
    return None if value is None else s.points(Decimal(value))
