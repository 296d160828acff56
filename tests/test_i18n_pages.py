"""The pages in Russian, Kazakh and English: no literal interface text in pages/ and ui/, every catalogue key the
code asks for exists, every page renders in each language, and filters mean the same in every language.

tests/test_i18n.py checks that all languages have the same keys and placeholders."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from prevention import texts
from prevention.output import figures, rejected
from prevention.queries import activity
from tests.conftest import fixture_rows
from tests.test_upload_page import XLSX, karaganda

PROJECT = Path(__file__).resolve().parent.parent
OTHERS = ("auth.py", "texts.py")  # the sign-in side's modules, checked by its own tests
APP = PROJECT / "prevention" / "app"
UI_FILES = sorted(p for folder in ("session", "components", "panels") for p in (APP / folder).glob("*.py")
                  if p.name not in OTHERS and p.name != "__init__.py")
PAGE_FILES = [APP / "views" / f"{name}.py" for name in ("overview", "region", "table", "upload", "batches",
                                                        "quality")]
SOURCES = PAGE_FILES + UI_FILES
PAGES = {"overview": "prevention/app/views/overview.py", "region": "prevention/app/views/region.py",
         "table": "prevention/app/views/table.py",
         "upload": "prevention/app/views/upload.py", "batches": "prevention/app/views/batches.py",
         "quality": "prevention/app/views/quality.py"}

# ---------------------------------------------------------------- (a) no literal interface text

# Every name Streamlit's API has (st.*, container methods, st.column_config.*): a call to any of them is a
# Streamlit call, whatever object it is made on (st.sidebar, a column, a container, `c = st.column_config`).
_NOT_ELEMENTS = {"get_option", "set_option", "cache_data", "cache_resource", "session_state", "query_params",
                 "secrets", "context", "fragment", "stop", "rerun", "switch_page", "navigation", "Page"}
ST_NAMES = ({n for n in dir(st) if not n.startswith("_")} | {n for n in dir(st.sidebar) if not n.startswith("_")}
            | {n for n in dir(st.column_config) if n[:1].isupper()}) - _NOT_ELEMENTS
# Keyword arguments that are never shown as text.
NOT_TEXT = {"key", "icon", "type", "mime", "format", "width", "height", "selection_mode", "on_click", "bind",
            "vertical_alignment", "label_visibility", "num_rows", "gap", "scope", "file_name", "border",
            "hide_index", "alignment", "pinned", "filter_mode", "url_path", "delta_color", "delta_arrow",
            "chart_stretch", "theme", "use_container_width", "language"}
PAGE_ARGUMENT = {"page_link", "switch_page"}
LETTER = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _literal_texts(node: ast.AST) -> list[str]:
    """String literals an argument would show: constants, the literal parts of f-strings, either side of `+` and of
    `a if c else b`; calls (tr(...)), subscripts, names and lambdas are not literal text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literal_texts(node.left) + _literal_texts(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_texts(node.body) + _literal_texts(node.orelse)
    return []


def _is_text(value: str) -> bool:
    value = value.strip()
    if value.startswith(":material/") and value.endswith(":"):
        return False
    return bool(LETTER.search(value))


def literal_ui_strings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in ST_NAMES:
            continue
        arguments = [(None, a) for a in node.args] + [(k.arg, k.value) for k in node.keywords]
        if node.func.attr in PAGE_ARGUMENT:  # st.page_link("prevention/app/views/overview.py", ...): a file, not a text
            arguments = [(n, a) for n, a in arguments[1:] if n != "page"]
        for name, value in arguments:
            if name in NOT_TEXT:
                continue
            for text in _literal_texts(value):
                if _is_text(text):
                    found.append(f"{path.name}:{node.lineno} {node.func.attr}({text!r})")
    return found


def test_the_check_finds_literal_texts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('import streamlit as st\nfrom prevention.app.session.i18n import tr\n'
                      'st.title("Обзор")\nst.button(tr("a.b"), key="go", icon=":material/upload:")\n'
                      'left.metric("Events", 1, help=f"Всего {n}")\nc.TextColumn(tr("x"))\n'
                      'st.caption(tr("x") + " Готово.")\nst.plotly_chart(fig, key=f"map_{n}")\n',
                      encoding="utf-8")
    assert [line.split(" ", 1)[1] for line in literal_ui_strings(sample)] == [
        "title('Обзор')", "metric('Events')", "metric('Всего ')", "caption(' Готово.')"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_literal_interface_text_in_streamlit_calls(path):
    assert literal_ui_strings(path) == []


# ---------------------------------------------------------------- (b) every key asked for exists

def _keys_asked(path: Path) -> tuple[set[str], set[str]]:
    """(literal keys, patterns of f-string keys) of tr("…"), texts.t("…", lang) and fmt.keyed("…", lang)."""
    keys, patterns = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in ("tr", "t", "keyed"):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if name == "keyed":  # fmt.keyed("overview.switch.{option}", lang)
                patterns.add(re.escape(first.value).replace(r"\{option\}", "[^.]+"))
            else:
                keys.add(first.value)
        elif isinstance(first, ast.JoinedStr):
            patterns.add("".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in first.values))
    return keys, patterns


ALL_CODE = sorted((PROJECT / "prevention" / "app").rglob("*.py")) + [PROJECT / "prevention" / "texts" / "periods.py"]


@pytest.mark.parametrize("path", ALL_CODE, ids=lambda p: str(p.relative_to(PROJECT)))
def test_every_key_used_in_pages_and_ui_is_in_the_russian_catalogue(path):
    russian = texts.catalogue("ru")
    keys, patterns = _keys_asked(path)
    assert sorted(k for k in keys if k not in russian) == []
    for pattern in patterns:
        assert any(re.fullmatch(pattern, k) for k in russian), f"no key matches {pattern}"


def test_the_keys_built_from_codes_exist():
    from loaders.fields import FIELDS
    from prevention.app.components import sidebar, widgets
    from prevention.texts import matches as match_texts

    wanted = [f"overview.kpi.{k}" for k, _ in widgets.KPI_CARDS] + [f"overview.kpi.{k}.help" for k, _ in
                                                                    widgets.KPI_CARDS]
    wanted += [f"overview.switch.{m}" for m in figures.REGION_METRIC_NAMES]
    wanted += [f"figures.metric.{m}" for m in figures.REGION_METRIC_NAMES]
    wanted += [f"region.median.{m}" for m in activity.MEDIAN_METRICS]
    wanted += [f"upload.field.{f}" for f in FIELDS] + [f"upload.method.{m}" for m in match_texts.METHODS]
    wanted += [f"loader.{c}" for c in ("duplicate", "forbidden", "busy", "store-failed", "batch-gone",
                                       "original-not-saved")]
    wanted += [f"upload.shape.{s}" for s in rejected.SHAPE_LABELS_RU]
    wanted += list(sidebar.PRESET_KEYS.values()) + list(match_texts.NOTES.values())
    wanted += [f"common.ui.month_short.{m}" for m in range(1, 13)]
    wanted += [f"audit.action.{a}" for a in ("upload", "replace", "delete")]
    for lang in texts.LANGUAGES:
        assert [k for k in wanted if k not in texts.catalogue(lang)] == [], lang


def test_kazakh_uses_kazakh_letters_and_translations_differ_from_russian():
    ru, kk, en = (texts.catalogue(lang) for lang in ("ru", "kk", "en"))
    mine = [k for k in ru if k.split(".")[0] in {"overview", "region", "table", "sidebar", "upload", "batches",
                                                  "quality", "banner", "figures"}]
    assert len(mine) > 200
    assert sum(bool(re.search("[әғқңөұүһі]", kk[k])) for k in mine) > 0.6 * len(mine)
    assert not any(re.search("[а-яё]", en[k], re.IGNORECASE) for k in mine if "Причина" not in en[k]
                   and "Алматы" not in en[k]), "Cyrillic in the English catalogue"
    same = {ru[k] for k in mine if kk[k] == ru[k] and LETTER.search(re.sub(r"\{\w+\}", "", ru[k]))}
    assert same <= {"Пакет", "Файл", "Аудитория", "Демо", "профилактика", "{size} МБ",
                    "{size} КБ"}, same  # the same words in Kazakh


# ---------------------------------------------------------------- (c) every page in Kazakh and English

@pytest.fixture
def database(make_db, monkeypatch):
    path = make_db(population=True)
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


def run(page: str | None = None, lang: str = "ru", query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "success", "error")
             for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["kk", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_in_kazakh_and_english(database, page, lang):
    at = run(PAGES[page], lang)
    assert at.title[0].value == texts.t(f"{page}.title", lang)
    if page == "overview":
        assert at.metric[0].label == texts.t("overview.kpi.events", lang)
        assert at.metric[0].label == {"kk": "Іс-шаралар", "en": "Events"}[lang]
    text = _all_text(at)
    for russian in ("Мероприятия", "Регионов", "Охват", "Загрузить", "Пакетов", "записей"):
        assert russian not in text, (page, russian)


def test_overview_numbers_and_dates_follow_the_language(database):
    rows = [r for r in fixture_rows() if r["period_start"].year == 2025]
    participants = sum(r["participants"] for r in rows)
    assert participants >= 1000  # so that a thousands separator shows
    english, kazakh = run(lang="en"), run(lang="kk")
    assert english.metric[1].value == f"{participants:,}"
    assert kazakh.metric[1].value == f"{participants:,}".replace(",", "\u00a0")
    assert english.metric[4].value == f"{len({r['region_code'] for r in rows})} of 20"
    assert "Period: 1 Jan 2025 – 31 Dec 2025" in english.caption[0].value
    assert "Кезең: 01.01.2025 – 31.12.2025" in kazakh.caption[0].value


def test_region_names_forms_and_audiences_are_shown_in_the_language(database):
    at = run(lang="en")
    regions = at.sidebar.multiselect(key="regions")
    assert "Karaganda Region" in regions.options and "Карагандинская область" not in regions.options
    assert "lecture" in at.sidebar.multiselect(key="forms").options
    assert "students" in at.sidebar.multiselect(key="audiences").options
    table = run("prevention/app/views/table.py", "kk", query={"forms": "лекция"}).dataframe[0].value
    assert set(table["event_type"]) == {"дәріс"} and "Қарағанды облысы" in set(table["region"])


def test_a_link_means_the_same_in_every_language(database):
    """The URL holds the Russian names; a link from any language (or an older one) selects the same records."""
    expected = run(query={"regions": "Карагандинская область", "forms": "акция"}).metric[0].value
    for lang in ("kk", "en"):
        at = run(lang=lang, query={"regions": "Карагандинская область", "forms": "акция"})
        assert at.session_state["regions"] == ["Карагандинская область"] and at.session_state["forms"] == ["акция"]
        assert at.metric[0].value == expected
    # a label in another language is understood too, and the region page follows
    at = run("prevention/app/views/region.py", "ru", query={"regions": "Karaganda Region"})
    assert at.selectbox(key="region_pick").value == "KZ-35"


def language_switch(at: AppTest):
    """The sign-in side's language switch (pills or a segmented control, key «lang»)."""
    for kind in ("pills", "segmented_control", "button_group", "radio", "selectbox"):
        try:
            return getattr(at, kind)(key="lang")
        except (KeyError, AttributeError):
            continue
    raise AssertionError("no language switch")


def test_a_language_switch_keeps_the_filters_and_the_metric(database):
    at = run(lang="en", state={"regions": ["город Астана"], "forms": ["форум"]}, query={"metric": "per_10k"})
    before = at.metric[0].value
    assert before == "6" and at.button_group(key="metric").value == "per_10k"
    at.query_params["lang"] = "Қазақша"  # what the browser does on a click: the bound switch's label in the URL...
    language_switch(at).set_value("kk").run()  # ...and the new value
    assert not at.exception
    assert at.session_state["regions"] == ["город Астана"] and at.session_state["forms"] == ["форум"]
    assert at.button_group(key="metric").value == "per_10k"
    assert at.metric[0].value == before and at.metric[0].label == "Іс-шаралар"


def test_the_upload_check_speaks_the_language(tmp_path, database):
    at = run(lang="en")
    at.switch_page("prevention/app/views/upload.py").run()
    at.file_uploader[0].set_value([("karaganda.xlsx", karaganda(tmp_path), XLSX),
                                   ("broken.xlsx", b"PK\x03\x04 not a workbook", XLSX)]).run()
    assert not at.exception, at.exception
    assert {m.label for m in at.metric} == {"Rows read", "Will be loaded", "Skipped", "Rejected"}
    errors = next(d.value for d in at.dataframe if "Причина" in d.value.columns)
    assert list(errors["Причина"]) == ['No such date: “32.06.2025”']
    assert [e.value for e in at.error] == [
        "The file was not loaded: The file is damaged or truncated: it could not be read"]
    assert "Report type: **event log**." in "\n".join(m.value for m in at.markdown)
    assert at.button(key="commit").label == "Load into the database: 1 file(s), 5 record(s)"


def test_figures_speak_the_language_they_are_given(make_db):
    import pandas as pd

    from prevention.output import geo
    from prevention.queries.filters import Filters
    from prevention.storage import db

    con = db.connect(make_db())
    year = Filters(fixture_rows()[2]["period_start"].replace(month=1, day=1),
                   fixture_rows()[2]["period_start"].replace(month=12, day=31))
    regions = activity.by_region(con, year)
    bar = figures.ranked_bar(regions, "participants", lang="en")
    assert "Karaganda Region" in list(bar.data[0].y) and bar.layout.xaxis.title.text == "Reach, people"
    assert bar.layout.separators == ".,"
    assert "Қарағанды облысы" in list(figures.choropleth(regions, "events", geo.regions_geojson(), lang="kk")
                                       .data[0].customdata[:, 1])
    trend = figures.monthly_trend(activity.by_month(con, year), "events", period=(year.date_from, year.date_to),
                                  lang="kk")
    assert trend.layout.annotations[0].text == "айлық" and "2025 ж. маусым" in list(trend.data[0].customdata)
    many = pd.DataFrame({"label": list("abcdefghijklmn"), "events": range(14)})
    assert "other" in list(figures.breakdown_bar(many, "events", lang="en").data[0].y)
    assert "басқалары" in list(figures.breakdown_bar(many, "events", lang="kk").data[0].y)
