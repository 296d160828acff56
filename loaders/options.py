"""An analyst's corrections, applied on top of what the reader recognised."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParseOptions:
    """column_overrides: a column's header as shown in the report (FileReport.sheets[*]["columns"]) -> field name,
    or None to ignore the column. region_overrides: region text as written -> ISO code, or None to reject the rows
    with that text."""
    column_overrides: dict = field(default_factory=dict)
    region_overrides: dict = field(default_factory=dict)
