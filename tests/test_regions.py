"""The region matcher on the names reports write: every official name of the 20 units in every case form pymorphy3
generates, with department prefixes; Kazakh case endings; units that are not regions; names inside titles."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pymorphy3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.regions import find_region, match_region
from loaders.spelling import spelled_as_known

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
REGIONS = list(csv.DictReader(REGIONS_CSV.read_text(encoding="utf-8").splitlines()))
CASES = ["nomn", "gent", "datv", "accs", "ablt", "loct"]
PREFIXES = ["", "ДП ", "по ", "Департамент полиции ", "УП ", "акимат ", "в "]
KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)


@lru_cache(maxsize=1)
def morph():
    return pymorphy3.MorphAnalyzer()


def inflected(name: str, case: str) -> str:
    """The name with every word pymorphy3 knows put in `case` (singular); other words as written."""
    words = []
    for word in name.split():
        parses = [p for p in morph().parse(word) if p.tag.POS in ("NOUN", "ADJF")]
        form = None
        for parse in parses[:3]:
            found = parse.inflect({case, "sing"} if parse.tag.POS == "NOUN" else {case})
            if found is not None:
                form = found.word
                break
        word_out = form or word.lower()
        words.append(word_out[:1].upper() + word_out[1:] if word[:1].isupper() else word_out)
    return " ".join(words)


def russian_names(row: dict) -> list[str]:
    names = [row["name_ru"]]
    if row["kind"] == "region" and row["name_ru"].endswith("область") and not row["name_ru"].startswith("область"):
        names.append(row["name_ru"].replace(" область", ""))  # «Акмолинская» alone
    return names


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(REGIONS), st.sampled_from(CASES), st.sampled_from(PREFIXES))
def test_every_official_name_in_every_case_form_with_a_prefix_matches_its_unit(row, case, prefix):
    for name in russian_names(row):
        text = prefix + inflected(name, case)
        if row["kind"] == "city":
            text = prefix + "г. " + inflected(name.replace("город ", ""), case)
        match = match_region(text)
        assert match.region_code == row["region_code"], (text, match)
        assert match.method in ("exact", "short-form", "rule"), (text, match)


KAZAKH_ENDINGS = ["", "ның", "нда", "на", " бойынша", "ның ПД", "ндағы"]


@pytest.mark.parametrize("row", REGIONS, ids=[r["region_code"] for r in REGIONS])
@pytest.mark.parametrize("ending", KAZAKH_ENDINGS)
def test_kazakh_names_with_case_endings_match(row, ending):
    text = row["name_kk"] + ending
    assert match_region(text).region_code == row["region_code"], text


@pytest.mark.parametrize("text", ["ДП на транспорте", "Комитет по противодействию наркопреступности МВД",
                                  "Департамент полиции на транспорте", "МВД РК", "Линейный отдел полиции",
                                  "Центральный аппарат МВД"])
def test_units_that_are_not_regions_are_never_matched(text):
    match = match_region(text)
    assert match.region_code is None and match.method == "not-a-region"


@pytest.mark.parametrize("title,code", [
    ("Сведения ДП Костанайской области за 2026 год", "KZ-39"),
    ("Информация о проведённых мероприятиях по г. Астане за июнь 2025 г.", "KZ-71"),
    ("Алматы облысы бойынша 2025 жылғы есеп", "KZ-19"),
    ("Отчёт УП г. Шымкент о профилактической работе", "KZ-79"),
])
def test_the_region_of_a_title(title, code):
    assert find_region(title).region_code == code


@pytest.mark.parametrize("title", ["Сводка по Республике Казахстан за 2025 год",
                                   "Сведения ДП г. Астаны и ДП Карагандинской области",
                                   "Сведения ДП на транспорте Карагандинской области"])
def test_a_title_naming_no_region_or_two_gives_none(title):
    assert find_region(title) is None


# ---------------------------------------------------------------- spelling: exact only when written as a name

@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REGIONS), st.sampled_from(CASES), st.sampled_from(PREFIXES))
def test_a_name_in_any_case_form_counts_as_written(row, case, prefix):
    for name in russian_names(row):
        if KAZAKH_LETTERS.search(name):
            continue  # «область Жетісу»: pymorphy3 has no Kazakh; it would «inflect» it to «Жетіс»
        text = prefix + inflected(name, case)
        assert spelled_as_known(text), text


@pytest.mark.parametrize("row", REGIONS, ids=[r["region_code"] for r in REGIONS])
@pytest.mark.parametrize("ending", KAZAKH_ENDINGS)
def test_a_kazakh_name_with_an_ending_counts_as_written(row, ending):
    assert spelled_as_known(row["name_kk"] + ending), row["name_kk"] + ending


@pytest.mark.parametrize("row", [r for r in REGIONS if r["centre"]], ids=lambda r: r["region_code"])
@pytest.mark.parametrize("prefix", ["", "г. ", "город ", "ДП г. "])
def test_a_regional_centre_written_as_its_name_counts_as_written(row, prefix):
    """«г. Костанай» is the city's own name: the page must not say its spelling differs."""
    assert spelled_as_known(prefix + row["centre"]), prefix + row["centre"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(REGIONS), st.data())
def test_a_letter_dropped_from_a_name_word_is_a_spelling_variant(row, data):
    """Drop one inner letter of the place word of an official Russian name: when the matcher still finds the
    region, it must not be called exact (the page says «написание отличается»)."""
    words = row["name_ru"].split()
    place = max(range(len(words)), key=lambda i: len(words[i]) if words[i] not in ("область", "город") else 0)
    word = words[place]
    if len(word) < 6:
        return
    cut = data.draw(st.integers(min_value=1, max_value=len(word) - 2))
    misspelt = word[:cut] + word[cut + 1:]
    if misspelt.lower().replace("ё", "е") == word.lower().replace("ё", "е"):
        return
    text = " ".join(words[:place] + [misspelt] + words[place + 1:])
    if match_region(text).region_code == row["region_code"] and match_region(text).method == "exact":
        assert not spelled_as_known(text), text


@pytest.mark.parametrize("text", ["Жамбылськая область", "Карагандинскя область", "Мангыстауская область"])
def test_spelling_variants_found_by_folding_are_named_as_such(text):
    assert match_region(text).region_code is not None
    assert not spelled_as_known(text)
