"""The catalogue: every key in every language with the same placeholders; formats per language."""
from datetime import date

import pytest

from loaders.problems import CODES, Problem
from prevention.texts import plural, problem_message
from prevention.texts.formats import long_date as fmt_date
from prevention.texts.formats import month_year as fmt_month
from prevention.texts.formats import number
from prevention.texts.lookup import LANGUAGES, catalogue, placeholders, region_name, t, vocab_label


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "ru"])
def test_every_key_exists_in_every_language_with_the_same_placeholders(lang):
    russian, other = catalogue("ru"), catalogue(lang)
    assert sorted(set(russian) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(russian)) == [], f"only in {lang}"
    for key, text in russian.items():
        assert placeholders(other[key]) == placeholders(text), key
        assert other[key].strip(), key


# Parameters of every problem code, as the reader and the load use case give them.
SAMPLE_PARAMS = {"value": "Марс", "total": 10, "column": "Охват", "field": "participants", "confidence": 0.42,
                 "region": "KZ-35", "source": "title", "text": "Сведения ДП …", "header": "Справочно", "sheet": "Свод",
                 "missing": ["region", "date"], "found": ["Статья УК"], "kind": "HTML", "limit": 1000, "size": 600,
                 "count": 3001, "rows": 1048576, "columns": 16384, "form": "1-М", "seconds": 15,
                 "reason": "нет доступа",
                 "parts": 90, "reasons": [{"code": "unknown-region", "params": {"value": "Марс"}, "count": 3001}]}


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("code", sorted(CODES))
def test_every_problem_code_renders_in_every_language_with_its_parameters(code, lang):
    key = f"loader.{code}"
    assert key in catalogue(lang), f"{key} missing in {lang}"
    text = problem_message(Problem(code, SAMPLE_PARAMS), lang)
    assert text and "{" not in text and text != code


@pytest.mark.parametrize("lang,expected", [
    ("ru", ["1 строка", "2 строки", "5 строк", "21 строка"]), ("kk", ["1 жол", "2 жол", "5 жол", "21 жол"]),
    ("en", ["1 row", "2 rows", "5 rows", "21 rows"])])
def test_plurals_follow_each_languages_rules(lang, expected):
    assert [plural("loader.rows", n, lang) for n in (1, 2, 5, 21)] == expected


def test_loader_messages_in_three_languages():
    assert problem_message(Problem("unknown-region", {"value": "Марс"}),
                           "ru") == "Регион «Марс» не найден в справочнике"
    assert problem_message(Problem("unknown-region", {"value": "Марс"}), "kk") == "«Марс» өңірі анықтамалықта табылмады"
    assert problem_message(Problem("part-exceeds-total", {"value": 25, "total": 10}), "en") == (
        "25 is larger than the total reached (10)")
    assert problem_message(Problem("too-many-cells", {"sheet": "S", "rows": 1000, "columns": 1000, "limit": 1200000}),
                           "ru") == ("Лист «S» занимает 1\u00a0000 строк × 1\u00a0000 столбцов — "
                                     "больше допустимого (1\u00a0200\u00a0000 ячеек)")


def test_numbers_dates_and_names_per_language():
    assert number(1234567, "ru") == "1\u00a0234\u00a0567" and number(1234567, "en") == "1,234,567"
    assert number(1234.56, "ru", 1) == "1\u00a0234,6" and number(1234.56, "en", 1) == "1,234.6"
    assert fmt_date(date(2025, 6, 25), "ru") == "25 июня 2025"
    assert fmt_date(date(2025, 6, 25), "kk") == "2025 ж. 25 маусым"
    assert fmt_date(date(2025, 6, 25), "en") == "25 June 2025"
    assert fmt_month(date(2025, 6, 1), "en") == "June 2025"
    assert region_name("KZ-35", "kk") == "Қарағанды облысы" and region_name("KZ-75", "en") == "Almaty (city)"
    assert vocab_label("event_type", "лекция", "kk") == "дәріс" and vocab_label("audience", "студенты",
                                                                                "en") == "students"
    assert vocab_label("event_type", "Флешмоб", "en") == "Флешмоб"
    assert t("no.such.key", "kk") == "no.such.key"


def test_the_briefing_catalogue_has_every_key_in_all_three_languages():
    """data/i18n/{ru,kk,en}.briefing.json: the same keys, the same placeholders, nothing empty."""
    import json

    from prevention.texts.lookup import DATA_DIR

    parts = {lang: json.loads((DATA_DIR / "i18n" / f"{lang}.briefing.json").read_text(encoding="utf-8"))
             for lang in ("ru", "kk", "en")}
    assert set(parts["ru"]) == set(parts["kk"]) == set(parts["en"])
    assert all(key.startswith("briefing.") for key in parts["ru"])
    for key, text in parts["ru"].items():
        for lang in ("kk", "en"):
            assert placeholders(parts[lang][key]) == placeholders(text), (lang, key)
            assert parts[lang][key].strip(), (lang, key)
