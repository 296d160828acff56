"""Property and table tests for the cell parsers and the region matcher."""
from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.checks import DateReader
from loaders.gazetteer import canonical
from loaders.parse import MAX_COUNT, NONE_WORDS, clean_text, parse_count, parse_date
from loaders.period import parse_period
from loaders.problems import Problem
from loaders.regions import FUZZY_THRESHOLD, match_region

TODAY = date(2026, 11, 27)
SEPARATORS = ["", " ", "\u00a0", "\u202f"]


def thousands(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(min_value=0, max_value=MAX_COUNT), st.sampled_from(SEPARATORS), st.sampled_from(["", " чел.",
                                                                                                    " человек",
                                                                                                    " чел"]))
def test_counts_written_with_any_thousands_separator_and_unit_read_back(n, sep, unit):
    assert parse_count(thousands(n, sep) + unit) == n
    assert parse_count(n) == n
    assert parse_count(float(n)) == n


@given(st.integers(min_value=1, max_value=10**6))
def test_negative_counts_are_problems(n):
    assert parse_count(-n) == Problem("negative-count", {"value": str(-n)})
    assert parse_count(f"-{n}").code == "negative-count"


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1).filter(
    lambda s: clean_text(s) and clean_text(s) not in "-—–−‐‒―" and clean_text(s).lower().rstrip(".") not in NONE_WORDS))
def test_text_without_digits_is_never_a_count(text):
    result = parse_count(text)
    assert isinstance(result, Problem) and result.code == "not-a-number"


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(), st.booleans(), st.dates(),
                 st.datetimes()))
def test_parsers_never_raise(value):
    assert parse_count(value) is None or isinstance(parse_count(value), (int, Problem))
    assert parse_date(value, TODAY) is None or isinstance(parse_date(value, TODAY), (date, tuple, Problem))
    assert clean_text(value) is None or isinstance(clean_text(value), str)


@pytest.mark.parametrize("dash", ["—", "–", "-", " — "])
def test_a_dash_is_zero(dash):
    assert parse_count(dash) == 0


@pytest.mark.parametrize("word", ["нет", "Нет", "НЕТ.", "не проводилось", "жоқ"])
def test_none_in_words_is_zero(word):
    assert parse_count(word) == 0


@given(st.integers(1990, 2099), st.integers(1, 12))
def test_a_month_written_with_its_number_is_that_month(year, month):
    for text in (f"{month:02d}.{year}", f"{month}.{year}", f"{month}/{year}", f"{year}-{month:02d}",
                 f"{month:02d}.{year} г."):
        found = parse_period(text)
        assert found is not None and (found.start, found.end.month, found.end.year) == (
            date(year, month, 1), month, year), text
        assert (found.end + timedelta(days=1)).day == 1, text  # the month's last day


@given(st.integers(13, 99), st.integers(2000, 2030))
def test_no_month_thirteen(month, year):
    assert parse_period(f"{month}.{year}") is None


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)))
def test_a_date_without_its_year_takes_the_tables_year_and_is_reported(day):
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]
    for text in (f"{day.day:02d}.{day.month:02d}", f"{day.day}.{day.month}", f"{day.day} {months[day.month - 1]}"):
        reader = DateReader(date(2026, 12, 31), day.year)
        assert reader(text) == day, text
        assert reader.completed == [text]
        without_year = DateReader(date(2026, 12, 31), None)(text)
        assert isinstance(without_year, Problem), text


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY + timedelta(days=300)))
def test_dates_in_every_accepted_spelling_read_back(day):
    spellings = [day, datetime(day.year, day.month, day.day, 10, 30), day.strftime("%d.%m.%Y"),
                 day.strftime("%d.%m.%Y г."), day.strftime("%d.%m.%Y года"), day.isoformat(),
                 (day - date(1899, 12, 30)).days]
    for spelling in spellings:
        assert parse_date(spelling, TODAY) == day, spelling


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(29, 40))
def test_impossible_days_are_problems_not_dates(year, month, day):
    text = f"{day:02d}.{month:02d}.{year}"
    result = parse_date(text, TODAY)
    try:
        expected = date(year, month, day)
    except ValueError:
        assert result == Problem("impossible-date", {"value": text})
    else:
        assert result == expected or result.code == "date-out-of-range"


def test_dates_far_from_today_are_out_of_range():
    assert parse_date("01.01.1999", TODAY).code == "date-out-of-range"
    assert parse_date("01.01.2030", TODAY).code == "date-out-of-range"


SPELLINGS = [
    ("Карагандинская область", "KZ-35"), ("Карагандинская обл.", "KZ-35"), ("Карагандинская", "KZ-35"),
    ("Қарағанды облысы", "KZ-35"), ("Караганды облысы", "KZ-35"), ("Karaganda Region", "KZ-35"),
    ("ВКО", "KZ-63"), ("ЗКО", "KZ-27"), ("СКО", "KZ-59"), ("ЮКО", "KZ-61"),
    ("Южно-Казахстанская область", "KZ-61"), ("Туркестанская обл", "KZ-61"),
    ("г. Алматы", "KZ-75"), ("город Алматы", "KZ-75"), ("Алматы қаласы", "KZ-75"), ("Алматы", "KZ-75"),
    ("Алматинская область", "KZ-19"), ("Алматы облысы", "KZ-19"), ("Алматы обл.", "KZ-19"),
    ("Нур-Султан", "KZ-71"), ("г. Нур-Султан", "KZ-71"), ("Астана", "KZ-71"), ("Астана қаласы", "KZ-71"),
    ("г.Шымкент", "KZ-79"), ("область Абай", "KZ-10"), ("Абайская область", "KZ-10"), ("Абай облысы", "KZ-10"),
    ("область Жетісу", "KZ-33"), ("Жетысу", "KZ-33"), ("Жетісу облысы", "KZ-33"),
    ("область Ұлытау", "KZ-62"), ("Улытау", "KZ-62"), ("Ұлытау облысы", "KZ-62"),
    ("Мангистауская область", "KZ-47"), ("Маңғыстау облысы", "KZ-47"), ("KZ-KAR", "KZ-35"), ("KZ-35", "KZ-35"),
    ("Павлодарская обл.", "KZ-55"), ("Батыс Қазақстан облысы", "KZ-27"), ("Шығыс Қазақстан облысы", "KZ-63"),
]


@pytest.mark.parametrize("text,code", SPELLINGS)
def test_region_spellings(text, code):
    match = match_region(text)
    assert match.region_code == code
    assert match.confidence >= 0.95


def test_every_official_name_in_the_gazetteer_matches_exactly():
    with open(Path(__file__).resolve().parent.parent / "data" / "regions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 20
    for row in rows:
        for name in (row["name_ru"], row["name_kk"], row["name_en"]):
            assert match_region(name).region_code == row["region_code"], name


def test_bare_almaty_is_the_city_and_says_so():
    match = match_region("Алматы")
    assert (match.region_code, match.method, match.note) == ("KZ-75", "rule", "bare-almaty")


def test_typos_are_matched_with_a_confidence_below_one():
    match = match_region("Карагандинкая область")
    assert match.region_code == "KZ-35" and match.method == "fuzzy" and 0.85 <= match.confidence < 1


def test_unknown_places_are_unknown():
    for text in ["Москва", "Марс", "", "   ", "12345", "Ташкентская область"]:
        assert match_region(text).region_code is None, text


@settings(max_examples=300)
@given(st.text(min_size=0, max_size=40))
def test_the_matcher_never_claims_more_confidence_than_its_threshold_allows(text):
    match = match_region(text)
    if match.region_code is None:
        assert match.confidence == 0.0
    elif match.method == "fuzzy":
        assert FUZZY_THRESHOLD / 100 <= match.confidence < 1.0
    else:
        assert match.confidence >= 0.95 or match.method == "confirmed"


def test_event_forms_and_audiences_are_canonical():
    assert canonical("event_type", "Профилактическая лекция") == "лекция"
    assert canonical("event_type", "Дәріс") == "лекция"
    assert canonical("event_type", "Флешмоб") == "Флешмоб"
    assert canonical("audience", "студенты колледжа") == "студенты"
    assert canonical("audience", "  ") is None


MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                   "ноября", "декабря"]
MONTHS_KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша",
             "желтоқсан"]


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY + timedelta(days=300)))
def test_dates_written_in_words_read_back(day):
    spellings = [f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г.",
                 f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year}",
                 f"{day.day} {MONTHS_KK[day.month - 1]} {day.year} ж.",
                 f"{day.year} жылғы {day.day} {MONTHS_KK[day.month - 1]}",
                 day.strftime("%d.%m.%Yг"), str((day - date(1899, 12, 30)).days)]
    for spelling in spellings:
        assert parse_date(spelling, TODAY) == day, spelling


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY + timedelta(days=200)), st.integers(1, 20),
       st.sampled_from(["–", "-", "—"]))
def test_a_range_gives_its_start_and_end(start, length, dash):
    end = start + timedelta(days=length)
    if end.month == start.month and end.year == start.year:
        assert parse_date(f"{start.day}{dash}{end.day}.{start.month:02d}.{start.year}", TODAY) == (start, end)
    if end.year == start.year:
        text = f"{start.day:02d}.{start.month:02d}{dash}{end.day:02d}.{end.month:02d}.{end.year}"
        assert parse_date(text, TODAY) == (start, end)


def test_invisible_characters_never_reach_storage():
    assert clean_text("Акция\u202e «Мы\x00 против»\u200b\t наркотиков\ufeff") == "Акция «Мы против» наркотиков"
    assert clean_text(float("inf")) == "inf" and clean_text(float("nan")) == "nan"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_problems(value):
    assert parse_count(value).code == "not-a-number"
    assert parse_date(value, TODAY).code == "invalid-date"


@given(st.integers(min_value=MAX_COUNT + 1, max_value=10**30))
def test_counts_beyond_any_population_are_problems_not_numbers(n):
    assert parse_count(n).code == "implausible-count"
    assert parse_count(str(n)).code in ("implausible-count", "not-a-number")


ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]


@given(st.integers(2000, 2040), st.integers(1, 12))
def test_english_month_headings_are_their_month(year, month):
    for text in (f"{ENGLISH_MONTHS[month - 1]} {year}", f"{ENGLISH_MONTHS[month - 1][:3]} {year}"):
        found = parse_period(text)
        assert found is not None and (found.start, found.start.month) == (date(year, month, 1), month), text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_a_span_of_two_dates_in_a_title_is_those_days(a, b):
    start, end = min(a, b), max(a, b)
    for text in (f"за период {start:%d.%m.%Y}–{end:%d.%m.%Y}", f"с {start:%d.%m.%Y} г. по {end:%d.%m.%Y} г.",
                 f"Сведения {start:%d.%m.%Y} - {end:%d.%m.%Y}"):
        found = parse_period(text)
        assert found is not None and (found.start, found.end) == (start, end), text


@given(st.integers(1, 4), st.integers(1, 4), st.integers(2000, 2040))
def test_a_span_of_quarters_is_those_quarters_together(first, last, year):
    found = parse_period(f"за {first}-{last} квартал {year} года")
    if first <= last:
        assert found is not None and (found.start, found.end.month) == (date(year, 3 * first - 2, 1), 3 * last)
