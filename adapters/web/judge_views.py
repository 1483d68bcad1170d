"""What the judge's pages show, read through the same services and views as the API: the
rounds a judge sits on, their subjects in presentation order (出场顺序) with each card's state,
and, for one card, the rubric tree with the subject's self-assessment, evidence and the
suggestions of the activity records."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.container import Container
from domain.assessment import Assessment
from domain.board import BoardState
from domain.drafting import presentation
from domain.errors import NotFound
from domain.progress import card_state
from domain.rubric import Indicator
from domain.scorecard import CardKey
from domain.setup import Component, Subject
from domain.shaping import components_of
from services.access import recusals_seen_by, sits_on, subjects_seen_by
from services.application import TenantApplication

JUDGE = "judge"
STATE_LABELS = {"not_started": "未开始", "saved": "已保存", "reopened": "已保存",
                "submitted": "已提交", "recused": "回避"}
STATUS_LABELS = {"draft": "筹备中", "open": "评分中", "closed": "已结束评分",
                 "finalised": "已定稿", "published": "已公示"}
CATEGORY_LABELS = {"employment": "任职回避", "membership": "成员回避", "declared": "本人申请回避",
                   "personal": "本人即被评对象"}


@dataclass
class CardLine:
    component: str
    component_name: str
    state: str
    label: str
    total: str | None


@dataclass
class SubjectLine:
    subject: Subject
    position: int | None
    cards: list[CardLine]
    recusal: str | None = None  # why, when the judge stands aside (回避)


@dataclass
class GroupBlock:
    name: str
    time_limit: int | None
    lines: list[SubjectLine]


@dataclass
class RoundHome:
    id: UUID
    name: str
    status: str
    status_label: str
    submitted: int
    expected: int
    recused: int
    groups: list[GroupBlock]


def why_recused(state: BoardState, judge_id: UUID, subject_id: UUID) -> str:
    key = f"{judge_id}/{subject_id}"
    category = CATEGORY_LABELS.get(state.recusals.get(key, ""), "回避")
    reason = state.recusal_reasons.get(key, "")
    return f"{category}：{reason}" if reason else category


def board_of(container: Container, tenant: str, assessment_id: UUID) -> BoardState:
    container.caught_up(tenant)  # a read: it sees what was written before it began
    with container.views(tenant) as views:
        return views.load_board(assessment_id) or BoardState(assessment_id)


def rounds_of(container: Container, tenant: str, judge_id: UUID) -> list[RoundHome]:
    """The rounds whose panel the judge sits on, newest first."""
    app = container.app(tenant)
    container.caught_up(tenant)
    with container.views(tenant) as views:
        ids = [row["assessment_id"] for row in views.assessments()]
    found = []
    for assessment_id in ids:
        assessment = app.assessment(assessment_id)
        if sits_on(assessment, JUDGE, judge_id) and assessment.status != "draft":
            found.append(round_home(assessment, board_of(container, tenant, assessment_id),
                                    judge_id))
    return found


def round_home(assessment: Assessment, state: BoardState, judge_id: UUID) -> RoundHome:
    scored = {s.id for s in subjects_seen_by(assessment, JUDGE, judge_id)}
    recused = {s.id for s in recusals_seen_by(assessment, JUDGE, judge_id)}
    cards = {(c.subject_id, c.component): c for c in state.cards.values()
             if c.judge_id == judge_id}
    groups, submitted, expected = [], 0, 0
    for group, placed in presentation(assessment.setup, assessment.subjects, assessment.order):
        lines = []
        for p in placed:
            if p.subject.id in recused:
                lines.append(SubjectLine(p.subject, p.position, [], why_recused(
                    state, judge_id, p.subject.id)))
                continue
            if p.subject.id not in scored:
                continue
            line = SubjectLine(p.subject, p.position, [])
            for c in components_of(assessment.setup, p.subject):  # its own components
                card = cards.get((p.subject.id, c.key))
                state_name = card_state(card)
                expected += 1
                submitted += state_name == "submitted"
                line.cards.append(CardLine(c.key, c.name, state_name, STATE_LABELS[state_name],
                                           fmt(card.total) if card and card.scores else None))
            lines.append(line)
        if lines:
            groups.append(GroupBlock(group.name, group.time_limit_minutes, lines))
    return RoundHome(assessment.id, assessment.setup.name, assessment.status,
                     STATUS_LABELS.get(assessment.status, assessment.status), submitted,
                     expected, len(recused), groups)


def fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


# -- one card -------------------------------------------------------------------------------

@dataclass
class FileLink:
    id: UUID
    name: str
    kind: str


@dataclass
class LeafView:
    index: int
    code: str
    title: str
    guidance: str
    max_points: str
    self_score: str | None = None
    files: list[FileLink] = field(default_factory=list)
    suggestion: dict[str, Any] | None = None


@dataclass
class NodeView:
    code: str
    title: str
    depth: int
    max_points: str
    children: list[NodeView | LeafView] = field(default_factory=list)


@dataclass
class CardPage:
    assessment: Assessment
    subject: Subject
    component: Component
    step: str
    tree: list[NodeView | LeafView]
    leaves: list[LeafView]
    files: list[FileLink]  # evidence given for the whole self-assessment
    self_total: str | None
    recusal: str | None
    scores: dict[str, str]
    comment: str
    submitted: bool
    reopened: bool
    group_name: str


def card_page(container: Container, tenant: str, judge_id: UUID, assessment_id: UUID,
              subject_id: UUID, key: str) -> CardPage:
    """The card as the judge sees it. A subject they stand aside from shows the recusal and
    nothing else of it; one they neither score nor stand aside from is a 404 (盲评)."""
    app = container.app(tenant)
    assessment = app.assessment_seen_by(assessment_id, JUDGE, judge_id)
    component = assessment.component(key)
    groups = {g.key: g.name for g in assessment.setup.groups}
    recused = {s.id: s for s in recusals_seen_by(assessment, JUDGE, judge_id)}
    if subject_id in recused:
        state = board_of(container, tenant, assessment_id)
        subject = recused[subject_id]
        return CardPage(assessment, subject, component, fmt(component.step), [], [], [], None,
                        why_recused(state, judge_id, subject_id), {}, "", False, False,
                        groups.get(subject.group, subject.group))
    subject = app.subject_seen_by(assessment, subject_id, JUDGE, judge_id)
    leaves, tree = rubric_tree(app, component)
    files, self_total = beside_leaves(app, judge_id, assessment, subject, component, leaves)
    container.caught_up(tenant)  # suggestions read the projected activity records
    for found in app.suggestions(assessment.setup.period, subject, component):
        for leaf in leaves:
            if leaf.code == found["code"]:
                leaf.suggestion = found | {"suggested": fmt(found["suggested"])}
    card = card_of(app, assessment_id, subject_id, key, judge_id)
    scores = {c: fmt(p) for c, p in card.scores.items()} if card else {}
    return CardPage(assessment, subject, component, fmt(component.step), tree, leaves, files,
                    self_total, None, scores, card.comment if card else "",
                    bool(card and card.submitted), bool(card and card.reopened),
                    groups.get(subject.group, subject.group))


def card_of(app: TenantApplication, assessment_id: UUID, subject_id: UUID, key: str,
            judge_id: UUID) -> Any:
    try:
        return app.card(CardKey(assessment_id, subject_id, key, judge_id))
    except NotFound:
        return None


def rubric_tree(app: TenantApplication, component: Component
                ) -> tuple[list[LeafView], list[NodeView | LeafView]]:
    """The pinned rubric version's tree; a leaf's points are those pinned on the round."""
    pinned = {leaf.code: leaf for leaf in component.leaves}
    version = app.rubric(component.rubric_id).published(component.rubric_version)
    leaves: list[LeafView] = []

    def build(node: Indicator, depth: int) -> NodeView | LeafView:
        if node.is_leaf:
            leaf = pinned.get(node.code)
            top = leaf.max_points if leaf else node.max_points or Decimal(0)
            view = LeafView(len(leaves), node.code, node.title, node.guidance or "", fmt(top))
            leaves.append(view)
            return view
        children = [build(child, depth + 1) for child in node.children]
        total = sum((Decimal(c.max_points) for c in children), Decimal(0))
        return NodeView(node.code, node.title, depth, fmt(total), children)

    tree = [build(node, 1) for node in version.indicators]
    return leaves, tree


def beside_leaves(app: TenantApplication, judge_id: UUID, assessment: Assessment,
                  subject: Subject, component: Component, leaves: list[LeafView]
                  ) -> tuple[list[FileLink], str | None]:
    """The subject's self-assessment (自查自评) and its evidence, leaf by leaf; files the
    judge may not open (the service decides) are left out."""
    own = app.self_assessment(assessment.id, subject.id, component.key)
    if own is None:
        return [], None

    def links(ids: tuple[UUID, ...]) -> list[FileLink]:
        found = []
        for evidence_id in ids:
            try:
                e = app.evidence_to_open(evidence_id, JUDGE, judge_id)
            except NotFound:
                continue
            found.append(FileLink(evidence_id, e.filename, e.content_type))
        return found

    for leaf in leaves:
        if leaf.code in own.scores:
            leaf.self_score = fmt(own.scores[leaf.code])
        leaf.files = links(own.by_indicator.get(leaf.code, ()))
    return links(own.evidence_ids), fmt(own.total)


__all__ = ["CardPage", "RoundHome", "card_page", "rounds_of"]
