"""公示 sheet (…/results.xlsx): the published results as stored, never recomputed, laid out
for a notice board: a title with the district, the round and the day of publication; each
ranking group in turn; the chain head it follows from, and how anyone can check it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from adapters.sheets.writing import Block, SheetModel
from domain.assessment import Assessment
from domain.rounding import shown
from services.publication import Sheet, SheetLine

VERIFY = ("核验方法：向区县索取考评记录导出文件（kaoping export --tenant <区县> --out log.jsonl）"
          "与本结果的 JSON（GET …/assessments/{id}/results），运行 "
          "kaoping audit verify --file log.jsonl --results results.json，"
          "即可从记录重新计算并逐项比对本表。")


def results_model(district: str, assessment: Assessment, sheet: Sheet,
                  published_at: datetime | None, zone: ZoneInfo) -> SheetModel:
    setup = assessment.setup
    ranks = setup.publish_ranks
    day = published_at.astimezone(zone).date() if published_at else None
    title = f"{district} {setup.name} 结果公示"
    subtitle = f"公示日期：{day.year}年{day.month}月{day.day}日" if day else None
    header = (["名次"] if ranks else []) + ["名称", "等次"] + (["得分"] if ranks else [])
    blocks = []
    for group in setup.groups:
        lines = [line for line in sheet.lines if line.group == group.key]
        if not lines:
            continue
        # Without ranks the order must not tell them: by name, not by score.
        lines.sort(key=(lambda r: (r.rank is None, r.rank or 0, r.name)) if ranks
                   else (lambda r: r.name))
        blocks.append(Block(header, [_row(line, ranks, sheet.precision) for line in lines],
                            caption=group.name))
    footer = [f"本表依据考评记录第 {sheet.log_position} 条生成，记录链头哈希："
              f"{sheet.log_head}", VERIFY.replace("{id}", str(assessment.id))]
    widths = ([8] if ranks else []) + [36, 10] + ([10] if ranks else [])
    return SheetModel("公示", title, blocks, subtitle, footer, widths)


def _row(line: SheetLine, ranks: bool, places: int) -> list[object]:
    row: list[object] = [line.rank] if ranks else []
    row += [line.name, line.tier or ""]
    if ranks:
        row.append(shown(line.final, places) if line.final is not None else "")
    return row
