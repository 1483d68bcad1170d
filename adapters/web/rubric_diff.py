"""版本对比: what changed between two versions of a rubric (or a version and the draft).

Indicators are matched by code, as scores are: an indicator whose code is only on the right
was added, only on the left removed; one on both sides changed when its title, points,
weight, guidance or evidence rule differ."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.rubric import Indicator, points_of, walk

LABELS = {"title": "标题", "max_points": "分值", "weight": "权重", "guidance": "评分说明",
          "evidence": "佐证规则"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    """One indicator in the comparison: ``kind`` is added, removed or changed."""

    kind: str
    code: str
    leaf: bool
    before: dict[str, str] | None
    after: dict[str, str] | None
    changes: tuple[Change, ...] = ()


def _shown(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def facts(node: Indicator) -> dict[str, str]:
    evidence = node.evidence
    return {"title": node.title, "max_points": _shown(points_of(node)),
            "weight": _shown(node.weight), "guidance": node.guidance or "",
            "evidence": f"{evidence.form} ≥ {evidence.min_count} 次" if evidence else ""}


def compare(left: tuple[Indicator, ...], right: tuple[Indicator, ...]) -> list[Line]:
    """The indicators that differ, in the right side's order, then the removed ones."""
    before = {node.code: node for node in walk(left)}
    after = {node.code: node for node in walk(right)}
    lines: list[Line] = []
    for code, node in after.items():
        now = facts(node)
        if code not in before:
            lines.append(Line("added", code, node.is_leaf, None, now))
            continue
        then = facts(before[code])
        changes = tuple(Change(f, LABELS[f], then[f], now[f]) for f in LABELS
                        if then[f] != now[f])
        if changes:
            lines.append(Line("changed", code, node.is_leaf, then, now, changes))
    lines += [Line("removed", code, node.is_leaf, facts(node), None)
              for code, node in before.items() if code not in after]
    return lines
