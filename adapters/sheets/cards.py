"""The judges' cards as sheets: the archive's score matrix (scorecards.xlsx: a sheet per
component, a row per subject, columns judge × leaf with 回避 and dropped cards marked), and
a judge's printable 评分表 (score-sheets.xlsx: a page per subject, a SUM formula for the
total, a signature line), blank or filled with what the judge has entered."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from adapters.sheets.writing import (
    BOLD,
    BOX,
    HEAD_FILL,
    TITLE,
    Block,
    SheetModel,
    a4,
    put,
    span,
    xlsx_bytes,
)
from domain.board import BoardState, CardState
from domain.results import rows
from domain.setup import Component, Subject
from domain.shaping import applies, components_of

RECUSED = "回避"
NOT_SUBMITTED = "未提交"
DROPPED = "（去掉）"


def cards_of(state: BoardState) -> dict[tuple[UUID, str, UUID], CardState]:
    return {(c.subject_id, c.component, c.judge_id): c for c in state.cards.values()}


def in_order(state: BoardState) -> list[Subject]:
    groups = [g.key for g in state.setup.groups] if state.setup else []
    return sorted(state.subjects.values(),
                  key=lambda s: (groups.index(s.group) if s.group in groups else len(groups),
                                 s.name))


def matrix_models(district: str, state: BoardState) -> list[SheetModel]:
    """A sheet per component: each judge's points per leaf and total, the panel's score, and
    which judges' cards the aggregation dropped (去掉最高最低)."""
    assert state.setup is not None
    setup, cards = state.setup, cards_of(state)
    judges = sorted(state.panel.items(), key=lambda j: j[1])
    results = {r.subject_id: r for r in rows(state)}
    groups = {g.key: g.name for g in setup.groups}
    models = []
    for component in setup.components:
        header = ["分组", "被评对象"]
        for _, name in judges:
            header += [f"{name}·{leaf.code}" for leaf in component.leaves] + [f"{name}·合计"]
        header += ["得分", "去掉的评分"]
        body = []
        for subject in in_order(state):
            if not applies(setup, subject, component.key):
                continue  # a component given to other subjects only (issue 15)
            result = results.get(subject.id)
            part = result.components.get(component.key) if result else None
            dropped = set(part.dropped) if part else set()
            line: list[object] = [groups.get(subject.group, subject.group), subject.name]
            for judge_id, _ in judges:
                line += _judge_cells(state, cards, subject.id, component, UUID(judge_id),
                                     UUID(judge_id) in dropped)
            line.append(part.score if part and part.score is not None else "")
            line.append("、".join(state.panel.get(str(j), str(j)) for j in sorted(
                dropped, key=lambda j: state.panel.get(str(j), ""))))
            body.append(line)
        legend = "；".join(f"{leaf.code} {leaf.title}（{leaf.max_points} 分）"
                          for leaf in component.leaves)
        models.append(SheetModel(
            component.name, f"{district} {setup.name} 评分明细：{component.name}",
            [Block(header, body)], f"依据考评记录第 {state.position} 条",
            [f"指标：{legend}", f"“{RECUSED}”：评委回避该对象，其评分不计；"
             f"“{DROPPED}”：该评委的合计按{_method(setup.aggregation.method)}去掉，不计入得分；"
             f"“{NOT_SUBMITTED}”：评分表尚未提交，不计入得分。"],
            [14, 24] + [8] * (len(header) - 4) + [10, 16]))
    return models


def _method(method: str) -> str:
    return {"trimmed_mean": "去掉最高分和最低分"}.get(method, method)


def _judge_cells(state: BoardState, cards: dict[tuple[UUID, str, UUID], CardState],
                 subject: UUID, component: Component, judge: UUID,
                 dropped: bool) -> list[object]:
    width = len(component.leaves) + 1
    if state.is_recused(judge, subject):
        return [RECUSED] * width
    card = cards.get((subject, component.key, judge))
    if card is None:
        return [""] * width
    cells: list[object] = [card.scores.get(leaf.code, "") for leaf in component.leaves]
    if not card.submitted:
        cells.append(NOT_SUBMITTED)
    else:
        cells.append(f"{card.total}{DROPPED}" if dropped else card.total)
    return cells


# -- 评分表 for paper ---------------------------------------------------------------------------

def score_sheets(district: str, state: BoardState, judge_id: UUID, judge_name: str,
                 subjects: Sequence[Subject], filled: bool) -> bytes:
    """One A4 page per subject and component: leaves, max points, the points (when
    ``filled``), a total that is a SUM formula, and the judge's signature line."""
    assert state.setup is not None
    setup, cards = state.setup, cards_of(state)
    book = Workbook()
    sheet = book.active
    sheet.title = "评分表"
    row = 1
    for subject in subjects:
        for component in components_of(setup, subject):
            card = cards.get((subject.id, component.key, judge_id))
            row = _page(sheet, row, district, setup.name, subject, component, judge_name,
                        card.scores if filled and card else {})
            sheet.row_breaks.append(Break(id=row - 1))
    for column, width in zip("ABCD", (10, 60, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    a4(sheet)
    return xlsx_bytes(book)


def _page(sheet: Worksheet, row: int, district: str, round_name: str, subject: Subject,
          component: Component, judge: str, scores: dict[str, Decimal]) -> int:
    span(sheet, row, 4, f"{district} {round_name} 评分表", TITLE, 30)
    span(sheet, row + 1, 4, f"被评对象：{subject.name}　　考核项目：{component.name}"
                            f"　　评委：{judge}", BOLD)
    head = row + 2
    for column, text in enumerate(("指标", "评价要点", "满分", "得分"), start=1):
        cell = put(sheet, head, column, text)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
    first = head + 1
    for offset, leaf in enumerate(component.leaves):
        line = first + offset
        for column, value in enumerate((leaf.code, leaf.title, leaf.max_points,
                                        scores.get(leaf.code)), start=1):
            cell = put(sheet, line, column, value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    last = first + len(component.leaves) - 1
    total = last + 1
    put(sheet, total, 2, "合计").font = BOLD
    put(sheet, total, 3, component.max_points).border = BOX
    cell = sheet.cell(row=total, column=4)
    cell.value = f"=SUM(D{first}:D{last})"  # our own formula, over the points above
    cell.font, cell.border = Font(bold=True), BOX
    span(sheet, total + 2, 4, "评委签名：__________________　　日期：______年____月____日")
    return total + 4
