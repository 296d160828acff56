"""Reading reports as data: per-file counts, status, problems (errors, warnings, the file's refusal), flattenable
into one table for the CLI's --json, the page's error table and the rejected-rows workbook."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.problems import Problem

Render = Callable[[Problem], str]


def _code_only(problem: Problem) -> str:
    return problem.code


@dataclass
class FileReport:
    file: str
    sha256: str = ""
    status: str = "failed"           # loaded | duplicate | failed
    shape: str | None = None         # events | summary | population
    rows_read: int = 0
    rows_loaded: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0
    records_loaded: int = 0          # a row with column groups gives one record per group
    errors: list[Problem] = field(default_factory=list)    # severity "row": why a row was rejected
    warnings: list[Problem] = field(default_factory=list)  # severity "warning": what the reader was unsure of
    failure: Problem | None = None   # severity "file": why nothing was stored
    batch_id: int | None = None
    duplicate_of: dict | None = None
    dry_run: bool = False
    sheets: list[dict] = field(default_factory=list)         # sheet, header_rows, shape, columns, evidence
    region_matches: list[dict] = field(default_factory=list)  # text, region_code, confidence, method, note, rows

    @property
    def error_code(self) -> str | None:
        return self.failure.code if self.failure else None

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "duplicate") and self.rows_rejected == 0

    def fail(self, failure: Problem) -> FileReport:
        """Refuse the whole file: nothing of it counts as read, loaded or rejected."""
        self.status, self.failure = "failed", failure
        self.rows_read = self.rows_loaded = self.rows_skipped = self.rows_rejected = self.records_loaded = 0
        self.errors = []
        return self

    def to_dict(self, render: Render = _code_only) -> dict:
        """The JSON report of DESIGN.md. Problems carry sheet, row, column, code, params and the rendered message."""
        def item(p: Problem) -> dict:
            return {"sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code, "message": render(p),
                    "params": dict(p.params)}
        duplicate = dict(self.duplicate_of) if self.duplicate_of else None
        if duplicate and duplicate.get("loaded_at") is not None:
            duplicate["loaded_at"] = str(duplicate["loaded_at"])
        return {
            "file": self.file, "sha256": self.sha256, "status": self.status, "shape": self.shape,
            "rows_read": self.rows_read, "rows_loaded": self.rows_loaded, "rows_skipped": self.rows_skipped,
            "rows_rejected": self.rows_rejected, "records_loaded": self.records_loaded,
            "errors": [item(p) for p in self.errors], "warnings": [item(p) for p in self.warnings],
            "error": render(self.failure) if self.failure else None, "error_code": self.error_code,
            "batch_id": self.batch_id, "duplicate_of": duplicate, "dry_run": self.dry_run, "sheets": self.sheets,
            "region_matches": self.region_matches,
        }


FLAT_COLUMNS = ["file", "sheet", "row", "column", "severity", "code", "message"]


def flatten(reports: list[FileReport], render: Render = _code_only) -> list[list]:
    """One row per problem, refusals first, then rejected rows, then warnings: FLAT_COLUMNS."""
    rows: list[list] = []
    for report in reports:
        problems = ([report.failure] if report.failure else []) + report.errors + report.warnings
        rows.extend([report.file, p.sheet, p.row, p.column, p.severity, p.code, render(p)] for p in problems)
    return rows


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    def to_dict(self, render: Render = _code_only) -> dict:
        return {"files": [f.to_dict(render) for f in self.files]}

    def flatten(self, render: Render = _code_only) -> list[list]:
        return flatten(self.files, render)

    @property
    def exit_code(self) -> int:
        return 0 if all(f.ok for f in self.files) else 1
