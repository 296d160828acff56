"""Workbooks the tests write with openpyxl, shaped like real reports: title rows, merged headers, totals."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

EVENT_HEADER = ["№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия",
                "Организатор", "Охват участников", None, None]
EVENT_SUBHEADER = ["всего", "в т.ч. студентов", "в т.ч. школьников"]

# The four Karaganda events of 25 June 2025 from the MVD press release.
KARAGANDA_JUNE_2025 = [
    [1, date(2025, 6, 25), "Карагандинская обл.", "г. Караганда", "ДП Карагандинской области",
     "Заседание совета", "Совет при МВД РК", 30, 0, 0],
    [2, "25.06.2025", "Карагандинская область", "г. Караганда", "Карагандинский высший политехнический колледж",
     "встреча", "Комитет по противодействию наркопреступности МВД", "195 чел.", "более 180", "—"],
    [3, "25.06.2025 г.", "Қарағанды облысы", "г. Караганда", "Центр поддержки семьи",
     "встреча", "ДП Карагандинской области", "40", None, None],
    [4, "2025-06-25", "Карагандинская", "г. Караганда", "Акимат Карагандинской области",
     "Внеочередное заседание", "Областной межведомственный штаб", 25, None, None],
]


def event_log(path: Path, rows: list[list], *, title: str | None = "Сведения о проведённых профилактических "
              "мероприятиях за июнь 2025 года", total_row: bool = True, sheet_title: str = "Мероприятия",
              workbook: openpyxl.Workbook | None = None) -> Path:
    """An event log: a title row, a merged two-row header («Охват участников» over three columns), the rows,
    and a totals row with formulas."""
    wb = workbook or openpyxl.Workbook()
    ws = wb.active if workbook is None else wb.create_sheet(sheet_title)
    ws.title = sheet_title
    top = 1
    if title:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=10)
        top = 3
    for col, text in enumerate(EVENT_HEADER, 1):
        if text:
            ws.cell(top, col, text)
    for col, text in enumerate(EVENT_SUBHEADER, 8):
        ws.cell(top + 1, col, text)
    ws.merge_cells(start_row=top, start_column=8, end_row=top, end_column=10)
    for col in range(1, 8):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    first = top + 2
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, 1):
            ws.cell(first + offset, col, value)
    if total_row and rows:
        last = first + len(rows) - 1
        total = first + len(rows)
        ws.cell(total, 1, "Итого")
        for col, letter in zip(range(8, 11), "HIJ"):
            ws.cell(total, col, f"=SUM({letter}{first}:{letter}{last})")
    wb.save(path)
    return path


def event_rows(n: int, start: int = 0) -> list[list]:
    """n valid, varied event rows."""
    regions = ["Карагандинская область", "ВКО", "г. Алматы", "Туркестанская обл.", "Жетысу", "Astana"]
    forms = ["лекция", "беседа", "встреча", "акция", "тренинг"]
    return [[i + 1, date(2025, 1 + (i % 12), 1 + (i % 28)), regions[i % len(regions)], f"район {i % 7}",
             f"Колледж №{i % 13}", forms[i % len(forms)], "ДП", 20 + i % 50, 10 + i % 10, i % 5]
            for i in range(start, start + n)]


def simple_sheet(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def large_event_log(path: Path, rows: int, seed: int = 2025) -> Path:
    """A plain event log of `rows` rows written with xlsxwriter in constant memory (100,000 rows in a few seconds;
    openpyxl takes far longer): a title, the two-row header of event_log, valid rows, no totals row."""
    import random
    from datetime import timedelta

    import xlsxwriter

    rng = random.Random(seed)
    regions = ["Карагандинская область", "ВКО", "г. Алматы", "Туркестанская обл.", "Жетысу", "Астана"]
    forms = ["лекция", "беседа", "встреча", "акция", "тренинг"]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Мероприятия")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, ["Сведения о проведённых профилактических мероприятиях за 2025 год"])
    sheet.write_row(2, 0, EVENT_HEADER)
    sheet.write_row(3, 7, EVENT_SUBHEADER)
    start = date(2025, 1, 1)
    for i in range(rows):
        total = rng.randint(10, 400)
        students = rng.randint(0, total)
        sheet.write_row(i + 4, 0, [i + 1])
        sheet.write_datetime(i + 4, 1, start + timedelta(days=rng.randint(0, 364)), day)
        sheet.write_row(i + 4, 2, [rng.choice(regions), f"район {rng.randint(1, 12)}", f"Колледж №{rng.randint(1, 60)}",
                                   rng.choice(forms), "ДП области", total, students, rng.randint(0, total - students)])
    book.close()
    return path
