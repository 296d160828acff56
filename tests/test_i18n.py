"""The catalogue: every key in every language with the same placeholders; formats per language."""
from datetime import date

import pytest

from loaders.report import MESSAGES
from prevention.texts.catalogue import (LANGUAGES, catalogue, fmt_date, fmt_float, fmt_int, fmt_month, loader_message,
                             placeholders, region_name, t, vocab_label)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "ru"])
def test_every_key_exists_in_every_language_with_the_same_placeholders(lang):
    russian, other = catalogue("ru"), catalogue(lang)
    assert sorted(set(russian) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(russian)) == [], f"only in {lang}"
    for key, text in russian.items():
        assert placeholders(other[key]) == placeholders(text), key
        assert other[key].strip(), key


def test_every_loader_problem_code_has_a_catalogue_entry_matching_the_loader_text():
    for code, text in MESSAGES.items():
        assert catalogue("ru")[f"loader.{code}"] == text


def test_loader_messages_in_three_languages():
    assert loader_message("unknown-region", "ru", value="Марс") == "Регион «Марс» не найден в справочнике"
    assert loader_message("unknown-region", "kk", value="Марс") == "«Марс» өңірі анықтамалықта табылмады"
    assert loader_message("part-exceeds-total", "en", value=25, total=10) == "25 is larger than the total reached (10)"


def test_numbers_dates_and_names_per_language():
    assert fmt_int(1234567, "ru") == "1\u00a0234\u00a0567" and fmt_int(1234567, "en") == "1,234,567"
    assert fmt_float(1234.56, "ru") == "1\u00a0234,6" and fmt_float(1234.56, "en") == "1,234.6"
    assert fmt_date(date(2025, 6, 25), "ru") == "25 июня 2025"
    assert fmt_date(date(2025, 6, 25), "kk") == "2025 ж. 25 маусым"
    assert fmt_date(date(2025, 6, 25), "en") == "25 June 2025"
    assert fmt_month(date(2025, 6, 1), "en") == "June 2025"
    assert region_name("KZ-35", "kk") == "Қарағанды облысы" and region_name("KZ-75", "en") == "Almaty (city)"
    assert vocab_label("event_type", "лекция", "kk") == "дәріс" and vocab_label("audience", "студенты", "en") == "students"
    assert vocab_label("event_type", "Флешмоб", "en") == "Флешмоб"
    assert t("no.such.key", "kk") == "no.such.key"
