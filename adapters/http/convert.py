"""Between API shapes and domain values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.http import schemas as s
from domain.assessment import (
    Aggregation,
    Assessment,
    CommunityWeight,
    Period,
    Quota,
    RankingGroup,
    Tier,
)
from domain.results import Row
from domain.rubric import EvidenceRule, Indicator, RubricVersion, points_of
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


def draft_out(name: str, step: Decimal, nodes: tuple[Indicator, ...]) -> s.RubricDraftOut:
    total = sum((points_of(node) for node in nodes), Decimal(0))
    return s.RubricDraftOut(name, s.points(step), s.points(total),
                            [indicator_out(node) for node in nodes])


def version_out(rubric_id: Any, version: RubricVersion) -> s.RubricVersionRead:
    return s.RubricVersionRead(rubric_id, version.number, version.name, s.points(version.step),
                               s.points(version.max_points),
                               [indicator_out(node) for node in version.indicators])


def setup_spec(data: s.AssessmentCreate) -> SetupSpec:
    return SetupSpec(
        name=data.name,
        components=tuple(ComponentSpec(c.key, c.name, c.rubric_id, c.rubric_version, c.weight,
                                       c.kind) for c in data.components),
        aggregation=Aggregation(data.aggregation.method, data.aggregation.trim,
                                data.aggregation.normalise),
        quorum=data.quorum,
        tiers=tuple(Tier(t.name, t.min) for t in data.tiers.thresholds),
        groups=tuple(RankingGroup(g.key, g.name, g.time_limit_minutes) for g in data.groups),
        publish_ranks=data.publication.ranks,
        period=Period(data.period.starts_on, data.period.ends_on) if data.period else None,
        quotas=tuple(Quota(name, fraction) for name, fraction in (data.tiers.quota or {}).items()),
        community_weights=tuple(
            CommunityWeight(kind, component, w.core, w.members)
            for kind, by_component in (data.community_weights or {}).items()
            for component, w in by_component.items()
        ),
    )


def order_out(assessment: Assessment) -> dict[str, list[Any]]:
    return {group.group: list(group.subject_ids) for group in assessment.order}


def assessment_out(a: Assessment) -> s.AssessmentRead:
    setup = a.setup
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
        subjects=[s.SubjectOut(x.id, x.kind, x.ref_id, x.name, x.group)
                  for x in a.subjects.values()],
        panel=[{"judge_id": str(judge), "name": name} for judge, name in a.panel.items()],
        order=order_out(a),
    )


def row_out(row: Row) -> s.BoardRow:
    return s.BoardRow(
        subject_id=row.subject_id, name=row.name, group=row.group,
        components={key: s.ComponentScore(s.points(r.score), s.points(r.converted), r.judges,
                                          list(r.dropped), s.points(r.self_score),
                                          s.points(r.gap),
                                          [s.VoidCardOut(v.judge_id, v.name, v.category, v.reason)
                                           for v in r.void])
                    for key, r in row.components.items()},
        final=s.points(row.final), tier=row.tier, rank=row.rank, flags=list(row.flags),
    )


def history_out(row: dict[str, Any]) -> s.HistoryEvent:
    return s.HistoryEvent(
        position=row["position"], at=row["recorded_at"],
        actor={"id": row["actor_id"], "role": row["actor_role"]},
        type=row["type"], subject_id=row["subject_id"], judge_id=row["judge_id"],
        component=row["component"],
        changes=[s.ChangeOut(c["code"], _num(c["old"]), _num(c["new"]),
                             _num(c.get("suggested"))) for c in row["changes"]],
        reason=row["reason"], request_id=row["request_id"], details=row["details"],
    )


def _num(value: str | None) -> float | None:
    return None if value is None else s.points(Decimal(value))
