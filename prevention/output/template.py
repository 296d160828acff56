"""The report template analysts fill in: the canonical columns, drop-down lists for regions, event forms and
audiences, and instructions in Russian and Kazakh. The loader reads a filled template without corrections."""
from __future__ import annotations

import csv
import io
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DATA_SHEET = "Мероприятия"
LISTS_SHEET = "Справочники"
HELP_SHEET = "Инструкция"
FILE_NAME = "шаблон_отчёта_профилактика.xlsx"
TEMPLATE_ROWS = 5000  # rows covered by the drop-down lists and checks

# (header, field the loader maps it to, column width)
COLUMNS = [
    ("Дата проведения", "date", 14),
    ("Регион", "region", 30),
    ("Район", "district", 24),
    ("Место проведения", "venue", 36),
    ("Форма мероприятия", "event_type", 22),
    ("Аудитория", "audience", 26),
    ("Организатор", "organizer", 30),
    ("Охват участников, всего", "participants", 14),
    ("в т.ч. студентов", "students", 12),
    ("в т.ч. школьников", "schoolchildren", 12),
    ("в т.ч. родителей", "parents", 12),
    ("в т.ч. педагогов", "teachers", 12),
]
COUNT_FIELDS = ("participants", "students", "schoolchildren", "parents", "teachers")

INSTRUCTIONS_RU = [
    "Шаблон отчёта о профилактических мероприятиях",
    "1. Заполняйте лист «Мероприятия»: одна строка — одно мероприятие. Не меняйте названия столбцов и не "
    "вставляйте строки над заголовком.",
    "2. «Дата проведения» — дата в формате ДД.ММ.ГГГГ, например 25.06.2025.",
    "3. «Регион», «Форма мероприятия», «Аудитория» — выберите значение из раскрывающегося списка.",
    "4. «Район», «Место проведения», «Организатор» — текстом, например: г. Караганда; Карагандинский высший "
    "политехнический колледж; ДП Карагандинской области.",
    "5. «Охват участников, всего» — сколько человек участвовало; «в т.ч. студентов», «в т.ч. школьников», "
    "«в т.ч. родителей», «в т.ч. педагогов» — из них. Целые числа, не больше общего охвата. Пустая клетка — "
    "сведений нет, 0 — никого.",
    "6. Не добавляйте строку «Итого»: суммы дашборд считает сам.",
    "7. Загрузите файл на странице «Загрузка». Строки с ошибками можно скачать файлом со столбцом «Причина»: "
    "исправьте их и загрузите этот файл снова.",
]
INSTRUCTIONS_KK = [
    "Профилактикалық іс-шаралар туралы есеп үлгісі",
    "1. «Мероприятия» парағын толтырыңыз: бір жол — бір іс-шара. Бағандардың атауын өзгертпеңіз және тақырып "
    "жолының үстіне жол қоспаңыз.",
    "2. «Дата проведения» (өткізілген күні) — КК.АА.ЖЖЖЖ пішімінде, мысалы 25.06.2025.",
    "3. «Регион» (өңір), «Форма мероприятия» (іс-шара нысаны), «Аудитория» — ашылмалы тізімнен таңдаңыз.",
    "4. «Район» (аудан), «Место проведения» (өткізілген орны), «Организатор» (ұйымдастырушы) — мәтінмен жазыңыз.",
    "5. «Охват участников, всего» — қатысушылардың жалпы саны; «в т.ч. студентов / школьников / родителей / "
    "педагогов» — оның ішінде студенттер, оқушылар, ата-аналар, педагогтар. Бүтін сандар, жалпы саннан "
    "аспауы тиіс. Бос ұяшық — мәлімет жоқ, 0 — ешкім.",
    "6. «Барлығы» (Итого) жолын қоспаңыз: қорытындыны дашборд өзі есептейді.",
    "7. Файлды «Загрузка» бетінде жүктеңіз. Қатесі бар жолдарды «Причина» бағаны бар файл ретінде жүктеп алуға "
    "болады: оларды түзетіп, сол файлды қайта жүктеңіз.",
]


def region_names() -> list[str]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return [row["name_ru"] for row in csv.DictReader(fh)]


def vocabulary(kind: str) -> list[str]:
    """Canonical Russian labels of «event_type» or «audience» from data/vocabulary.csv."""
    with open(DATA_DIR / "vocabulary.csv", encoding="utf-8") as fh:
        return [row["label_ru"] for row in csv.DictReader(fh) if row["kind"] == kind]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def build_template() -> bytes:
    """The template as .xlsx bytes. Only the header row holds cells on the data sheet, so a filled template
    reads as exactly its filled rows (no blank rows counted as skipped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for index, (header, field, width) in enumerate(COLUMNS, start=1):
        cell = data.cell(1, index, header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.column_dimensions[_letter(index)].width = width
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 32

    lists = workbook.create_sheet(LISTS_SHEET)
    columns = {"region": region_names(), "event_type": vocabulary("event_type"), "audience": vocabulary("audience")}
    titles = {"region": "Регионы", "event_type": "Формы мероприятий", "audience": "Аудитории"}
    ranges = {}
    for index, (field, values) in enumerate(columns.items(), start=1):
        lists.cell(1, index, titles[field])
        for row, value in enumerate(values, start=2):
            lists.cell(row, index, value)
        letter = _letter(index)
        ranges[field] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"  # the loader skips hidden sheets

    last = TEMPLATE_ROWS + 1
    for index, (header, field, _) in enumerate(COLUMNS, start=1):
        area = f"{_letter(index)}2:{_letter(index)}{last}"
        if field in ranges:
            rule = DataValidation(type="list", formula1=f"={ranges[field]}", allow_blank=True,
                                  showErrorMessage=True, errorStyle="warning",
                                  errorTitle="Значения нет в списке",
                                  error="Выберите значение из списка (или оставьте своё, если его там нет).")
        elif field == "date":
            rule = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                                  formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                                  errorTitle="Неверная дата", error="Введите дату в формате ДД.ММ.ГГГГ.")
        elif field in COUNT_FIELDS:
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                  showErrorMessage=True, errorTitle="Нужно целое число",
                                  error="Введите целое неотрицательное число человек.")
        else:
            continue
        rule.promptTitle, rule.prompt, rule.showInputMessage = header, _prompt(field), True
        data.add_data_validation(rule)
        rule.add(area)
    data.column_dimensions["A"].number_format = "DD.MM.YYYY"

    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 120
    row = 1
    for block in (INSTRUCTIONS_RU, INSTRUCTIONS_KK):
        for number, line in enumerate(block):
            cell = help_sheet.cell(row, 1, line)  # one cell per row: never read as a table
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number == 0:
                cell.font = Font(bold=True, size=13)
            row += 1
        row += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _prompt(field: str) -> str:
    return {
        "date": "ДД.ММ.ГГГГ",
        "region": "Выберите из списка",
        "event_type": "Выберите из списка",
        "audience": "Выберите из списка",
    }.get(field, "Целое число человек")
