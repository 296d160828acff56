"""The corpus: report files of both shapes (event logs and regional summaries), in xlsx, xls, ods and csv, each with
the exact ingest result the loader must give.

Counting rules (the loader's contract, restated so the numbers below can be checked by hand):
- the table is the header block (1-3 rows, maybe a numbering row «1 2 3 …» under it) and everything below it;
  title lines above the header are not counted;
- rows_read: every row from the first row under the header block down to the last row with a non-empty cell;
- rows_skipped: blank rows, totals rows, section headings (a region across the row, no figures), notes,
  «в том числе:», signatures;
- rows_rejected: data rows that cannot be read right (unknown place or a unit that is not a region, impossible
  date, a count that is not a number, a part larger than the total); they add nothing to the totals;
- rows_loaded: the rest; a row with column groups (months, quarters, years) is one loaded row giving one record
  per group; a «Всего за год»/«Итого» group is not a record; a «Свод» sheet of formulas over other sheets is
  not read at all.

Every case builds its sheet from a `Body`: each data-area row is written once and declared, at the same place,
as loaded (with the records it gives), skipped or rejected. Counts, per-region totals and periods come from
those declarations, i.e. from the very values written into the file."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# --- what a case expects ------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: Path
    status: str                      # "loaded" | "failed"
    layout: str = ""                 # one line for people: what the file looks like
    shape: str | None = None         # "events" | "summary" (documentation; not asserted)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0
    totals: dict[str, tuple] = field(default_factory=dict)      # region_code -> (events, participants, students)
    periods: dict[tuple, int] | None = None                      # (region_code, "YYYY-MM-DD", "YYYY-MM-DD") -> events
    error_words: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".")


@dataclass(frozen=True)
class Rec:
    """One record the loader must store: a region, a period and its figures (None: not given by the file)."""
    code: str
    start: date
    end: date
    events: int
    participants: int | None
    students: int | None


def event(code: str, day: date, participants: int | None, students: int | None) -> Rec:
    """An event-log record: one event on one day."""
    return Rec(code, day, day, 1, participants, students)


def summary(code: str, start: date, end: date, events: int, participants: int | None, students: int | None) -> Rec:
    return Rec(code, start, end, events, participants, students)


class Body:
    """The data area of one sheet (everything under the header block): rows in order, each declared."""

    def __init__(self) -> None:
        self.rows: list[list] = []
        self.kinds: list[str] = []
        self.records: list[Rec] = []

    def load(self, row: list, *records: Rec) -> None:
        assert records, "a loaded row gives at least one record"
        self._add(row, "loaded")
        self.records.extend(records)

    def skip(self, row: list | None = None) -> None:
        self._add(list(row or []), "skipped")

    def reject(self, row: list) -> None:
        self._add(row, "rejected")

    def _add(self, row: list, kind: str) -> None:
        self.rows.append(row)
        self.kinds.append(kind)

    def count(self, kind: str) -> int:
        return self.kinds.count(kind)


def _plus(a: int | None, b: int | None) -> int | None:
    """SQL sum(): NULLs are ignored, all-NULL gives NULL."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def totals_of(records: list[Rec]) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for r in records:
        events, participants, students = out.get(r.code, (None, None, None))
        out[r.code] = (_plus(events, r.events), _plus(participants, r.participants), _plus(students, r.students))
    return out


def periods_of(records: list[Rec]) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    for r in records:
        key = (r.code, r.start.isoformat(), r.end.isoformat())
        out[key] = out.get(key, 0) + r.events
    return out


def loaded(name: str, path: Path, bodies: list[Body], layout: str, shape: str, *, periods: bool = True,
           warning_codes: tuple[str, ...] = ()) -> Case:
    for body in bodies:
        assert body.rows and any(v not in (None, "") for v in body.rows[-1]), \
            f"{name}: a body must end on a non-empty row (rows_read stops at the last non-empty row)"
    records = [r for b in bodies for r in b.records]
    return Case(name=name, path=path, status="loaded", layout=layout, shape=shape,
                rows_read=sum(len(b.rows) for b in bodies),
                rows_loaded=sum(b.count("loaded") for b in bodies),
                rows_skipped=sum(b.count("skipped") for b in bodies),
                rows_rejected=sum(b.count("rejected") for b in bodies),
                totals=totals_of(records), periods=periods_of(records) if periods else None,
                warning_codes=warning_codes)


def failed(name: str, path: Path, layout: str, *error_words: str) -> Case:
    return Case(name=name, path=path, status="failed", layout=layout, error_words=tuple(error_words))


# --- writers: one grid model, four file formats ---------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based (row1, col1, row2, col2)

    def add(self, *rows: list) -> int:
        """Append rows; returns the 1-based number of the first one."""
        first = len(self.rows) + 1
        self.rows.extend(list(r) for r in rows)
        return first

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))

    @property
    def width(self) -> int:
        return max([len(r) for r in self.rows] + [m[3] for m in self.merges] + [1])

    def value(self, r: int, c: int):
        row = self.rows[r - 1] if r <= len(self.rows) else []
        return row[c - 1] if c <= len(row) else None

    def covered(self) -> set[tuple[int, int]]:
        """Cells hidden under a merge (not the top-left one); they must be empty in `rows`."""
        cells = set()
        for r1, c1, r2, c2 in self.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        assert self.value(r, c) in (None, ""), f"{self.name}: a value under a merge at {r},{c}"
                        cells.add((r, c))
        return cells


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        sheet.covered()
        for r, row in enumerate(sheet.rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, (date, datetime)):
                    cell.number_format = "DD.MM.YYYY"
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    wb.save(path)
    return path


def write_xls(path: Path, sheets: list[Sheet]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.XFStyle()
    dated = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name)
        covered = sheet.covered()
        tops = {(m[0], m[1]): m for m in sheet.merges}
        for (r1, c1), (_, _, r2, c2) in tops.items():
            value = sheet.value(r1, c1)
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, "" if value is None else value,
                           dated if isinstance(value, date) else plain)
        for r, row in enumerate(sheet.rows, 1):
            for c, value in enumerate(row, 1):
                if value is None or (r, c) in covered or (r, c) in tops:
                    continue
                ws.write(r - 1, c - 1, value, dated if isinstance(value, date) else plain)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: list[Sheet]) -> Path:
    """OpenDocument with odfpy, merges as real spanned cells (covered cells after them)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for sheet in sheets:
        table = Table(name=sheet.name)
        covered = sheet.covered()
        spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in sheet.merges}
        width = sheet.width
        for r in range(1, len(sheet.rows) + 1):
            tr = TableRow()
            for c in range(1, width + 1):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                kwargs = {}
                if (r, c) in spans:
                    kwargs = {"numberrowsspanned": spans[r, c][0], "numbercolumnsspanned": spans[r, c][1]}
                value = sheet.value(r, c)
                if value is None:
                    cell = TableCell(**kwargs)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value, **kwargs)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **kwargs)
                    cell.addElement(P(text=value.strftime("%d.%m.%Y")))
                else:
                    cell = TableCell(valuetype="string", **kwargs)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_ods_pandas(path: Path, sheet: Sheet) -> Path:
    """A plain one-header table saved by pandas' odf writer (what a script exporting a DataFrame produces)."""
    import pandas as pd

    header, *data = sheet.rows
    width = len(header)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in data], columns=header, dtype=object)
    frame.to_excel(path, engine="odf", index=False, sheet_name=sheet.name)
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str, delimiter: str) -> Path:
    """As Excel saves CSV: every line padded to the table's width, CRLF line ends, dates as dd.mm.yyyy."""
    width = max(len(r) for r in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        cells = ["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, date) else str(v) for v in row]
        writer.writerow(cells + [""] * (width - len(cells)))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def sheet_with(name: str, title: list[list] | None, header: list[list], body: Body,
               merges: list[tuple[int, int, int, int]] = ()) -> Sheet:
    """Title lines, the header block, then the body; `merges` are given relative to the whole sheet."""
    sheet = Sheet(name)
    for line in title or []:
        sheet.add(line)
    sheet.add(*header)
    sheet.add(*body.rows)
    for m in merges:
        sheet.merge(*m)
    return sheet


# --- the cases ------------------------------------------------------------------------------------------------

CASES: list[Callable[[Path], Case]] = []


def case(fn: Callable[[Path], Case]) -> Callable[[Path], Case]:
    CASES.append(fn)
    return fn


def D(y: int, m: int, d: int) -> date:
    return date(y, m, d)


def month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


MONTHS_RU = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь",
             "Ноябрь", "Декабрь"]


def total_row(label: str, records: list[Rec], *, lead: int, fields=("participants", "students"),
              events: bool = False) -> list:
    """A totals row as writers type it: the label, blanks, then the sums of the figures of `records`."""
    row: list = [label] + [None] * (lead - 1)
    if events:
        row.append(sum(r.events for r in records))
    for f in fields:
        row.append(sum(getattr(r, f) or 0 for r in records))
    return row


# ============================================ event logs ======================================================


@case
def log_merged_header_itogo(folder: Path) -> Case:
    """The common event log: a merged title, a two-row header with «Охват участников» over three columns."""
    data = [  # date, region text, code, district, venue, form, organiser, participants, students, schoolchildren
        (D(2025, 6, 2), "Карагандинская область", "KZ-35", "г. Караганда", "КарТУ им. Букетова", "лекция",
         "ДП Карагандинской области", 120, 80, 0),
        (D(2025, 6, 5), "Акмолинская область", "KZ-11", "г. Кокшетау", "Высший колледж №2", "беседа",
         "ДП Акмолинской области", 45, 30, 15),
        (D(2025, 6, 10), "Павлодарская область", "KZ-55", "г. Павлодар", "СОШ №5", "акция", "акимат г. Павлодара",
         200, 0, 180),
        (D(2025, 6, 12), "Карагандинская область", "KZ-35", "г. Темиртау", "Политехнический колледж", "тренинг",
         "НПО «Жастар»", 35, 35, 0),
        (D(2025, 6, 20), "город Астана", "KZ-71", None, "ЕНУ им. Гумилёва", "форум", "ДП г. Астаны", 300, 250, 0),
        (D(2025, 6, 26), "Туркестанская область", "KZ-61", "г. Туркестан", "Дворец школьников", "конкурс",
         "управление образования", 150, 0, 140),
    ]
    body = Body()
    for i, (day, region, code, district, venue, form, org, p, s, sch) in enumerate(data, 1):
        body.load([i, day, region, district, venue, form, org, p, s, sch], event(code, day, p, s))
    body.skip(["Итого", None, None, None, None, None, None, sum(d[7] for d in data), sum(d[8] for d in data),
               sum(d[9] for d in data)])
    header = [["№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия", "Организатор",
               "Охват участников", None, None],
              [None] * 7 + ["всего", "в т.ч. студентов", "в т.ч. школьников"]]
    merges = [(1, 1, 1, 10), (3, 8, 3, 10)] + [(3, c, 4, c) for c in range(1, 8)]
    title = [["Сведения о проведённых профилактических мероприятиях за июнь 2025 года"], []]
    path = write_xlsx(folder / "log_merged_header.xlsx", [sheet_with("Мероприятия", title, header, body, merges)])
    return loaded("log_merged_header_itogo", path, [body], "event log, merged title and 2-row header, «Итого»",
                  "events")


@case
def log_naimenovanie_regiona_departments(folder: Path) -> Case:
    data = [
        (D(2025, 5, 27), "ДП Костанайской области", "KZ-39", "Костанайский колледж", "лекция", 60, 45),
        (D(2025, 5, 28), "Департамент полиции Жамбылской области", "KZ-31", "ТарГУ", "встреча", 90, 90),
        (D(2025, 6, 3), "по г. Астане", "KZ-71", "Назарбаев Университет", "круглый стол", 25, 20),
        (D(2025, 6, 4), "акимат Карагандинской области", "KZ-35", "ДК горняков", "акция", 400, 100),
        (D(2025, 6, 11), "Акмолинской", "KZ-11", "СШ №1 г. Щучинск", "беседа", 30, 0),
        (D(2025, 6, 18), "ДП г. Шымкент", "KZ-79", "ЮКУ им. Ауэзова", "семинар", 70, 65),
        (D(2025, 6, 25), "УП г. Алматы", "KZ-75", "КазНУ им. аль-Фараби", "тренинг", 50, 50),
    ]
    body = Body()
    for i, (day, region, code, venue, form, p, s) in enumerate(data, 1):
        if i == 5:
            body.skip()  # a blank row left between two weeks of events
        body.load([i, day, region, venue, form, p, s], event(code, day, p, s))
    header = [["№", "Дата", "Наименование региона", "Место проведения", "Форма мероприятия", "Охват",
               "в т.ч. студентов"]]
    path = write_xlsx(folder / "log_dept_names.xlsx", [sheet_with("Лист1", None, header, body)])
    return loaded("log_naimenovanie_regiona_departments", path, [body],
                  "event log, «Наименование региона» with department/akimat forms, a blank row", "events")


@case
def log_podrazdelenie_non_region_units(folder: Path) -> Case:
    body = Body()
    rows = [  # date, unit, code (None: not one of the 20), form, audience, participants, students
        (D(2025, 6, 9), "ДП Павлодарской области", "KZ-55", "лекция", "студенты", 80, 80),
        (D(2025, 6, 10), "ДП на транспорте", None, "беседа", "пассажиры", 40, 5),
        (D(2025, 6, 11), "ДП Атырауской области", "KZ-23", "акция", "молодёжь", 150, 60),
        (D(2025, 6, 12), "Комитет по противодействию наркопреступности МВД", None, "семинар", "педагоги", 35, 0),
        (D(2025, 6, 13), "ДП Мангистауской области", "KZ-47", "встреча", "студенты", 55, 50),
    ]
    for day, unit, code, form, audience, p, s in rows:
        row = [day, unit, form, audience, p, s]
        if code:
            body.load(row, event(code, day, p, s))
        else:
            body.reject(row)
    body.skip(["Итого", None, None, None, sum(r[5] for r in rows), sum(r[6] for r in rows)])
    header = [["Дата", "Подразделение", "Форма мероприятия", "Аудитория", "Охват", "в т.ч. студентов"]]
    path = write_xls(folder / "log_units.xls", [sheet_with("Отчёт", None, header, body)])
    return loaded("log_podrazdelenie_non_region_units", path, [body],
                  "event log, «Подразделение»; «ДП на транспорте» and the MVD committee rejected", "events")


@case
def log_gorod_column_csv_bom(folder: Path) -> Case:
    data = [
        (D(2025, 6, 2), "г. Астана", "KZ-71", "Колледж сервиса", "лекция", 40, 40),
        (D(2025, 6, 3), "Шымкент", "KZ-79", "СШ №12", "беседа", 25, 0),
        (D(2025, 6, 4), "г.Алматы", "KZ-75", "КазНМУ", "акция", 300, 280),
        (D(2025, 6, 5), "г. Астана", "KZ-71", "ЕНУ", "встреча", 60, 55),
        (D(2025, 6, 6), "Шымкент", "KZ-79", "Колледж №3", "тренинг", 20, 18),
    ]
    body = Body()
    for i, (day, city, code, venue, form, p, s) in enumerate(data, 1):
        body.load([i, day, city, venue, form, p, s], event(code, day, p, s))
    body.skip(["Итого", None, None, None, None, sum(d[5] for d in data), sum(d[6] for d in data)])
    rows = [["№", "Дата", "Город", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]] + body.rows
    path = write_csv(folder / "log_gorod.csv", rows, encoding="utf-8-sig", delimiter=";")
    return loaded("log_gorod_column_csv_bom", path, [body],
                  "event log CSV (UTF-8 BOM, «;»), the only place column is «Город»", "events")


@case
def log_naselenny_punkt_ods(folder: Path) -> Case:
    data = [
        (D(2025, 5, 26), "г.Алматы", "KZ-75", "лекция", 120, 100),
        (D(2025, 5, 30), "г. Астана", "KZ-71", "акция", 500, 120),
        (D(2025, 6, 6), "Шымкент", "KZ-79", "беседа", 35, 10),
        (D(2025, 6, 13), "г. Шымкент", "KZ-79", "викторина", 45, 45),
        (D(2025, 6, 26), "г. Алматы", "KZ-75", "форум", 250, 200),
    ]
    body = Body()
    for day, place, code, form, p, s in data:
        body.load([day, place, form, p, s], event(code, day, p, s))
    body.skip(["Итого", None, None, sum(d[4] for d in data), sum(d[5] for d in data)])
    header = [["Дата", "Населённый пункт", "Форма мероприятия", "Охват, чел.", "в т.ч. студентов"]]
    title = [["Мероприятия месячника «Антинарко» (26 мая – 26 июня 2025 года)"]]
    path = write_ods(folder / "log_np.ods", [sheet_with("Антинарко", title, header, body, [(1, 1, 1, 5)])])
    return loaded("log_naselenny_punkt_ods", path, [body],
                  "event log ODS, the only place column is «Населённый пункт» (cities)", "events")


@case
def log_kazakh_oblys_atauy_text_dates(folder: Path) -> Case:
    data = [  # text date, the date, region text, code, venue, form, participants, students
        ("20 маусым 2025 ж.", D(2025, 6, 20), "Қарағанды облысының ПД", "KZ-35", "ҚарТУ", "дәріс", 80, 60),
        ("3 шілде 2025 ж.", D(2025, 7, 3), "Астана қаласы бойынша", "KZ-71", "Колледж", "кездесу", 40, 40),
        ("15 мамыр 2025 ж.", D(2025, 5, 15), "Алматы облысы", "KZ-19", "№3 мектеп", "әңгіме", 60, 0),
        ("26 маусым 2025 ж.", D(2025, 6, 26), "Түркістан облысы", "KZ-61", "Саябақ", "акция", 250, 30),
        ("2 қазан 2025 ж.", D(2025, 10, 2), "Маңғыстау облысы", "KZ-47", "Ақтау колледжі", "семинар", 33, 33),
    ]
    body = Body()
    for i, (text, day, region, code, venue, form, p, s) in enumerate(data, 1):
        body.load([i, text, region, venue, form, p, s], event(code, day, p, s))
    body.skip(["Барлығы", None, None, None, None, sum(d[6] for d in data), sum(d[7] for d in data)])
    header = [["Р/с", "Өткізілген күні", "Облыстың атауы", "Өткізілген орны", "Іс-шара түрі", "Қамтылғаны",
               "оның ішінде студенттер"]]
    path = write_xlsx(folder / "log_kk.xlsx", [sheet_with("Іс-шаралар", None, header, body)])
    return loaded("log_kazakh_oblys_atauy_text_dates", path, [body],
                  "event log in Kazakh, «Облыстың атауы», «20 маусым 2025 ж.» dates, «Барлығы»", "events")


@case
def log_onir_zhiyny_pandas_ods(folder: Path) -> Case:
    data = [
        (D(2025, 3, 4), "Павлодар облысы", "KZ-55", "дәріс", 45, 40),
        (D(2025, 3, 11), "Шымкент қаласы", "KZ-79", "кездесу", 70, 0),
        (D(2025, 3, 18), "Абай облысы", "KZ-10", "тренинг", 25, 25),
        (D(2025, 3, 25), "Жетісу облысы", "KZ-33", "акция", 130, 20),
        (D(2025, 4, 1), "Ұлытау облысы", "KZ-62", "дөңгелек үстел", 18, 6),
    ]
    body = Body()
    for day, region, code, form, p, s in data:
        body.load([day, region, form, p, s], event(code, day, p, s))
    body.skip(["Жиыны", None, None, sum(d[4] for d in data), sum(d[5] for d in data)])
    sheet = Sheet("Парақ1", [["Күні", "Өңір", "Іс-шара түрі", "Қамтылғаны", "оның ішінде студенттер"]] + body.rows)
    path = write_ods_pandas(folder / "log_onir.ods", sheet)
    return loaded("log_onir_zhiyny_pandas_ods", path, [body],
                  "event log ODS by pandas, Kazakh «Өңір», new regions, «Жиыны»", "events")


@case
def log_text_dates_ru(folder: Path) -> Case:
    data = [  # as written, the date, region, code, form, participants, students
        ("20 июня 2025 г.", D(2025, 6, 20), "Карагандинская область", "KZ-35", "лекция", 50, 20),
        ("20.06.2025г", D(2025, 6, 20), "Костанайская область", "KZ-39", "беседа", 30, 10),
        ("5 мая 2025", D(2025, 5, 5), "Карагандинская область", "KZ-35", "встреча", 25, 0),
        ("45828", D(2025, 6, 20), "Костанайская область", "KZ-39", "акция", 60, 60),  # an Excel serial as text
        ("1 июля 2025 года", D(2025, 7, 1), "Карагандинская область", "KZ-35", "тренинг", 15, 15),
        ("03.03.2025 г.", D(2025, 3, 3), "Костанайская область", "KZ-39", "лекция", 44, 4),
    ]
    assert date(1899, 12, 30) + timedelta(days=45828) == D(2025, 6, 20)
    body = Body()
    for text, day, region, code, form, p, s in data:
        body.load([text, region, form, p, s], event(code, day, p, s))
    header = [["Дата проведения", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "log_text_dates.xlsx", [sheet_with("Лист1", None, header, body)])
    return loaded("log_text_dates_ru", path, [body],
                  "event log, dates as text («20 июня 2025 г.», «20.06.2025г», «5 мая 2025», serial «45828»)",
                  "events")


@case
def log_date_range(folder: Path) -> Case:
    """«20–25.06.2025» loads (period start 20.06); its end is not asserted, so no `periods` here."""
    data = [
        ("20–25.06.2025", D(2025, 6, 20), "Жамбылская область", "KZ-31", "спортивный турнир", 400, 150),
        ("18.06.2025", D(2025, 6, 18), "Жамбылская область", "KZ-31", "лекция", 30, 30),
        ("1-3.06.2025", D(2025, 6, 1), "Кызылординская область", "KZ-43", "акция", 220, 40),
        ("05.06.2025", D(2025, 6, 5), "Кызылординская область", "KZ-43", "беседа", 12, 0),
    ]
    body = Body()
    for text, day, region, code, form, p, s in data:
        body.load([text, region, form, p, s], event(code, day, p, s))
    body.skip(["Итого", None, None, sum(d[5] for d in data), sum(d[6] for d in data)])
    header = [["Дата / сроки проведения", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "log_range.xlsx", [sheet_with("Лист1", None, header, body)])
    return loaded("log_date_range", path, [body], "event log with date ranges «20–25.06.2025», «1-3.06.2025»",
                  "events", periods=False)


@case
def log_date_and_region_merged_down(folder: Path) -> Case:
    days = [D(2025, 6, 20), D(2025, 6, 21), D(2025, 6, 22)]
    figures = [(40, 30), (25, 0), (60, 60), (80, 10), (15, 15), (33, 3), (120, 100), (20, 0), (45, 45)]
    forms = ["лекция", "беседа", "акция"]
    body = Body()
    top = 3  # title line, header, then the body from row 3
    for i, (p, s) in enumerate(figures):
        day = days[i // 3]
        row = [i + 1, "Карагандинская область" if i == 0 else None, day if i % 3 == 0 else None,
               f"Колледж №{i + 1}", forms[i % 3], p, s]
        body.load(row, event("KZ-35", day, p, s))
    body.skip(["Итого", None, None, None, None, sum(p for p, _ in figures), sum(s for _, s in figures)])
    merges = [(top, 2, top + 8, 2)] + [(top + 3 * k, 3, top + 3 * k + 2, 3) for k in range(3)]
    header = [["№", "Регион", "Дата", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    title = [["Профилактические мероприятия в Международный день борьбы с наркоманией"]]
    path = write_xlsx(folder / "log_merged_down.xlsx", [sheet_with("Лист1", title, header, body, merges)])
    return loaded("log_date_and_region_merged_down", path, [body],
                  "event log, region merged down the table, each date merged down over three events", "events")


@case
def log_region_merged_down_xls(folder: Path) -> Case:
    groups = [("Костанайская обл.", "KZ-39", [(D(2025, 4, 2), "лекция", 50, 50), (D(2025, 4, 9), "беседа", 20, 0),
                                              (D(2025, 4, 16), "акция", 150, 30)]),
              ("СКО", "KZ-59", [(D(2025, 4, 3), "тренинг", 18, 18), (D(2025, 4, 24), "встреча", 65, 40)])]
    body = Body()
    merges = []
    row_no = 2  # header on row 1
    for region, code, events in groups:
        merges.append((row_no, 1, row_no + len(events) - 1, 1))
        for k, (day, form, p, s) in enumerate(events):
            body.load([region if k == 0 else None, day, form, p, s], event(code, day, p, s))
            row_no += 1
    all_events = [e for _, _, es in groups for e in es]
    body.skip(["Итого", None, None, sum(e[2] for e in all_events), sum(e[3] for e in all_events)])
    header = [["Область", "Дата", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xls(folder / "log_region_merged.xls", [sheet_with("Апрель", None, header, body, merges)])
    return loaded("log_region_merged_down_xls", path, [body],
                  "event log XLS, «Область» merged down over each region's events", "events")


@case
def log_numbering_row_notes_signatures(folder: Path) -> Case:
    data = [
        (D(2025, 5, 6), "Карагандинская область", "KZ-35", "г. Балхаш", "Колледж", "лекция", 70, 65),
        (D(2025, 5, 14), "Карагандинская область", "KZ-35", "г. Шахтинск", "СОШ №2", "беседа", 30, 0),
        (D(2025, 5, 20), "Костанайская область", "KZ-39", "г. Рудный", "Индустриальный институт", "встреча", 90, 85),
        (D(2025, 5, 27), "Акмолинская область", "KZ-11", "г. Степногорск", "ДК", "акция", 210, 40),
        (D(2025, 5, 30), "Акмолинская область", "KZ-11", "Бурабайский район", "Лицей", "тренинг", 22, 0),
    ]
    body = Body()
    for i, (day, region, code, district, venue, form, p, s) in enumerate(data, 1):
        body.load([i, day, region, district, venue, form, p, s], event(code, day, p, s))
    body.skip()
    body.skip(["Примечание: сведения за последнюю неделю мая уточняются."])
    body.skip(["* — данные уточняются"])
    body.skip(["Исп. Сапарова А.К., тел. 8 (7212) 41-00-00"])
    body.skip(["Начальник ДП Карагандинской области", None, None, None, "______ подпись", None, "Ж. Ахметов"])
    header = [["№ п/п", "Дата", "Регион", "Район", "Место проведения", "Форма мероприятия", "Охват",
               "в т.ч. студентов"],
              [1, 2, 3, 4, 5, 6, 7, 8]]
    title = [["Информация о профилактических мероприятиях за май 2025 года"]]
    path = write_xlsx(folder / "log_notes.xlsx", [sheet_with("Май", title, header, body, [(1, 1, 1, 8)])])
    return loaded("log_numbering_row_notes_signatures", path, [body],
                  "event log, numbering row 1..8, notes, footnote, «Исп.» and signature lines", "events")


@case
def log_signatures_holding_figures(folder: Path) -> Case:
    """Signature and «Исп.» lines whose year, phone or page number fell into the figure columns: nothing in them
    names a place or a day, so they are skipped, not rejected (and never counted)."""
    data = [
        (D(2025, 11, 3), "Павлодарская область", "KZ-55", "г. Экибастуз", "Колледж", "лекция", 60, 55),
        (D(2025, 11, 12), "Павлодарская область", "KZ-55", "г. Аксу", "СОШ №4", "беседа", 28, 0),
        (D(2025, 11, 19), "Северо-Казахстанская область", "KZ-59", "г. Петропавловск", "Гуманитарный колледж",
         "встреча", 75, 70),
    ]
    body = Body()
    for i, (day, region, code, district, venue, form, p, s) in enumerate(data, 1):
        body.load([i, day, region, district, venue, form, p, s], event(code, day, p, s))
    body.skip()
    body.skip(["Подпись", None, None, None, None, None, 2025, 12])
    body.skip([None, "Исп. Нурланова Д.", None, None, "тел.", None, 8, 7182])
    body.skip(["М.П.", None, None, None, None, None, None, 1])
    header = [["№", "Дата", "Регион", "Район", "Место проведения", "Форма мероприятия", "Охват", "из них студентов"]]
    path = write_xlsx(folder / "log_signature_figures.xlsx", [sheet_with("Ноябрь", None, header, body, [])])
    return loaded("log_signatures_holding_figures", path, [body],
                  "event log, signature, «Исп.» and «М.П.» lines with numbers in the figure columns", "events")


@case
def log_abbreviated_headers(folder: Path) -> Case:
    data = [
        (D(2025, 9, 1), "Атырауская обл.", "KZ-23", "лекция", 60, 40, 20),
        (D(2025, 9, 8), "Атырауская обл.", "KZ-23", "беседа", 35, 0, 35),
        (D(2025, 9, 15), "Мангистауская обл.", "KZ-47", "акция", 140, 60, 70),
        (D(2025, 9, 22), "Актюбинская обл.", "KZ-15", "викторина", 28, 0, 28),
        (D(2025, 9, 29), "Актюбинская обл.", "KZ-15", "лекция", 52, 50, 0),
    ]
    body = Body()
    for i, (day, region, code, form, p, s, sch) in enumerate(data, 1):
        body.load([i, day, region, form, p, s, sch], event(code, day, p, s))
    body.skip(["Итого", None, None, None] + [sum(d[k] for d in data) for k in (4, 5, 6)])
    header = [["№", "Дата", "Регион", "Форма мер-я", "Кол-во участников", "студ.", "в т.ч. уч-ся"]]
    path = write_xlsx(folder / "log_abbrev.xlsx", [sheet_with("Сентябрь", None, header, body)])
    return loaded("log_abbreviated_headers", path, [body],
                  "event log, abbreviated headers «Кол-во участников», «студ.», «в т.ч. уч-ся»", "events")


@case
def log_rejections_csv_cp1251(folder: Path) -> Case:
    body = Body()
    body.load([D(2025, 6, 2), "Жамбылская область", "лекция", 40, 20], event("KZ-31", D(2025, 6, 2), 40, 20))
    body.reject([D(2025, 6, 3), "Марс", "беседа", 10, 0])                           # unknown place
    body.load([D(2025, 6, 4), "Жамбылская область", "акция", 120, 30], event("KZ-31", D(2025, 6, 4), 120, 30))
    body.reject(["31.02.2025", "Кызылординская область", "лекция", 25, 5])          # impossible date
    body.reject([D(2025, 6, 5), "Кызылординская область", "встреча", "около ста", None])  # not a number
    body.reject([D(2025, 6, 6), "Атырауская область", "тренинг", 20, 35])          # students > participants
    body.load([D(2025, 6, 7), "Кызылординская область", "семинар", 55, 15], event("KZ-43", D(2025, 6, 7), 55, 15))
    body.skip(["Итого", None, None, 270, 105])
    rows = [["Дата", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"]] + body.rows
    path = write_csv(folder / "log_rejections.csv", rows, encoding="cp1251", delimiter=";")
    return loaded("log_rejections_csv_cp1251", path, [body],
                  "event log CSV (cp1251, «;»): «Марс», «31.02.2025», «около ста», part > total", "events")


@case
def log_region_in_title_only(folder: Path) -> Case:
    data = [
        (D(2026, 1, 15), "г. Костанай", "КРУ им. Байтурсынова", "лекция", 75, 70),
        (D(2026, 2, 10), "г. Рудный", "СОШ №9", "беседа", 28, 0),
        (D(2026, 3, 4), "Аулиекольский район", "Аулиекольский колледж", "встреча", 40, 36),
        (D(2026, 4, 22), "г. Лисаковск", "ДК «Юность»", "акция", 180, 25),
        (D(2026, 6, 26), "г. Костанай", "Центральная площадь", "форум", 350, 120),
    ]
    body = Body()
    for day, district, venue, form, p, s in data:
        body.load([day, district, venue, form, p, s], event("KZ-39", day, p, s))
    body.skip(["Итого", None, None, None, sum(d[4] for d in data), sum(d[5] for d in data)])
    header = [["Дата", "Район", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    title = [["Сведения ДП Костанайской области за 2026 год"]]
    path = write_xlsx(folder / "log_title_region.xlsx", [sheet_with("2026", title, header, body, [(1, 1, 1, 6)])])
    return loaded("log_region_in_title_only", path, [body],
                  "event log with no region column: region only in the title «Сведения ДП Костанайской области»",
                  "events", warning_codes=("region-from-title",))


@case
def log_region_in_sheet_names_xls(folder: Path) -> Case:
    sheets, bodies = [], []
    for name, code, data, total in [
        ("Павлодарская", "KZ-55", [(D(2025, 6, 1), "лекция", "Колледж", 30), (D(2025, 6, 8), "беседа", "СОШ №3", 22),
                                   (D(2025, 6, 15), "акция", "Набережная", 500)], False),
        ("ВКО", "KZ-63", [(D(2025, 6, 2), "тренинг", "ВКТУ", 40), (D(2025, 6, 9), "встреча", "Колледж", 65)], True),
        ("ЗКО", "KZ-27", [(D(2025, 6, 3), "лекция", "ЗКАТУ", 55), (D(2025, 6, 26), "форум", "Дворец молодёжи", 210)],
         False),
    ]:
        body = Body()
        for day, form, venue, p in data:
            body.load([day, form, venue, p], event(code, day, p, None))
        if total:
            body.skip(["Итого", None, None, sum(d[3] for d in data)])
        sheets.append(sheet_with(name, None, [["Дата", "Форма мероприятия", "Место проведения", "Охват"]], body))
        bodies.append(body)
    path = write_xls(folder / "log_sheets.xls", sheets)
    return loaded("log_region_in_sheet_names_xls", path, bodies,
                  "event log XLS, one sheet per region named «Павлодарская», «ВКО», «ЗКО», no students column",
                  "events")


@case
def log_csv_bom_comma_quoted(folder: Path) -> Case:
    data = [
        (D(2025, 10, 6), "ВКО", "KZ-63", "Колледж, корпус 2", "лекция", "1 200", 1200, 900),
        (D(2025, 10, 7), "ЗКО", "KZ-27", "СОШ №1, актовый зал", "беседа", "35", 35, 0),
        (D(2025, 10, 8), "СКО", "KZ-59", "СКУ им. Козыбаева", "встреча", "48", 48, 48),
        (D(2025, 10, 9), "ВКО", "KZ-63", "Дом культуры \"Достык\"", "акция", "250", 250, 30),
    ]
    body = Body()
    for day, region, code, venue, form, text, p, s in data:
        body.load([day, region, venue, form, text, s], event(code, day, p, s))
    rows = [["Дата", "Регион", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]] + body.rows
    path = write_csv(folder / "log_comma.csv", rows, encoding="utf-8-sig", delimiter=",")
    return loaded("log_csv_bom_comma_quoted", path, [body],
                  "event log CSV (UTF-8 BOM, «,»), quoted venues with commas, ВКО/ЗКО/СКО, «1 200»", "events")


@case
def log_csv_cp1251_comma_short_names(folder: Path) -> Case:
    data = [
        (D(2025, 2, 3), "Акмолинская обл.", "KZ-11", "лекция", 36, 30),
        (D(2025, 2, 5), "Жамбылская", "KZ-31", "беседа", 24, 0),
        (D(2025, 2, 12), "Улытау", "KZ-62", "встреча", 19, 10),
        (D(2025, 2, 19), "Жетысу", "KZ-33", "тренинг", 41, 41),
        (D(2025, 2, 26), "Абайская область", "KZ-10", "акция", 160, 20),
    ]
    body = Body()
    for i, (day, region, code, form, p, s) in enumerate(data, 1):
        body.load([i, day, region, form, p, s], event(code, day, p, s))
    body.skip(["Всего", None, None, None, sum(d[4] for d in data), sum(d[5] for d in data)])
    rows = [["№", "Дата проведения", "Область", "Форма", "Охват участников", "из них студентов"]] + body.rows
    path = write_csv(folder / "log_cp1251_comma.csv", rows, encoding="cp1251", delimiter=",")
    return loaded("log_csv_cp1251_comma_short_names", path, [body],
                  "event log CSV (cp1251, «,»), «Жамбылская», «Улытау», «Жетысу», «Абайская область», «Всего»",
                  "events")


@case
def log_section_rows(folder: Path) -> Case:
    sections = [("Карагандинская область", "KZ-35", [
        (D(2025, 6, 2), "г. Караганда", "КарТУ", "лекция", 60, 40),
        (D(2025, 6, 5), "Абайский район", "СОШ №1 п. Топар", "беседа", 30, 0),  # Karaganda's own Абайский район
        (D(2025, 6, 9), "г. Темиртау", "Колледж", "встреча", 45, 45)]),
        ("Акмолинская область", "KZ-11", [
        (D(2025, 6, 3), "г. Кокшетау", "КУ им. Уалиханова", "тренинг", 55, 50),
        (D(2025, 6, 10), "Бурабайский район", "Лицей", "акция", 120, 10)])]
    body = Body()
    merges = []
    row_no = 3  # title, header, body
    n = 0
    everything = []
    for region, code, events in sections:
        body.skip([region])
        merges.append((row_no, 1, row_no, 7))
        row_no += 1
        for day, district, venue, form, p, s in events:
            n += 1
            body.load([n, day, district, venue, form, p, s], event(code, day, p, s))
            row_no += 1
        body.skip(["Итого по области", None, None, None, None, sum(e[4] for e in events), sum(e[5] for e in events)])
        row_no += 1
        everything += events
    body.skip(["Всего", None, None, None, None, sum(e[4] for e in everything), sum(e[5] for e in everything)])
    header = [["№", "Дата", "Район", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    title = [["Профилактические мероприятия, июнь 2025 года"]]
    path = write_xlsx(folder / "log_sections.xlsx", [sheet_with("Июнь", title, header, body, merges)])
    return loaded("log_section_rows", path, [body],
                  "event log with region section rows merged across, district rows, «Итого по области»", "events")


@case
def log_almaty_variants_xls(folder: Path) -> Case:
    data = [
        (D(2025, 11, 3), "Алматы", "KZ-75", "лекция", 80, 80),           # bare: the city
        (D(2025, 11, 4), "г. Алматы", "KZ-75", "беседа", 25, 20),
        (D(2025, 11, 5), "Алматинская область", "KZ-19", "акция", 300, 50),
        (D(2025, 11, 6), "Алматы облысы", "KZ-19", "кездесу", 44, 40),
        (D(2025, 11, 7), "Алматы қаласы", "KZ-75", "дәріс", 66, 60),
        (D(2025, 11, 10), "Алматинская обл.", "KZ-19", "семинар", 21, 0),
    ]
    body = Body()
    for day, region, code, form, p, s in data:
        body.load([day, region, form, p, s], event(code, day, p, s))
    header = [["Дата", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xls(folder / "log_almaty.xls", [sheet_with("Ноябрь", None, header, body)])
    return loaded("log_almaty_variants_xls", path, [body],
                  "event log XLS: «Алматы» (city), «г. Алматы», «Алматы қаласы» vs «Алматинская область», "
                  "«Алматы облысы»", "events")


@case
def log_oblast_akimat_pandas_ods(folder: Path) -> Case:
    data = [  # as written, the date, region text, code, organiser, form, participants, students
        ("12.03.2025", D(2025, 3, 12), "акимат Карагандинской области", "KZ-35", "акимат", "лекция", 90, 70),
        ("13.03.2025", D(2025, 3, 13), "Акмолинской", "KZ-11", "управление образования", "беседа", 30, 0),
        ("14.03.2025", D(2025, 3, 14), "Костанайская обл.", "KZ-39", "ДП", "акция", 75, 15),
        ("17.03.2025", D(2025, 3, 17), "ВКО", "KZ-63", "НПО «Сана»", "тренинг", 20, 20),
        ("18.03.2025", D(2025, 3, 18), "по Карагандинской области", "KZ-35", "ДП", "встреча", 48, 40),
    ]
    body = Body()
    for text, day, region, code, org, form, p, s in data:
        body.load([text, region, org, form, p, s], event(code, day, p, s))
    sheet = Sheet("Лист1", [["Дата", "Область", "Организатор", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
                  + body.rows)
    path = write_ods_pandas(folder / "log_akimat.ods", sheet)
    return loaded("log_oblast_akimat_pandas_ods", path, [body],
                  "event log ODS by pandas, «Область» with akimat/«по … области»/short forms", "events")


@case
def log_unheaded_region_column(folder: Path) -> Case:
    """The region column has no header at all: only its values say what it is."""
    data = [
        (D(2025, 8, 5), "Павлодарская область", "KZ-55", "лекция", 35, 30),
        (D(2025, 8, 12), "Северо-Казахстанская область", "KZ-59", "беседа", 20, 0),
        (D(2025, 8, 19), "Павлодарская область", "KZ-55", "акция", 110, 25),
        (D(2025, 8, 26), "Северо-Казахстанская область", "KZ-59", "встреча", 42, 42),
    ]
    body = Body()
    for day, region, code, form, p, s in data:
        body.load([day, region, form, p, s], event(code, day, p, s))
    header = [["Дата", None, "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "log_unheaded.xlsx", [sheet_with("Август", None, header, body)])
    return loaded("log_unheaded_region_column", path, [body],
                  "event log whose region column has an empty header (recognised from values)", "events",
                  warning_codes=("low-confidence-column",))


@case
def log_dp_header_kazakh_departments(folder: Path) -> Case:
    data = [
        (datetime(2025, 4, 7, 10, 0), "ДП ВКО", "KZ-63", "лекция", 50, 45),
        (datetime(2025, 4, 8, 15, 30), "ДП ЗКО", "KZ-27", "беседа", 24, 0),
        (datetime(2025, 4, 9), "ДП СКО", "KZ-59", "акция", 130, 30),
        (datetime(2025, 4, 10), "Қарағанды облысының ПД", "KZ-35", "кездесу", 38, 38),
        (datetime(2025, 4, 11), "Департамент полиции г. Астаны", "KZ-71", "форум", 420, 300),
        (datetime(2025, 4, 14), "ДП области Абай", "KZ-10", "тренинг", 26, 26),
        (datetime(2025, 4, 15), "ДП области Жетісу", "KZ-33", "семинар", 31, 5),
        (datetime(2025, 4, 16), "ДП области Ұлытау", "KZ-62", "лекция", 17, 17),
    ]
    body = Body()
    for moment, unit, code, form, p, s in data:
        body.load([moment, unit, form, p, s], event(code, moment.date(), p, s))
    body.skip(["Итого", None, None, sum(d[4] for d in data), sum(d[5] for d in data)])
    header = [["Дата", "ДП", "Форма мероприятия", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "log_dp.xlsx", [sheet_with("Апрель", None, header, body)])
    return loaded("log_dp_header_kazakh_departments", path, [body],
                  "event log, header «ДП», «ДП ВКО/ЗКО/СКО», «Қарағанды облысының ПД», «ДП области Ұлытау»",
                  "events")


# ============================================ summaries =======================================================


@case
def log_region_and_town_in_one_cell(folder: Path) -> Case:
    """«Карагандинская обл., г. Темиртау» in one «Регион, населённый пункт» cell: the region before the comma."""
    data = [(D(2025, 3, 4), "Карагандинская обл., г. Темиртау", "KZ-35", 45), (D(2025, 3, 6), "ВКО, г. Риддер",
            "KZ-63", 30), (D(2025, 3, 12), "Акмолинская область, Бурабайский район", "KZ-11", 60),
            (D(2025, 3, 19), "г. Астана", "KZ-71", 85)]
    body = Body()
    for i, (day, place, code, p) in enumerate(data, 1):
        body.load([i, day, place, "лекция", p], event(code, day, p, None))
    header = [["№", "Дата", "Регион, населённый пункт", "Форма", "Охват"]]
    path = write_xlsx(folder / "log_region_town_cell.xlsx", [sheet_with("Март", None, header, body, [])])
    return loaded("log_region_and_town_in_one_cell", path, [body], "event log, region and town in one cell",
                  "events")


def simple_summary(body: Body, data: list[tuple], start: date, end: date, *, numbered: bool = False) -> list[Rec]:
    """Rows `(region text, code, events, participants, students)` → one summary record each."""
    records = []
    for i, (region, code, n, p, s) in enumerate(data, 1):
        rec = summary(code, start, end, n, p, s)
        body.load(([i] if numbered else []) + [region, n, p, s], rec)
        records.append(rec)
    return records


@case
def sum_half_year_title(folder: Path) -> Case:
    data = [("область Абай", "KZ-10", 48, 2100, 900), ("Акмолинская область", "KZ-11", 63, 3400, 1200),
            ("Актюбинская область", "KZ-15", 55, 2800, 1000), ("Атырауская область", "KZ-23", 37, 1500, 640),
            ("город Алматы", "KZ-75", 120, 9800, 5100), ("Кызылординская область", "KZ-43", 41, 1900, 300)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 6, 30), numbered=True)
    body.skip(total_row("Всего по РК", records, lead=2, events=True))
    title = [["Сводные сведения"], ["о профилактических мероприятиях за 1 полугодие 2025 года"], []]
    header = [["№", "Наименование региона", "Количество мероприятий", "Охват (чел.)", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_half_year.xlsx", [sheet_with("Свод", title, header, body,
                                                                  [(1, 1, 1, 5), (2, 1, 2, 5)])])
    return loaded("sum_half_year_title", path, [body], "summary, period in a two-line title «за 1 полугодие 2025 года»",
                  "summary")


@case
def sum_nine_months_departments_xls(folder: Path) -> Case:
    data = [("ДП Карагандинской области", "KZ-35", 150, 8200, 3000), ("ДП Акмолинской области", "KZ-11", 90, 4100, 800),
            ("ДП г. Астана", "KZ-71", 175, 12000, 7000), ("ДП Жамбылской области", "KZ-31", 84, 3900, 1500),
            ("ДП ВКО", "KZ-63", 77, 3300, 1100)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 9, 30))
    body.skip(total_row("Итого", records, lead=1, events=True))
    title = [["Сведения о проведённых профилактических мероприятиях за 9 месяцев 2025 г."]]
    header = [["Наименование подразделения", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xls(folder / "sum_9m.xls", [sheet_with("9 мес", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_nine_months_departments_xls", path, [body],
                  "summary XLS, «за 9 месяцев 2025 г.», «Наименование подразделения» with «ДП …»", "summary")


@case
def sum_quarter_ii_dp_ods(folder: Path) -> Case:
    data = [("ДП Костанайской области", "KZ-39", 32, 1400, 500), ("ДП СКО", "KZ-59", 21, 800, 240),
            ("ДП г. Шымкент", "KZ-79", 58, 4300, 2000), ("ДП Туркестанской области", "KZ-61", 66, 5200, 1300)]
    body = Body()
    records = simple_summary(body, data, D(2025, 4, 1), D(2025, 6, 30))
    body.skip(total_row("Итого", records, lead=1, events=True))
    title = [["Свод по департаментам полиции за II квартал 2025 года"]]
    header = [["ДП", "Кол-во мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_ods(folder / "sum_q2.ods", [sheet_with("Свод", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_quarter_ii_dp_ods", path, [body], "summary ODS, «за II квартал 2025 года», header «ДП»",
                  "summary")


@case
def sum_kazakh_kantar_mausym(folder: Path) -> Case:
    data = [("Ақмола облысы", "KZ-11", 40, 1800, 600), ("Ақтөбе облысы", "KZ-15", 52, 2500, 900),
            ("Атырау облысы", "KZ-23", 29, 1200, 400), ("Батыс Қазақстан облысы", "KZ-27", 35, 1600, 520),
            ("Қызылорда облысы", "KZ-43", 31, 1400, 200), ("Шымкент қаласы", "KZ-79", 70, 5600, 3100)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 6, 30), numbered=True)
    body.skip(total_row("Барлығы", records, lead=2, events=True))
    title = [["2025 жылдың қаңтар-маусым айлары аралығында өткізілген профилактикалық іс-шаралар туралы мәлімет"]]
    header = [["Р/с", "Облыстың атауы", "Іс-шаралар саны", "Қамтылғаны", "оның ішінде студенттер"]]
    path = write_xlsx(folder / "sum_kk.xlsx", [sheet_with("Мәлімет", title, header, body, [(1, 1, 1, 5)])])
    return loaded("sum_kazakh_kantar_mausym", path, [body],
                  "summary in Kazakh, «2025 жылдың қаңтар-маусым айлары», «Іс-шаралар саны», «Барлығы»", "summary")


@case
def sum_period_in_sheet_names(folder: Path) -> Case:
    sheets, bodies = [], []
    for name, month, data in [
        ("Январь 2025", 1, [("Карагандинская область", "KZ-35", 12, 600, 200), ("Павлодарская область", "KZ-55", 8, 350,
                                                                                90),
                            ("Костанайская область", "KZ-39", 6, 240, 60)]),
        ("Февраль 2025", 2, [("Карагандинская область", "KZ-35", 15, 720, 260), ("Павлодарская область", "KZ-55", 9,
                                                                                 410, 100),
                             ("Костанайская область", "KZ-39", 5, 180, 40)]),
    ]:
        body = Body()
        records = simple_summary(body, data, D(2025, month, 1), month_end(2025, month))
        body.skip(total_row("Итого", records, lead=1, events=True))
        header = [["Регион", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
        sheets.append(sheet_with(name, None, header, body))
        bodies.append(body)
    path = write_xlsx(folder / "sum_sheet_months.xlsx", sheets)
    return loaded("sum_period_in_sheet_names", path, bodies,
                  "summary, two sheets «Январь 2025», «Февраль 2025»: the period only in the sheet name", "summary")


def month_groups_sheet(name: str, title: str, year: int, months: list[int], labels: list[str],
                       regions: list[tuple[str, str]], *, total_label: str | None, extra_group: str | None = None,
                       region_header: str = "Наименование региона",
                       sub: tuple[str, str, str] = ("мероприятий", "охват", "студентов"),
                       period_of=None, total_text: str = "Итого") -> tuple[Sheet, Body]:
    """A summary with one column group per period (three columns each) and maybe a «Всего»/extra group.

    `period_of(k)` gives (start, end) of group k; by default the months of `year`."""
    period_of = period_of or (lambda k: (D(year, months[k], 1), month_end(year, months[k])))
    groups = len(labels)
    extra = [g for g in (total_label, extra_group) if g]
    width = 1 + 3 * (groups + len(extra))
    sheet = Sheet(name)
    sheet.add([title])
    sheet.merge(1, 1, 1, width)
    sheet.add([])
    top = sheet.add([region_header] + [cell for label in labels + extra for cell in (label, None, None)])
    sheet.add([None] + list(sub) * (groups + len(extra)))
    sheet.merge(top, 1, top + 1, 1)
    for k in range(groups + len(extra)):
        sheet.merge(top, 2 + 3 * k, top, 4 + 3 * k)
    body = Body()
    all_records = []
    for r, (region, code) in enumerate(regions):
        row: list = [region]
        records = []
        for k in range(groups):
            n = 2 + (3 * r + 2 * k) % 7
            p = n * (18 + 4 * r + k)
            s = p // (2 + (r + k) % 3)
            start, end = period_of(k)
            records.append(summary(code, start, end, n, p, s))
            row += [n, p, s]
        if total_label:
            row += [sum(x.events for x in records), sum(x.participants for x in records),
                    sum(x.students for x in records)]
        if extra_group:
            row += [1 + r, 10 * (r + 3), 5 * (r + 1)]  # «Справочно»: not a period of this report
        body.load(row, *records)
        all_records += records
    total: list = [total_text]
    for k in range(groups):
        part = all_records[k::groups]
        total += [sum(x.events for x in part), sum(x.participants for x in part), sum(x.students for x in part)]
    if total_label:
        total += [sum(x.events for x in all_records), sum(x.participants for x in all_records),
                  sum(x.students for x in all_records)]
    body.skip(total)
    sheet.add(*body.rows)
    return sheet, body


@case
def sum_twelve_month_groups(folder: Path) -> Case:
    regions = [("Карагандинская область", "KZ-35"), ("Павлодарская область", "KZ-55"), ("город Шымкент", "KZ-79"),
               ("область Жетісу", "KZ-33")]
    sheet, body = month_groups_sheet("2025", "Свод о профилактических мероприятиях за 2025 год", 2025,
                                     list(range(1, 13)), MONTHS_RU, regions, total_label="Всего за год")
    path = write_xlsx(folder / "sum_12_months.xlsx", [sheet])
    return loaded("sum_twelve_month_groups", path, [body],
                  "summary, 12 month column groups (мероприятий/охват/студентов) plus «Всего за год»", "summary")


@case
def sum_quarter_month_groups_xls(folder: Path) -> Case:
    regions = [("Атырауская", "KZ-23"), ("Мангистауская", "KZ-47"), ("ЗКО", "KZ-27"), ("Актюбинская", "KZ-15"),
               ("Кызылординская", "KZ-43")]
    sheet, body = month_groups_sheet("II кв", "Свод за II квартал 2025 года", 2025, [4, 5, 6],
                                     ["Апрель", "Май", "Июнь"], regions, total_label="Итого за квартал",
                                     region_header="Регион", sub=("Кол-во мероприятий", "Охват", "в т.ч. студентов"))
    path = write_xls(folder / "sum_q2_months.xls", [sheet])
    return loaded("sum_quarter_month_groups_xls", path, [body],
                  "summary XLS, 3 month groups of a quarter plus «Итого за квартал», year in the title", "summary")


@case
def sum_quarter_groups_year_total_ods(folder: Path) -> Case:
    quarters = [(D(2025, 1, 1), D(2025, 3, 31)), (D(2025, 4, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 9, 30)),
                (D(2025, 10, 1), D(2025, 12, 31))]
    regions = [("Жамбылская область", "KZ-31"), ("Туркестанская область", "KZ-61"), ("город Астана", "KZ-71")]
    sheet, body = month_groups_sheet("Лист1", "Сведения о профилактических мероприятиях за 2025 год", 2025, [],
                                     ["I квартал", "II квартал", "III квартал", "IV квартал"], regions,
                                     total_label="Всего за год", region_header="Область",
                                     period_of=lambda k: quarters[k])
    path = write_ods(folder / "sum_quarters.ods", [sheet])
    return loaded("sum_quarter_groups_year_total_ods", path, [body],
                  "summary ODS, quarter column groups «I квартал»…«IV квартал» plus «Всего за год»", "summary")


@case
def sum_two_year_groups(folder: Path) -> Case:
    years = [(D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))]
    regions = [("Карагандинская область", "KZ-35"), ("Костанайская область", "KZ-39"), ("ВКО", "KZ-63"),
               ("город Алматы", "KZ-75")]
    sheet, body = month_groups_sheet("Сравнение", "Сравнительные сведения о профилактических мероприятиях", 0, [],
                                     ["2024 г.", "2025 г."], regions, total_label=None, region_header="Регион",
                                     sub=("Кол-во мероприятий", "Охват", "в т.ч. студентов"),
                                     period_of=lambda k: years[k], total_text="Всего")
    path = write_xlsx(folder / "sum_years.xlsx", [sheet])
    return loaded("sum_two_year_groups", path, [body], "summary, column groups «2024 г.» and «2025 г.», no period in "
                  "the title", "summary")


@case
def sum_measures_over_years_with_change(folder: Path) -> Case:
    """The «АППГ» comparison: measures as the upper heading, years under them, a «+/-» column beside; the years'
    figures are records of their own year, the differences are not (a warning names the «+/-» group). Not a
    population table, though its years run across."""
    years = {"2024": (D(2024, 1, 1), D(2024, 12, 31)), "2025": (D(2025, 1, 1), D(2025, 12, 31))}
    data = [("Павлодарская область", "KZ-55", (120, 131), (6100, 5900)), ("ВКО", "KZ-63", (125, 140), (6300, 6650)),
            ("область Абай", "KZ-10", (130, 149), (6500, 7400))]
    body = Body()
    for region, code, (e24, e25), (p24, p25) in data:
        body.load([region, e24, e25, e25 - e24, p24, p25, p25 - p24],
                  summary(code, *years["2024"], e24, p24, None), summary(code, *years["2025"], e25, p25, None))
    title = [["Сравнительные сведения о профилактических мероприятиях за 12 месяцев 2025 года в сравнении с АППГ"],
             []]
    header = [["Регион", "Количество мероприятий", None, None, "Охват", None, None],
              [None, "2024", "2025", "+/-", "2024", "2025", "+/-"]]
    merges = [(3, 1, 4, 1), (3, 2, 3, 4), (3, 5, 3, 7)]
    path = write_xlsx(folder / "sum_appg.xlsx", [sheet_with("АППГ", title, header, body, merges)])
    return loaded("sum_measures_over_years_with_change", path, [body], "summary, «Количество мероприятий» and "
                  "«Охват» over «2024 | 2025 | +/-»", "summary", warning_codes=("unplaced-column-group",))


@case
def sum_years_across_measure_in_title(folder: Path) -> Case:
    """«Регион | 2021 | … | 2025» with the measure only in the title: a group per year, events from the title."""
    years = [2021, 2022, 2023, 2024, 2025]
    data = [("Карагандинская область", "KZ-35", [310, 334, 352, 371, 402]),
            ("Костанайская область", "KZ-39", [205, 211, 230, 228, 260]),
            ("г. Шымкент", "KZ-79", [150, 172, 190, 214, 233])]
    body = Body()
    for region, code, counts in data:
        body.load([region, *counts], *[Rec(code, D(y, 1, 1), D(y, 12, 31), n, None, None)
                                       for y, n in zip(years, counts)])
    title = [["Количество проведённых профилактических мероприятий по годам"], []]
    header = [["Регион", *map(str, years)]]
    path = write_xlsx(folder / "sum_years_across.xlsx", [sheet_with("По годам", title, header, body, [])])
    return loaded("sum_years_across_measure_in_title", path, [body],
                  "summary, years across as headings, the measure named only in the title", "summary")


@case
def sum_two_quarters_stacked_on_one_sheet(folder: Path) -> Case:
    """The first quarter's table, two blank rows, then the second quarter's title and the same header again:
    each table's rows belong to its own title's quarter (they were all filed under the first)."""
    sheet = Sheet("Кварталы")
    header = ["№", "Регион", "Количество мероприятий", "Охват"]
    bodies = []
    quarters = [("1 квартал", D(2025, 1, 1), D(2025, 3, 31), [12, 9, 14], [610, 455, 702]),
                ("2 квартал", D(2025, 4, 1), D(2025, 6, 30), [20, 16, 11], [1030, 870, 590])]
    regions = [("Акмолинская область", "KZ-11"), ("Актюбинская область", "KZ-15"), ("Атырауская область", "KZ-23")]
    for n, (label, start, end, events, people) in enumerate(quarters):
        if n:
            sheet.add([], [])
        sheet.add([f"Сведения о проведённых профилактических мероприятиях за {label} 2025 года"], header)
        body = Body()
        for i, ((region, code), e, p) in enumerate(zip(regions, events, people), 1):
            body.load([i, region, e, p], summary(code, start, end, e, p, None))
        body.skip([None, "Итого", sum(events), sum(people)])
        sheet.add(*body.rows)
        bodies.append(body)
    path = write_xlsx(folder / "sum_stacked.xlsx", [sheet])
    return loaded("sum_two_quarters_stacked_on_one_sheet", path, bodies,
                  "summary, two quarters' tables stacked on one sheet, each with its title", "summary")


@case
def log_header_repeated_on_each_page_csv(folder: Path) -> Case:
    """A long log printed with its header repeated on every page: the repeats are no rows of data."""
    header = ["Дата", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"]
    rows, bodies = [["Журнал профилактических мероприятий, март 2025 года"], header], []
    days = [(3, "Карагандинская область", "KZ-35", 40, 30), (5, "ВКО", "KZ-63", 25, 0),
            (11, "г. Астана", "KZ-71", 80, 60), (14, "Карагандинская область", "KZ-35", 33, 20),
            (20, "ВКО", "KZ-63", 51, 12)]
    for page in (days[:3], days[3:]):
        if bodies:
            rows.append(header)
        body = Body()
        for day, region, code, p, st in page:
            body.load([f"{day:02d}.03.2025", region, "лекция", p, st], event(code, D(2025, 3, day), p, st))
        rows += body.rows
        bodies.append(body)
    path = write_csv(folder / "log_pages.csv", rows, encoding="utf-8-sig", delimiter=";")
    return loaded("log_header_repeated_on_each_page_csv", path, bodies, "event log CSV, the header repeated on the "
                  "second page", "events")


@case
def sum_year_column_rows_per_year(folder: Path) -> Case:
    """A «Год» column: each region once per year, the region merged over its two rows."""
    data = [("Карагандинская область", "KZ-35", [(2024, 140, 6200), (2025, 151, 6900)]),
            ("Жамбылская область", "KZ-31", [(2024, 88, 3900), (2025, 97, 4100)]),
            ("г. Астана", "KZ-71", [(2024, 50, 2700), (2025, 56, 3050)])]
    body, merges, row_no = Body(), [], 3
    for region, code, years in data:
        merges.append((row_no, 1, row_no + 1, 1))
        for k, (year, n, p) in enumerate(years):
            body.load([region if k == 0 else None, year, n, p], summary(code, D(year, 1, 1), D(year, 12, 31), n, p,
                                                                       None))
            row_no += 1
    title = [["Сравнение показателей профилактической работы"]]
    header = [["Регион", "Год", "Кол-во мероприятий", "Охват"]]
    path = write_xlsx(folder / "sum_year_rows.xlsx", [sheet_with("Сравнение", title, header, body, merges)])
    return loaded("sum_year_column_rows_per_year", path, [body], "summary, a «Год» column (2024/2025) and the region "
                  "merged over its years", "summary")


@case
def sum_month_column_numeric_and_none_words(folder: Path) -> Case:
    """A «Месяц» column written «01.2025», and «нет» for no events held (zero, not an error)."""
    data = [("Акмолинская область", "KZ-11", 1, 6, 310), ("Акмолинская область", "KZ-11", 2, "нет", "нет"),
            ("СКО", "KZ-59", 1, 9, 420), ("СКО", "KZ-59", 3, 4, 150)]
    body = Body()
    for region, code, month, n, p in data:
        events, people = (0, 0) if n == "нет" else (n, p)
        body.load([region, f"{month:02d}.2025", n, p],
                  summary(code, D(2025, month, 1), month_end(2025, month), events, people, None))
    header = [["Регион", "Месяц", "Количество мероприятий", "Охват"]]
    path = write_xlsx(folder / "sum_month_codes.xlsx", [sheet_with("1 кв", None, header, body, [])])
    return loaded("sum_month_column_numeric_and_none_words", path, [body],
                  "summary, «Месяц» as «01.2025», «нет» for zero", "summary")


@case
def log_dates_without_year_and_day_numbers(folder: Path) -> Case:
    """Dates written «5 июня» and «26.06» take the title's year (with a warning); others are Excel day numbers."""
    data = [("5 июня", D(2025, 6, 5)), ("26.06", D(2025, 6, 26)), (45820, D(2025, 6, 12)), (45814, D(2025, 6, 6))]
    body = Body()
    for i, (cell, day) in enumerate(data):
        p = 30 + 7 * i
        body.load([cell, "Костанайская область", "беседа", p], event("KZ-39", day, p, None))
    title = [["Профилактические мероприятия ДП Костанайской области, июнь 2025 года"]]
    header = [["Дата проведения", "Регион", "Форма", "Охват"]]
    path = write_xlsx(folder / "log_yearless.xlsx", [sheet_with("Июнь", title, header, body, [])])
    return loaded("log_dates_without_year_and_day_numbers", path, [body], "event log, dates «5 июня», «26.06» and "
                  "Excel day numbers stored as numbers", "events", warning_codes=("year-from-title",))


@case
def sum_kazakh_sections_total_last(folder: Path) -> Case:
    """Kazakh only: «Атауы» over region rows across the table, towns written «Теміртау қ.», and the region's total
    «Облыс бойынша барлығы» (the total word last, as Kazakh puts it) — skipped, never added again."""
    sections = [("Қарағанды облысы", "KZ-35", [("Теміртау қ.", 8, 410), ("Балқаш қ.", 5, 230),
                                               ("Абай ауданы", 3, 120)]),
                ("Павлодар облысы", "KZ-55", [("Екібастұз қ.", 7, 350), ("Ақсу қ.", 4, 160)])]
    body = Body()
    for region, code, places in sections:
        body.skip([region])
        for place, n, p in places:
            body.load([place, n, p], summary(code, D(2025, 6, 1), D(2025, 6, 30), n, p, None))
        body.skip(["Облыс бойынша барлығы", sum(n for _, n, _ in places), sum(p for _, _, p in places)])
    title = [["2025 жылғы маусым айында өткізілген профилактикалық іс-шаралар"], []]
    header = [["Атауы", "Іс-шаралар саны", "Қамтылғаны"]]
    path = write_xlsx(folder / "sum_kk_sections.xlsx", [sheet_with("Маусым", title, header, body, [])])
    return loaded("sum_kazakh_sections_total_last", path, [body], "summary in Kazakh, region rows across, «қ.» towns, "
                  "«Облыс бойынша барлығы»", "summary")


@case
def sum_events_total_beside_its_breakdown(folder: Path) -> Case:
    """«Проведено мероприятий» over «всего | в том числе: лекций | бесед»: the events are the «всего» column, never
    a part of the breakdown (it was the last part, «бесед»)."""
    data = [("Алматинская область", "KZ-19", (30, 12, 18), (2100, 1300)), ("Жамбылская область", "KZ-31",
            (14, 6, 8), (1340, 700)), ("Кызылординская область", "KZ-43", (21, 13, 8), (880, 500))]
    body = Body()
    for region, code, (total, lectures, talks), (people, students) in data:
        body.load([region, total, lectures, talks, people, students],
                  summary(code, D(2025, 1, 1), D(2025, 3, 31), total, people, students))
    title = [["Сведения о профилактических мероприятиях за 1 квартал 2025 года"]]
    header = [["Наименование региона", "Проведено мероприятий", None, None, "Охвачено (чел.)", None],
              [None, "всего", "в том числе", None, "всего", "из них"],
              [None, None, "лекций", "бесед", None, "студентов"]]
    merges = [(2, 1, 4, 1), (2, 2, 2, 4), (3, 2, 4, 2), (3, 3, 3, 4), (2, 5, 2, 6), (3, 5, 4, 5)]
    path = write_xlsx(folder / "sum_breakdown.xlsx", [sheet_with("1 кв", title, header, body, merges)])
    return loaded("sum_events_total_beside_its_breakdown", path, [body], "summary, three-row merged header: events "
                  "«всего» beside «в том числе: лекций, бесед»", "summary")


@case
def sum_english_month_groups_range_title(folder: Path) -> Case:
    """English month headings over the counts, the title's period written as a span of two dates."""
    sheet, body = month_groups_sheet("Q1", "Prevention events, period 01.01.2025–31.03.2025", 2025, [1, 2, 3],
                                     ["January 2025", "February 2025", "March 2025"],
                                     [("Kostanay Region", "KZ-39"), ("Aktobe Region", "KZ-15")], total_label=None,
                                     region_header="Region", sub=("events", "reached", "of which students"))
    path = write_xlsx(folder / "sum_english_months.xlsx", [sheet])
    return loaded("sum_english_month_groups_range_title", path, [body], "summary in English, month groups «January "
                  "2025»…, title «period 01.01.2025–31.03.2025»", "summary")


@case
def sum_two_student_columns_flagged(folder: Path) -> Case:
    """«из них: студентов колледжей | студентов вузов»: one column is students, the other is left out — and the
    report says so («column-not-read»), rather than dropping it without a word."""
    data = [("Карагандинская область", "KZ-35", 12, 900, (300, 420)), ("ВКО", "KZ-63", 9, 610, (250, 180))]
    body = Body()
    for region, code, n, p, (colleges, universities) in data:
        body.load([region, n, p, colleges, universities], summary(code, D(2025, 9, 1), D(2025, 9, 30), n, p,
                                                                 universities))
    title = [["Сведения о профилактических мероприятиях за сентябрь 2025 года"]]
    header = [["Регион", "Мероприятий", "Охват", "из них:", None], [None, None, None, "студентов колледжей",
                                                                    "студентов вузов"]]
    merges = [(2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5)]
    path = write_xlsx(folder / "sum_two_students.xlsx", [sheet_with("Сентябрь", title, header, body, merges)])
    return loaded("sum_two_student_columns_flagged", path, [body], "summary, two student columns under «из них:»",
                  "summary", warning_codes=("column-not-read",))


@case
def sum_one_region_from_two_units_flagged(folder: Path) -> Case:
    """«ДП г. Шымкент» and «УП г. Шымкент» on two rows of one month: summed (the file cannot say one includes the
    other), and flagged «region-twice» so the analyst checks for a double count."""
    data = [("ДП г. Шымкент", "KZ-79", 20, 1500), ("УП г. Шымкент", "KZ-79", 12, 720), ("ДП Туркестанской области",
            "KZ-61", 17, 980)]
    body = Body()
    for unit, code, n, p in data:
        body.load([unit, n, p], summary(code, D(2025, 8, 1), D(2025, 8, 31), n, p, None))
    title = [["Сведения о профилактических мероприятиях за август 2025 года"]]
    header = [["Наименование подразделения", "Мероприятий", "Охват"]]
    path = write_xlsx(folder / "sum_two_units.xlsx", [sheet_with("Август", title, header, body, [])])
    return loaded("sum_one_region_from_two_units_flagged", path, [body], "summary, one city from two police units",
                  "summary", warning_codes=("region-twice",))


@case
def sum_district_headings_with_subtotals(folder: Path) -> Case:
    """An akimat's report: the region only in the title, district names as headings without figures, their rural
    districts under them, «Всего по району» after each and «Всего по области» at the end. The headings are skipped,
    not rejected as rows missing their figures."""
    districts = [("Сайрамский район", [("Аксукентский с/о", 6, 310), ("Карабулакский с/о", 4, 205)]),
                 ("Толебийский район", [("г. Ленгер", 9, 540), ("Тасарыкский с/о", 3, 140)])]
    body = Body()
    for district, places in districts:
        body.skip([district])
        for place, n, p in places:
            body.load([place, n, p], summary("KZ-61", D(2025, 1, 1), D(2025, 6, 30), n, p, None))
        body.skip(["Всего по району", sum(n for _, n, _ in places), sum(p for _, _, p in places)])
    body.skip(["Всего по области", sum(n for _, ps in districts for _, n, _ in ps),
               sum(p for _, ps in districts for _, _, p in ps)])
    title = [["Акимат Туркестанской области"], ["Информация о профилактических мероприятиях за 1 полугодие 2025 года"],
             []]
    header = [["Наименование", "Количество мероприятий", "Охват (чел.)"]]
    path = write_xlsx(folder / "sum_district_headings.xlsx", [sheet_with("1 полугодие", title, header, body, [])])
    return loaded("sum_district_headings_with_subtotals", path, [body], "akimat summary, district headings without "
                  "figures, «Всего по району», region in the title", "summary")


def sections_body(sections, start: date, end: date, width: int, first_row: int) -> tuple[Body, list]:
    """Section rows (a region across the table), district rows, «Итого по области» after each section."""
    body = Body()
    merges = []
    row_no = first_row
    for region, code, districts in sections:
        body.skip([region])
        merges.append((row_no, 1, row_no, width))
        row_no += 1
        records = []
        for district, n, p, s in districts:
            rec = summary(code, start, end, n, p, s)
            body.load([district, n, p, s], rec)
            records.append(rec)
            row_no += 1
        body.skip(total_row("Итого по области", records, lead=1, events=True))
        row_no += 1
    return body, merges


@case
def sum_sections_three_regions(folder: Path) -> Case:
    sections = [
        ("Карагандинская область", "KZ-35", [("г. Караганда", 40, 2100, 900), ("г. Темиртау", 15, 700, 250),
                                             ("Абайский район", 6, 240, 0)]),
        ("Туркестанская область", "KZ-61", [("г. Туркестан", 22, 1300, 400), ("Сарыагашский район", 11, 520, 60)]),
        ("Восточно-Казахстанская область", "KZ-63", [("г. Усть-Каменогорск", 30, 1500, 800), ("г. Риддер", 9, 310,
                                                                                              70)]),
    ]
    body, merges = sections_body(sections, D(2025, 1, 1), D(2025, 6, 30), 4, first_row=4)
    every = [d for _, _, ds in sections for d in ds]
    body.skip(["Всего по РК", sum(d[1] for d in every), sum(d[2] for d in every), sum(d[3] for d in every)])
    title = [["Сведения о профилактических мероприятиях за 1 полугодие 2025 года"], []]
    header = [["Наименование региона / района", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_sections.xlsx",
                      [sheet_with("Свод", title, header, body, merges + [(1, 1, 1, 4)])])
    return loaded("sum_sections_three_regions", path, [body],
                  "summary with section rows for 3 regions, districts under each, «Итого по области», «Всего по РК»",
                  "summary")


@case
def sum_sections_xls(folder: Path) -> Case:
    sections = [
        ("Павлодарская область", "KZ-55", [("г. Павлодар", 35, 1800, 700), ("г. Экибастуз", 14, 600, 150),
                                           ("Баянаульский район", 5, 150, 0)]),
        ("Жамбылская область", "KZ-31", [("г. Тараз", 28, 1400, 650), ("Кордайский район", 8, 330, 20)]),
    ]
    body, merges = sections_body(sections, D(2024, 1, 1), D(2024, 12, 31), 4, first_row=3)
    title = [["Сведения о профилактических мероприятиях за 2024 год"]]
    header = [["Наименование", "Кол-во мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xls(folder / "sum_sections.xls", [sheet_with("2024", title, header, body, merges + [(1, 1, 1, 4)])])
    return loaded("sum_sections_xls", path, [body],
                  "summary XLS, 2 region sections with districts and «Итого по области», «за 2024 год»", "summary")


@case
def sum_notes_and_signatures(folder: Path) -> Case:
    data = [("Акмолинская область", "KZ-11", 25, 1100, 300), ("Жамбылская область*", "KZ-31", 19, 870, 210),
            ("Мангистауская область", "KZ-47", 14, 640, 180), ("Павлодарская область", "KZ-55", 22, 990, 400),
            ("город Шымкент", "KZ-79", 31, 2300, 1200)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 3, 31))
    body.skip(total_row("Всего по РК", records, lead=1, events=True))
    body.skip()
    body.skip(["Примечание: в охват включены участники онлайн-мероприятий."])
    body.skip(["* — данные уточняются"])
    body.skip(["Исполнитель: Ахметова Г.С., тел. 8 (7172) 71-00-00"])
    body.skip(["Начальник управления", None, "______ подпись", "Б. Сериков"])
    title = [["Сведения о профилактических мероприятиях за 1 квартал 2025 года"]]
    header = [["Наименование региона", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_notes.xlsx", [sheet_with("Свод", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_notes_and_signatures", path, [body],
                  "summary, «Жамбылская область*», notes, footnote, «Исполнитель: … тел.», signature", "summary")


@case
def sum_v_tom_chisle(folder: Path) -> Case:
    data = [("Северо-Казахстанская область", "KZ-59", 11, 430, 120), ("Костанайская область", "KZ-39", 17, 760, 300),
            ("Актюбинская область", "KZ-15", 13, 540, 210), ("город Астана", "KZ-71", 29, 2600, 1500)]
    body = Body()
    body.skip(["Всего по РК", sum(d[2] for d in data), sum(d[3] for d in data), sum(d[4] for d in data)])
    body.skip(["в том числе:"])
    simple_summary(body, data, D(2025, 3, 1), D(2025, 3, 31))
    title = [["Сведения о профилактических мероприятиях за март 2025 года"]]
    header = [["Наименование региона", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_vtch.xlsx", [sheet_with("Март", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_v_tom_chisle", path, [body], "summary with «Всего по РК» first, then «в том числе:», «за март»",
                  "summary")


@case
def sum_numbering_row_ods(folder: Path) -> Case:
    data = [("Атырауская область", "KZ-23", 44, 2000, 700), ("Западно-Казахстанская область", "KZ-27", 39, 1700, 650),
            ("Кызылординская область", "KZ-43", 47, 2300, 500), ("область Ұлытау", "KZ-62", 12, 400, 90)]
    body = Body()
    records = []
    for i, (region, code, n, p, s) in enumerate(data, 1):
        rec = summary(code, D(2025, 1, 1), D(2025, 12, 31), n, p, s)
        body.load([i, region, n, p, s], rec)
        records.append(rec)
    body.skip(total_row("Итого", records, lead=2, events=True))
    title = [["Сведения о профилактических мероприятиях за 2025 год"]]
    header = [["№", "Регион", "Количество мероприятий", "Охват", None],
              [None, None, None, "всего", "в т.ч. студентов"],
              [1, 2, 3, 4, 5]]
    merges = [(1, 1, 1, 5), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5)]
    path = write_ods(folder / "sum_numbered.ods", [sheet_with("2025", title, header, body, merges)])
    return loaded("sum_numbering_row_ods", path, [body],
                  "summary ODS, 2-row merged header and a numbering row «1 2 3 4 5»", "summary")


@case
def sum_rejections_csv_cp1251(folder: Path) -> Case:
    q1 = (D(2025, 1, 1), D(2025, 3, 31))
    body = Body()
    body.load(["ДП Карагандинской области", 12, 600, 200], summary("KZ-35", *q1, 12, 600, 200))
    body.reject(["ДП на транспорте", 5, 150, 30])
    body.load(["ДП Павлодарской области", 8, 320, 100], summary("KZ-55", *q1, 8, 320, 100))
    body.reject(["Комитет по противодействию наркопреступности МВД", 3, 90, 0])
    body.reject(["ДП Костанайской области", 7, "около ста", 20])
    body.reject(["ДП Акмолинской области", 6, 100, 150])  # students > participants
    body.load(["ДП СКО", 4, 120, 40], summary("KZ-59", *q1, 4, 120, 40))
    body.skip(["Итого", 45, 1380, 540])
    rows = [["Свод за 1 квартал 2025 года"], ["Наименование подразделения", "Количество мероприятий", "Охват",
                                              "в т.ч. студентов"]] + body.rows
    path = write_csv(folder / "sum_rejections.csv", rows, encoding="cp1251", delimiter=";")
    return loaded("sum_rejections_csv_cp1251", path, [body],
                  "summary CSV (cp1251, «;») with a title line; transport police, MVD committee, «около ста», "
                  "part > total rejected", "summary")


@case
def sum_abbreviated_headers_xls(folder: Path) -> Case:
    data = [("Карагандинская", "KZ-35", 21, 980, 400), ("Акмолинская", "KZ-11", 12, 510, 150),
            ("Туркестанская", "KZ-61", 27, 1600, 350), ("Жамбылская", "KZ-31", 15, 700, 260)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 3, 31))
    body.skip(total_row("Итого", records, lead=1, events=True))
    header = [["Регион", "Кол-во мер-й", "Охв. (чел.)", "студ."]]
    path = write_xls(folder / "sum_abbrev.xls", [sheet_with("I квартал 2025", None, header, body)])
    return loaded("sum_abbreviated_headers_xls", path, [body],
                  "summary XLS, «Кол-во мер-й», «Охв. (чел.)», «студ.», period in the sheet name «I квартал 2025»",
                  "summary")


@case
def sum_derived_svod_sheet(folder: Path) -> Case:
    """Three month sheets and a «Свод» of formulas over them (cached values present, as Excel saves them)."""
    import xlsxwriter

    regions = [("Карагандинская область", "KZ-35"), ("Костанайская область", "KZ-39"), ("Павлодарская область",
                                                                                        "KZ-55")]
    months = [("Январь 2025", 1), ("Февраль 2025", 2), ("Март 2025", 3)]
    figures = {  # (month, region index) -> (events, participants, students)
        (1, 0): (10, 500, 150), (1, 1): (6, 260, 80), (1, 2): (7, 300, 120),
        (2, 0): (12, 610, 200), (2, 1): (4, 150, 30), (2, 2): (9, 380, 140),
        (3, 0): (14, 700, 260), (3, 1): (8, 340, 100), (3, 2): (5, 210, 70),
    }
    path = folder / "sum_svod.xlsx"
    book = xlsxwriter.Workbook(str(path))
    bodies = []
    header = ["Регион", "Количество мероприятий", "Охват", "в т.ч. студентов"]
    for name, m in months:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header)
        body = Body()
        for r, (region, code) in enumerate(regions):
            n, p, s = figures[m, r]
            ws.write_row(r + 1, 0, [region, n, p, s])
            body.load([region, n, p, s], summary(code, D(2025, m, 1), month_end(2025, m), n, p, s))
        last = len(regions) + 1
        ws.write(last, 0, "Итого")
        for c, letter in enumerate("BCD", 1):
            ws.write_formula(last, c, f"=SUM({letter}2:{letter}{last})", None,
                             sum(figures[m, r][c - 1] for r in range(len(regions))))
        body.skip(["Итого"] + [sum(figures[m, r][k] for r in range(len(regions))) for k in range(3)])
        bodies.append(body)
    ws = book.add_worksheet("Свод")
    ws.write(0, 0, "Свод за 1 квартал 2025 года")
    ws.write_row(1, 0, header)
    for r, (region, _) in enumerate(regions):
        ws.write(r + 2, 0, region)
        for c, letter in enumerate("BCD", 1):
            formula = "=" + "+".join(f"'{name}'!{letter}{r + 2}" for name, _ in months)
            ws.write_formula(r + 2, c, formula, None, sum(figures[m, r][c - 1] for _, m in months))
    ws.write(len(regions) + 2, 0, "Итого")
    for c, letter in enumerate("BCD", 1):
        ws.write_formula(len(regions) + 2, c, f"=SUM({letter}3:{letter}{len(regions) + 2})", None,
                         sum(v[c - 1] for v in figures.values()))
    book.close()
    return loaded("sum_derived_svod_sheet", path, bodies,
                  "summary xlsx (xlsxwriter): month sheets plus a «Свод» sheet of formulas over them (not counted)",
                  "summary")


@case
def sum_csv_title_bom_comma(folder: Path) -> Case:
    data = [("Карагандинская", "KZ-35", 160, 9000, 3500), ("Акмолинской", "KZ-11", 95, 4400, 1200),
            ("Костанайская обл.", "KZ-39", 88, 4000, 1300), ("СКО", "KZ-59", 54, 2100, 700)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 12, 31))
    body.skip(total_row("Итого", records, lead=1, events=True))
    rows = [["Сведения о профилактических мероприятиях за 2025 год"], [],
            ["Область", "Количество мероприятий", "Охват", "в т.ч. студентов"]] + body.rows
    path = write_csv(folder / "sum_title.csv", rows, encoding="utf-8-sig", delimiter=",")
    return loaded("sum_csv_title_bom_comma", path, [body],
                  "summary CSV (UTF-8 BOM, «,»), title line «за 2025 год», «Карагандинская», «Акмолинской»", "summary")


@case
def sum_period_column(folder: Path) -> Case:
    body = Body()
    for region, code, text, start, end, n, p, s in [
        ("Мангистауская область", "KZ-47", "январь 2025", D(2025, 1, 1), D(2025, 1, 31), 5, 210, 60),
        ("Мангистауская область", "KZ-47", "февраль 2025", D(2025, 2, 1), D(2025, 2, 28), 7, 260, 90),
        ("Атырауская область", "KZ-23", "1 квартал 2025", D(2025, 1, 1), D(2025, 3, 31), 18, 800, 300),
        ("Актюбинская область", "KZ-15", "2025 год", D(2025, 1, 1), D(2025, 12, 31), 64, 3000, 1100),
    ]:
        body.load([region, text, n, p, s], summary(code, start, end, n, p, s))
    body.skip(["Итого по республике", None, 94, 4270, 1550])
    header = [["Регион", "Период", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_period_col.xlsx", [sheet_with("Лист1", None, header, body)])
    return loaded("sum_period_column", path, [body],
                  "summary with a «Период» column: «январь 2025», «1 квартал 2025», «2025 год»", "summary")


@case
def sum_kazakh_onir_sheet_year_pandas_ods(folder: Path) -> Case:
    data = [("Павлодар облысы", "KZ-55", 61, 2900, 1000), ("Солтүстік Қазақстан облысы", "KZ-59", 33, 1300, 450),
            ("Шығыс Қазақстан облысы", "KZ-63", 58, 2700, 950), ("Абай облысы", "KZ-10", 40, 1800, 600)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 12, 31))
    body.skip(total_row("Жиыны", records, lead=1, events=True))
    sheet = Sheet("2025 жыл", [["Өңір", "Іс-шаралар саны", "Қамтылғаны", "оның ішінде студенттер"]] + body.rows)
    path = write_ods_pandas(folder / "sum_onir.ods", sheet)
    return loaded("sum_kazakh_onir_sheet_year_pandas_ods", path, [body],
                  "summary ODS by pandas in Kazakh, «Өңір», period only in the sheet name «2025 жыл», «Жиыны»",
                  "summary")


@case
def sum_region_merged_over_months(folder: Path) -> Case:
    body = Body()
    merges = []
    row_no = 2
    months = [("январь 2025", 1), ("февраль 2025", 2), ("март 2025", 3)]
    for region, code, figures in [("Карагандинская область", "KZ-35", [(9, 450, 150), (11, 520, 170), (13, 600, 210)]),
                                  ("Костанайская область", "KZ-39", [(4, 160, 40), (6, 230, 70), (5, 190, 55)])]:
        merges.append((row_no, 1, row_no + 2, 1))
        for k, ((text, m), (n, p, s)) in enumerate(zip(months, figures)):
            body.load([region if k == 0 else None, text, n, p, s],
                      summary(code, D(2025, m, 1), month_end(2025, m), n, p, s))
            row_no += 1
    body.skip(["Итого", None, 48, 2150, 695])
    header = [["Регион", "Месяц", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_region_merged.xlsx", [sheet_with("I кв", None, header, body, merges)])
    return loaded("sum_region_merged_over_months", path, [body],
                  "summary, region merged down over its three month rows («Месяц» column)", "summary")


@case
def sum_region_from_title_districts(folder: Path) -> Case:
    data = [("г. Караганда", 38, 1900, 800), ("г. Темиртау", 12, 540, 200), ("г. Балхаш", 7, 260, 60),
            ("Абайский район", 4, 130, 0), ("Бухар-Жырауский район", 5, 170, 10)]
    body = Body()
    for district, n, p, s in data:
        body.load([district, n, p, s], summary("KZ-35", D(2025, 1, 1), D(2025, 3, 31), n, p, s))
    body.skip(["Итого по области", sum(d[1] for d in data), sum(d[2] for d in data), sum(d[3] for d in data)])
    title = [["Сведения ДП Карагандинской области за 1 квартал 2025 года"]]
    header = [["Наименование района", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_xlsx(folder / "sum_title_region.xlsx", [sheet_with("Свод", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_region_from_title_districts", path, [body],
                  "summary of districts, region only in the title «Сведения ДП Карагандинской области за 1 квартал»",
                  "summary", warning_codes=("region-from-title",))


@case
def sum_podrazdelenie_cities_ods(folder: Path) -> Case:
    data = [("Департамент полиции г. Астаны", "KZ-71", 140, 11000, 6000), ("ДП г. Шымкент", "KZ-79", 96, 7400, 3300),
            ("УП г. Алматы", "KZ-75", 180, 15000, 8000), ("ДП Алматинской области", "KZ-19", 75, 3600, 900)]
    body = Body()
    records = simple_summary(body, data, D(2025, 1, 1), D(2025, 12, 31))
    body.skip(total_row("Итого", records, lead=1, events=True))
    title = [["Сведения о профилактических мероприятиях за 2025 год"]]
    header = [["Подразделение", "Количество мероприятий", "Охват", "в т.ч. студентов"]]
    path = write_ods(folder / "sum_cities.ods", [sheet_with("Свод", title, header, body, [(1, 1, 1, 4)])])
    return loaded("sum_podrazdelenie_cities_ods", path, [body],
                  "summary ODS, «Подразделение»: the three cities' police and «ДП Алматинской области»", "summary")


@case
def sum_unplaced_column_group(folder: Path) -> Case:
    regions = [("Акмолинская область", "KZ-11"), ("Северо-Казахстанская область", "KZ-59"),
               ("Павлодарская область", "KZ-55")]
    sheet, body = month_groups_sheet("I квартал", "Свод за 1 квартал 2025 года", 2025, [1, 2, 3],
                                     ["Январь", "Февраль", "Март"], regions, total_label=None, extra_group="Справочно")
    path = write_xlsx(folder / "sum_unplaced.xlsx", [sheet])
    return loaded("sum_unplaced_column_group", path, [body],
                  "summary, month groups plus a «Справочно» group that is no period (not loaded, warned)", "summary",
                  warning_codes=("unplaced-column-group",))


# ============================================ failures ========================================================

TEMPLATE_HEADER = ["№", "Дата", "Регион", "Место проведения", "Форма мероприятия", "Охват", "в т.ч. студентов"]


@case
def fail_empty_template(folder: Path) -> Case:
    sheet = Sheet("Шаблон")
    sheet.add(["Сведения о проведённых профилактических мероприятиях за ________ 2025 года"], TEMPLATE_HEADER)
    sheet.merge(1, 1, 1, 7)
    sheet.add(*[[i] for i in range(1, 11)])
    path = write_xlsx(folder / "template.xlsx", [sheet])
    return failed("fail_empty_template", path, "an empty template: header and the «№» column 1..10 only", "пуст")


@case
def fail_empty_template_csv(folder: Path) -> Case:
    rows = [TEMPLATE_HEADER] + [[i] for i in range(1, 6)]
    path = write_csv(folder / "template.csv", rows, encoding="cp1251", delimiter=";")
    return failed("fail_empty_template_csv", path, "an empty template as CSV (cp1251, «;»)", "пуст")


@case
def fail_crime_statistics_form(folder: Path) -> Case:
    sheet = Sheet("Р1")
    sheet.add([("Сведения о зарегистрированных уголовных правонарушениях, связанных с незаконным оборотом "
                "наркотических средств")], [],
              ["Наименование показателей", "Шифр строки", "Всего", "в том числе по статьям УК РК", None, None],
              [None, None, None, "ст. 296", "ст. 297", "ст. 299"],
              ["А", "Б", 1, 2, 3, 4],
              ["Зарегистрировано уголовных правонарушений", "01", 120, 70, 40, 10],
              ["из них совершено несовершеннолетними", "02", 6, 2, 4, 0],
              ["Окончено производством", "03", 95, 55, 32, 8],
              ["Направлено в суд", "04", 80, 46, 28, 6],
              ["Прекращено", "05", 15, 9, 4, 2],
              ["Выявлено лиц, совершивших правонарушения", "06", 88, 50, 30, 8])
    for m in [(1, 1, 1, 6), (3, 1, 4, 1), (3, 2, 4, 2), (3, 3, 4, 3), (3, 4, 3, 6)]:
        sheet.merge(*m)
    path = write_xlsx(folder / "crime_form.xlsx", [sheet])
    return failed("fail_crime_statistics_form", path,
                  "a crime-statistics form: indicator rows × numbered columns, «Шифр строки»",
                  "профилактическ", "статистическ")


@case
def fail_crime_form_with_region_title_xls(folder: Path) -> Case:
    sheet = Sheet("R2")
    sheet.add(["Форма 2. Сведения о лицах, совершивших наркопреступления, по Карагандинской области за 2025 год"],
              ["Шифр строки", "Наименование показателей", "Всего", "мужчин", "женщин", "несовершеннолетних"],
              [None, None, 1, 2, 3, 4],
              ["1", "Выявлено лиц, всего", 210, 180, 30, 12],
              ["2", "в том числе ранее судимых", 60, 57, 3, 0],
              ["3", "в состоянии наркотического опьянения", 25, 22, 3, 1],
              ["4", "безработных", 90, 80, 10, 2],
              ["5", "учащихся и студентов", 14, 11, 3, 9])
    sheet.merge(1, 1, 1, 6)
    path = write_xls(folder / "crime_form_region.xls", [sheet])
    return failed("fail_crime_form_with_region_title_xls", path,
                  "XLS statistical form with a region in the title, «Шифр строки», numbered columns",
                  "профилактическ", "статистическ")


@case
def fail_text_without_table(folder: Path) -> Case:
    sheet = Sheet("Информация")
    sheet.add(["Информация о проделанной работе по профилактике наркомании за 1 полугодие 2025 года"], [],
              ["В рамках месячника «Антинарко» сотрудниками ДП проведены лекции и беседы в учебных заведениях."],
              ["Особое внимание уделено профилактике распространения синтетических наркотиков среди молодёжи."],
              ["Совместно с управлением образования организованы встречи с родителями."], [],
              ["Начальник управления                    Б. Сериков"])
    path = write_xlsx(folder / "text_only.xlsx", [sheet])
    return failed("fail_text_without_table", path, "a sheet of paragraphs of text, no table", "таблиц")


@case
def fail_no_region_no_period_xls(folder: Path) -> Case:
    sheet = Sheet("Лист1")
    sheet.add(["Форма мероприятия", "Место проведения", "Организатор", "Охват", "в т.ч. студентов"],
              ["лекция", "Колледж №1", "ДП", 40, 30],
              ["беседа", "СОШ №4", "акимат", 25, 0],
              ["акция", "Центральная площадь", "НПО", 300, 60],
              ["тренинг", "Университет", "управление образования", 35, 35])
    path = write_xls(folder / "no_region.xls", [sheet])
    return failed("fail_no_region_no_period_xls", path,
                  "a table with neither a region source nor any date or period", "регион")


@case
def fail_crime_register_with_dates_and_regions(folder: Path) -> Case:
    """A register of drug offences: one dated row per case with its region, as an event log would be — but its
    headings speak of offences and seizures, never of prevention. Refused, naming what it found."""
    sheet = Sheet("Июнь")
    sheet.add(["Журнал учёта уголовных правонарушений, связанных с незаконным оборотом наркотиков, июнь 2025 г."], [])
    sheet.add(["№", "Дата регистрации", "Регион", "Статья УК РК", "Вид наркотика", "Изъято, г", "Число подозреваемых"])
    for i, (day, region) in enumerate([(2, "Алматинская область"), (4, "г. Алматы"), (9, "Жамбылская область"),
                                       (15, "г. Шымкент")], 1):
        sheet.add([i, D(2025, 6, day), region, "ч.2 ст.296", "марихуана", 150.5 * i, 1 + i % 2])
    path = write_xlsx(folder / "crime_register.xlsx", [sheet])
    return failed("fail_crime_register_with_dates_and_regions", path, "a register of drug offences by date and region",
                  "правонарушени", "Статья УК РК")


@case
def fail_drug_crime_results_by_region_csv(folder: Path) -> Case:
    rows = [["Сведения о результатах борьбы с наркопреступностью за 1 полугодие 2025 года"], [],
            ["Регион", "Зарегистрировано преступлений", "Раскрыто преступлений", "Изъято наркотиков, кг",
             "Число лиц, привлечённых к ответственности"],
            ["Алматинская область", 120, 98, "455,3", 87], ["Жамбылская область", 64, 51, "210,0", 40]]
    path = write_csv(folder / "crime_results.csv", rows, encoding="utf-8-sig", delimiter=";")
    return failed("fail_drug_crime_results_by_region_csv", path, "results of the fight against drug crime, by region",
                  "правонарушени", "Раскрыто преступлений")
