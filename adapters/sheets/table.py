"""A grid read against a kind's columns: which row is the header, which column is which
field, what is unknown or missing, and each data row's cells by field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from adapters.sheets.headers import header_index, header_key
from adapters.sheets.kinds import Kind
from adapters.sheets.reading import Grid

LOOK_FOR_HEADER = 6  # a title row or two above the header is common (公示 sheets, 细则)


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the header as the sheet spells it (or the canonical one when missing)
    message: str  # an English message id, translated at the edge


@dataclass
class Table:
    header_row: int
    headers: dict[str, str]  # field → the header as the sheet spells it
    rows: list[tuple[int, dict[str, str]]]
    errors: list[CellError] = field(default_factory=list)
    title: str = ""  # text above the header (a rubric's name, a sheet's title)


def _score(cells: Sequence[str], index: dict[str, str]) -> int:
    return len({index[k] for c in cells if (k := header_key(c)) in index})


def read_table(grid: Grid, kind: Kind) -> Table:
    index = header_index((c.field, c.names) for c in kind.columns)
    candidates = grid.rows[:LOOK_FOR_HEADER]
    best = max(candidates, key=lambda r: _score(r[1], index), default=None)
    if best is None or _score(best[1], index) == 0:
        first = kind.columns[0].header
        return Table(0, {}, [], [CellError(1, first, "the sheet has no header row: "
                                                  "the first row names the columns")])
    header_row, cells = best
    title = " ".join(c for number, row in grid.rows if number < header_row for c in row if c)
    table = Table(header_row, {}, [], title=title)
    positions: dict[str, int] = {}
    for position, cell in enumerate(cells):
        if not cell:
            continue
        found = index.get(header_key(cell))
        if found is None:
            table.errors.append(CellError(header_row, cell, "unknown column: it is not "
                                                            "imported; rename it or remove it"))
        elif found in positions:
            table.errors.append(CellError(header_row, cell, "this column is given twice"))
        else:
            positions[found] = position
            table.headers[found] = cell
    for column in kind.columns:
        if column.required and column.field not in positions:
            table.errors.append(CellError(header_row, column.header,
                                          "the sheet has no such column: it is required"))
    for number, row in grid.rows:
        if number <= header_row:
            continue
        values = {f: row[p] if p < len(row) else "" for f, p in positions.items()}
        if any(values.values()):
            table.rows.append((number, values))
    return table
