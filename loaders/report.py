"""Ingestion reports as data: per-file counts, status and row errors, flattenable into a table."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

MESSAGES = {
    "missing-region": "Не указан регион",
    "unknown-region": "Регион «{value}» не найден в справочнике",
    "missing-date": "Не указана дата",
    "invalid-date": "Не удалось прочитать дату «{value}»",
    "impossible-date": "Такой даты не существует: «{value}»",
    "date-out-of-range": "Дата {value} вне допустимого диапазона (с 2000 года и не позже чем через год)",
    "not-a-number": "Не число: «{value}»",
    "not-an-integer": "Дробное число: «{value}»",
    "negative-count": "Отрицательное число: {value}",
    "part-exceeds-total": "{value} больше общего охвата ({total})",
    "missing-events": "Не указано количество мероприятий",
    "missing-period": "Не удалось определить период отчёта: нет даты, столбца периода или периода в заголовке",
}


def message(code: str, value: object = "", **extra: object) -> str:
    return MESSAGES.get(code, code).format(value=value, **extra)


@dataclass
class RowError:
    sheet: str | None
    row: int | None
    column: str | None
    code: str
    message: str  # Russian; other languages are built from `code` and `params` (prevention.i18n)
    params: dict = field(default_factory=dict)


@dataclass
class FileReport:
    file: str
    sha256: str = ""
    status: str = "failed"  # loaded | duplicate | failed
    shape: str | None = None  # events | summary
    rows_read: int = 0
    rows_loaded: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    error: str | None = None
    error_code: str | None = None
    batch_id: int | None = None
    duplicate_of: dict | None = None
    dry_run: bool = False
    sheets: list[dict] = field(default_factory=list)         # sheet, header_rows, columns {header: field}
    region_matches: list[dict] = field(default_factory=list)  # text, region_code, confidence, method, note, rows

    def to_dict(self) -> dict:
        """The JSON report of DESIGN.md; row errors carry exactly sheet, row, column, code and message."""
        data = asdict(self)
        data["errors"] = [{k: e[k] for k in ("sheet", "row", "column", "code", "message")} for e in data["errors"]]
        if data["duplicate_of"] and data["duplicate_of"].get("loaded_at") is not None:
            data["duplicate_of"]["loaded_at"] = str(data["duplicate_of"]["loaded_at"])
        return data

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "duplicate") and self.rows_rejected == 0


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"files": [f.to_dict() for f in self.files]}

    def flatten(self) -> list[list]:
        """One row per problem: [file, sheet, row, column, code, message]."""
        rows = []
        for f in self.files:
            if f.status == "failed":
                rows.append([f.file, None, None, None, f.error_code or "failed", f.error])
            rows.extend([f.file, e.sheet, e.row, e.column, e.code, e.message] for e in f.errors)
        return rows

    @property
    def exit_code(self) -> int:
        return 0 if all(f.ok for f in self.files) else 1
