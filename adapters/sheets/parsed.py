"""A sheet read against a kind: its rows of values, the parameters of the import, and what
was wrong with its cells (before any service looked at the rows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.sheets.kinds import Kind
from adapters.sheets.table import CellError


@dataclass
class Parsed:
    kind: Kind
    rows: list[tuple[int, Mapping[str, Any]]]
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)  # field → the sheet's header
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
