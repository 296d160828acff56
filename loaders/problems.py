"""One problem model for everything the reader finds: a stable code, its parameters, and where it is.

A problem is data, never text: messages are rendered at the edges (the CLI, the pages, the rejected-rows workbook)
from the code and the parameters, in the reader's language (`prevention.texts.problem_message`). The registry
below lists every code with its severity:

- "row": the row is rejected (it is kept with its reasons, the file still loads);
- "warning": the reader was unsure of something and says so, nothing is rejected;
- "file": the whole file is refused and nothing is stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ROW, WARNING, FILE = "row", "warning", "file"

CODES: dict[str, str] = {
    # a row is rejected
    "missing-region": ROW,
    "unknown-region": ROW,
    "not-a-region-unit": ROW,
    "ambiguous-district": ROW,
    "missing-date": ROW,
    "invalid-date": ROW,
    "impossible-date": ROW,
    "date-out-of-range": ROW,
    "not-a-number": ROW,
    "formula-error": ROW,
    "not-an-integer": ROW,
    "negative-count": ROW,
    "implausible-count": ROW,
    "part-exceeds-total": ROW,
    "missing-events": ROW,
    "missing-period": ROW,
    # the reader is unsure and says so
    "low-confidence-column": WARNING,
    "region-from-title": WARNING,
    "unplaced-column-group": WARNING,
    "fuzzy-region": WARNING,
    "bare-almaty": WARNING,
    "spelling-region": WARNING,
    "year-from-title": WARNING,
    "column-not-read": WARNING,
    "region-twice": WARNING,
    "derived-sheet-skipped": WARNING,
    "sheet-not-a-report": WARNING,
    "section-breakdown-skipped": WARNING,
    "mixed-shapes": WARNING,
    # the whole file is refused
    "empty-file": FILE,
    "not-a-spreadsheet": FILE,
    "markup-not-a-spreadsheet": FILE,
    "xlsb-not-supported": FILE,
    "corrupt-file": FILE,
    "password-protected": FILE,
    "too-large-file": FILE,
    "zip-bomb": FILE,
    "too-many-parts": FILE,
    "too-many-cells": FILE,
    "too-many-columns": FILE,
    "too-many-sheets": FILE,
    "too-many-rejections": FILE,
    "unknown-encoding": FILE,
    "not-a-report": FILE,
    "statistical-form": FILE,
    "enforcement-statistics": FILE,
    "no-header": FILE,
    "no-data-rows": FILE,
    "no-rows-loaded": FILE,
    "mixed-population-and-activity": FILE,
    "column-group-unreadable": FILE,
    "parse-timeout": FILE,
    "parse-out-of-memory": FILE,
    "parse-crashed": FILE,
    "internal-error": FILE,
    "not-a-regular-file": FILE,
    "file-not-found": FILE,
    "unreadable": FILE,
    # refused when storing (the use case)
    "duplicate": FILE,
    "forbidden": FILE,
    "busy": FILE,
    "store-failed": FILE,
    "batch-gone": FILE,
    "original-not-saved": FILE,
}


@dataclass(frozen=True)
class Problem:
    """What the reader found, where: `code` from CODES, `params` for the message (JSON values only)."""
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None       # Excel row number
    column: str | None = None    # the column's header as the file writes it

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}")

    @property
    def severity(self) -> str:
        return CODES[self.code]

    def at(self, sheet: str | None = None, row: int | None = None, column: str | None = None) -> Problem:
        return replace(self, sheet=sheet if sheet is not None else self.sheet,
                       row=row if row is not None else self.row, column=column if column is not None else self.column)

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code,
                "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(data["code"], dict(data.get("params") or {}), data.get("sheet"), data.get("row"),
                   data.get("column"))


class LoaderError(Exception):
    """A whole file cannot be read; carries the Problem (severity "file") that says why."""

    def __init__(self, code: str, **params: Any) -> None:
        self.problem = Problem(code, params)
        super().__init__(code)

    @property
    def code(self) -> str:
        return self.problem.code


def problem(code: str, **params: Any) -> Problem:
    return Problem(code, params)


def reasons(problems: list[Problem], top: int = 3) -> list[dict]:
    """The most frequent codes among row problems, each with one example's parameters and its count."""
    counts: dict[str, int] = {}
    example: dict[str, dict] = {}
    for p in problems:
        counts[p.code] = counts.get(p.code, 0) + 1
        example.setdefault(p.code, dict(p.params))
    ranked = sorted(counts, key=lambda code: -counts[code])[:top]
    return [{"code": code, "params": example[code], "count": counts[code]} for code in ranked]
