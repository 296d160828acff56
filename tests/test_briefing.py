"""The meeting briefing (prevention.output.briefing): the Word document opened with python-docx and the PDF rendered
with poppler hold the numbers of the pages' own queries for the same filters, formatted the same way (Babel), in
Russian and in Kazakh; a region's briefing lists its districts and largest events; an empty window says so."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import docx
import docx.oxml.ns
import docx.table
import pytest

from prevention import texts
from prevention.output import briefing
from prevention.output.briefing import words
from prevention.queries import activity as q
from prevention.queries.filters import Filters
from prevention.storage.db import connect
from prevention.texts import formats

ROOT = Path(__file__).resolve().parent.parent
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))
KARAGANDA = "KZ-35"
poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm, pdftotext) not installed")


@pytest.fixture
def con(make_db):
    connection = connect(make_db())
    yield connection
    connection.close()


def n(value, lang: str, digits: int = 0) -> str:
    return formats.number(value, lang, digits)


def t(key: str, lang: str, **params) -> str:
    return texts.t(f"briefing.{key}", lang, **params)


def space(text: str) -> str:
    """No-break and narrow spaces as plain ones, runs of white space as one (poppler's text, Babel's numbers)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def table_after(document, heading: str) -> list[list[str]]:
    """The first table after the heading paragraph `heading`."""
    found = False
    for item in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(item, docx.table.Table):
            if found:
                return [[cell.text for cell in row.cells] for row in item.rows]
        elif item.text == heading:
            found = True
    raise AssertionError(f"no table after «{heading}»")


def headings(document, style: str = "Heading 1") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def pdf_pages_and_text(data: bytes, tmp_path) -> tuple[int, str]:
    """Render the PDF to PNG pages (pdftoppm) and extract its text (pdftotext)."""
    path = tmp_path / "briefing.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return len(pages), space(text)


# ---------------------------------------------------------------- the Word document

@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_docx_headings_kpis_and_region_rows_equal_the_pages_queries(con, lang):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, lang)))
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == t("title", lang)
    assert headings(document) == [t("h.kpis", lang), t("h.map", lang, metric=t("metric.participants", lang)),
                                  t("h.regions", lang),
                                  t("h.trend.month", lang, metric=t("metric.participants", lang)),
                                  t("h.forms", lang), t("h.audiences", lang), t("h.note", lang)]
    current, previous = q.kpis(con, YEAR), q.kpis(con, YEAR.year_earlier())
    kpis = {row[0]: row[1:] for row in table_after(document, t("h.kpis", lang))[1:]}
    for key, digits in (("events", 0), ("participants", 0), ("students", 0), ("students_per_event", 1)):
        assert kpis[t(f"kpi.{key}", lang)][:2] == [n(current[key], lang, digits), n(previous[key], lang, digits)]
    # the fixture's rows by hand: 24 events against 14 a year earlier, +71.4 %, as Babel writes a percentage
    assert kpis[t("kpi.events", lang)] == [n(24, lang), n(14, lang), "+" + formats.percent(10 / 14, lang)]
    assert kpis[t("kpi.events", lang)][2] == {"ru": "+71,4\xa0%", "kk": "+71,4%"}[lang]
    assert kpis[t("kpi.regions_reporting", lang)][0] == t("kpi.out_of", lang, count=6, total=20)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_docx_region_table_has_the_20_regions_of_the_query_ranked_by_the_metric(con, lang):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, lang)))
    table = table_after(document, t("h.regions", lang))
    header, body, total = table[0], table[1:21], table[21]
    assert len(table) == 22 and header[-1] == t("col.per_10k", lang)
    regions = q.by_region(con, YEAR)
    rows = {row[1]: row[2:] for row in body}
    assert set(rows) == {texts.region_name(code, lang) for code in regions["region_code"]}
    for r in regions.itertuples():
        assert rows[texts.region_name(r.region_code, lang)] == [
            n(r.events, lang), n(r.participants, lang), n(r.students, lang), n(r.per_event, lang, 1),
            n(r.per_10k, lang, 1)]
    assert [row[0] for row in body] == [str(i) for i in range(1, 21)]
    ranked = regions.sort_values("participants", ascending=False)["participants"].tolist()
    assert [row[3] for row in body] == [n(v, lang) for v in ranked]
    everywhere = q.kpis(con, YEAR)
    assert total[1:6] == [t("total", lang), n(everywhere["events"], lang), n(everywhere["participants"], lang),
                          n(everywhere["students"], lang), n(everywhere["participants_per_event"], lang, 1)]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_docx_breakdowns_equal_the_queries(con, lang):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, lang)))
    for heading, frame, kind in (("h.forms", q.by_event_type(con, YEAR), "event_type"),
                                 ("h.audiences", q.by_audience(con, YEAR), "audience")):
        rows = {row[0]: row[1:] for row in table_after(document, t(heading, lang))[1:]}
        assert rows == {texts.vocab_label(kind, r.label, lang): [n(r.events, lang), n(r.participants, lang),
                                                                  n(r.students, lang)] for r in frame.itertuples()}


def test_docx_is_editable_a4_with_styles_real_tables_charts_and_page_numbers(con):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, "ru")))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert {tb.style.name for tb in document.tables} == {t("style.table", "ru")}
    assert len(document.inline_shapes) == 4  # map, trend, forms, audiences
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer and "Стр. " in footer
    assert document.core_properties.title == t("title", "ru") and document.core_properties.language == "ru-RU"


def test_the_filters_and_the_as_of_time_are_in_the_title_block(con):
    f = Filters(date(2025, 6, 1), date(2025, 6, 30), event_types=("лекция", "акция"), organizers=("акимат",))
    document = opened(briefing.docx_bytes(briefing.build(con, f, "kk")))
    lines = [p.text for p in document.paragraphs[1:6]]
    assert lines[0] == t("line.period", "kk", period="2025 ж. маусым")
    assert lines[1] == t("line.regions", "kk", regions=t("regions_all", "kk"))
    assert lines[2] == t("line.forms", "kk", values="дәріс, акция")
    assert lines[3] == t("line.organizers", "kk", values="акимат")
    assert lines[4] == t("line.as_of", "kk", when=formats.date_time(q.as_of(con), "kk"))


def test_without_population_there_is_no_per_10k_column_and_the_metric_falls_back(make_db):
    con = connect(make_db(population=False))
    content = briefing.build(con, YEAR, "ru", metric="per_10k")
    con.close()
    assert content.regions.header[-1] == t("col.per_event", "ru")
    assert content.map.metric == "participants"


# ---------------------------------------------------------------- a region

@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_region_briefing_lists_its_districts_and_largest_events(con, lang):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, lang, region_code=KARAGANDA)))
    name = texts.region_name(KARAGANDA, lang)
    assert document.paragraphs[0].text == t("title_region", lang, region=name)
    scope = Filters(YEAR.date_from, YEAR.date_to, (KARAGANDA,))
    kpis = {row[0]: row[1] for row in table_after(document, t("h.kpis", lang))[1:]}
    assert kpis[t("kpi.participants", lang)] == n(q.kpis(con, scope)["participants"], lang)
    assert t("kpi.regions_reporting", lang) not in kpis
    districts = table_after(document, t("h.districts", lang))[1:]
    expected = q.by_district(con, scope)
    assert [row[1:] for row in districts] == [[n(r.events, lang), n(r.participants, lang), n(r.students, lang)]
                                              for r in expected.itertuples()]
    assert districts[0][0] == "Абайский район" and texts.t("common.not_specified", lang) in [r[0] for r in districts]
    largest = table_after(document, t("h.largest", lang))
    assert largest[1] == ["05.06.2025", "Абайский район", "—", texts.vocab_label("event_type", "акция", lang),
                          texts.vocab_label("audience", "школьники", lang), n(350, lang)]
    assert [row[5] for row in largest[1:]] == [n(v, lang) for v in (350, 160, 120, 75)]
    median = {row[0]: row[1:] for row in table_after(document, t("h.vs_median", lang, region=name))[1:]}
    frame = q.region_vs_median(con, YEAR, KARAGANDA).set_index("metric")
    assert median[t("kpi.events", lang)][:2] == [n(frame.loc["events", "region_value"], lang),
                                                 n(frame.loc["events", "national_median"], lang)]


def test_the_region_is_outlined_on_the_map_and_bold_in_the_table(con):
    content = briefing.build(con, YEAR, "ru", region_code=KARAGANDA)
    assert content.map.selected == (KARAGANDA,)
    bold = [content.regions.rows[i][1] for i in content.regions.bold]
    assert bold == ["Карагандинская область"]


# ---------------------------------------------------------------- the PDF

@poppler
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_pdf_has_pages_and_extractable_text_with_the_key_numbers(con, lang, tmp_path):
    pages, text = pdf_pages_and_text(briefing.pdf_bytes(briefing.build(con, YEAR, lang)), tmp_path)
    assert pages >= 2
    current = q.kpis(con, YEAR)
    for expected in (t("title", lang), t("h.regions", lang), space(n(current["participants"], lang)),
                     space(n(current["students"], lang)), texts.region_name("KZ-79", lang),
                     space(t("page", lang, page=1, pages=pages)), "отчёт_области.xlsx"):
        assert expected in text, expected


@poppler
def test_pdf_of_a_region_names_its_largest_events(con, tmp_path):
    pages, text = pdf_pages_and_text(briefing.pdf_bytes(briefing.build(con, YEAR, "ru", region_code=KARAGANDA)),
                                     tmp_path)
    assert pages >= 2 and "Крупнейшие мероприятия" in text and "05.06.2025 Абайский район" in text


# ---------------------------------------------------------------- an empty window

@poppler
@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_an_empty_window_says_so_and_draws_no_chart(con, lang, tmp_path):
    content = briefing.build(con, Filters(date(2020, 1, 1), date(2020, 12, 31)), lang)
    document = opened(briefing.docx_bytes(content))
    assert t("empty", lang) in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 0 and t("h.kpis", lang) not in headings(document)
    pages, text = pdf_pages_and_text(briefing.pdf_bytes(content), tmp_path)
    assert pages == 1 and space(t("empty", lang)) in text


def test_the_russian_empty_text_is_the_issues_wording():
    assert t("empty", "ru").startswith("Нет данных за выбранный период")


# ---------------------------------------------------------------- file names

@pytest.mark.parametrize("f,region,lang,expected", [
    (Filters(date(2025, 6, 1), date(2025, 6, 30)), KARAGANDA, "ru", "Справка_Карагандинская_2025-06.docx"),
    (Filters(date(2025, 6, 1), date(2025, 6, 30)), KARAGANDA, "kk", "Анықтама_Қарағанды_2025-06.docx"),
    (YEAR, None, "ru", "Справка_Все_регионы_2025.docx"),
    (YEAR, None, "kk", "Анықтама_Барлық_өңірлер_2025.docx"),
    (Filters(date(2025, 1, 1), date(2025, 6, 30)), None, "en", "Briefing_All_regions_2025-01-01_2025-06-30.docx"),
    (YEAR, "KZ-75", "ru", "Справка_город_Алматы_2025.docx"),
    (YEAR, "KZ-19", "ru", "Справка_Алматинская_2025.docx"),
    (YEAR, "KZ-75", "en", "Briefing_Almaty_city_2025.docx"),
    (Filters(date(2025, 1, 1), date(2025, 12, 31), ("KZ-35", "KZ-71")), None, "ru",
     "Справка_Карагандинская_город_Астана_2025.docx"),
    (Filters(date(2025, 1, 1), date(2025, 12, 31), ("KZ-35", "KZ-71", "KZ-75", "KZ-10", "KZ-55")), None, "ru",
     "Справка_5_регионов_2025.docx"),
    (Filters(), None, "ru", "Справка_Все_регионы_всё_время.docx"),
])
def test_file_names_come_from_the_view(f, region, lang, expected):
    assert briefing.file_name(f, region, lang, "docx") == expected


def test_file_names_keep_only_safe_characters():
    assert words.safe('a/b\\c:d*e?"f<g>h|i  j\x00k') == "a_b_c_d_e_f_g_h_i_j_k"
    for code in ("KZ-10", "KZ-33", "KZ-62", "KZ-71"):
        for lang in texts.LANGUAGES:
            name = briefing.file_name(YEAR, code, lang, "pdf")
            assert re.fullmatch(r"[\w\-]+\.pdf", name), name


# ---------------------------------------------------------------- the button's builder and the audit log

def test_each_file_is_audited_as_an_export_with_the_actor_and_filters(make_db, monkeypatch):
    from prevention.app.components import briefing as component
    from prevention.storage import audit
    from prevention.usecases.rights import LOCAL, Actor

    path = make_db()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    local = Actor("local", LOCAL)
    data = component.document("docx", YEAR, KARAGANDA, "students", "kk", local)
    assert opened(data).paragraphs[0].text == t("title_region", "kk", region="Қарағанды облысы")
    assert component.document("pdf", YEAR, None, "participants", "ru", local).startswith(b"%PDF")
    entries = audit.entries(component.state.connection(), action="export")
    details = [json.loads(d) for d in entries["details"]]
    assert [d["format"] for d in details] == ["briefing-pdf", "briefing-docx"]
    assert set(entries["username"]) == {"local"}
    assert details[1]["file"] == "Анықтама_Қарағанды_2025.docx" and details[1]["region"] == KARAGANDA
    assert details[1]["filters"] == json.loads(json.dumps(asdict(YEAR), default=str))


def test_a_briefing_for_an_account_that_may_not_read_is_refused_and_not_audited(make_db, monkeypatch):
    from prevention.app.components import briefing as component
    from prevention.storage import audit
    from prevention.usecases.rights import WEB, Actor, Forbidden

    monkeypatch.setenv("PREVENTION_DB", str(make_db()))
    with pytest.raises(Forbidden):
        component.document("pdf", YEAR, None, "participants", "ru", Actor("nobody", WEB, 0))
    assert audit.entries(component.state.connection(), action="export").empty


def test_the_briefing_package_does_not_import_streamlit():
    code = ("import sys, prevention.output.briefing as b; "
            "print(any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("page,lang,labels", [
    ("prevention/app/views/overview.py", "ru", ["Справка (Word)", "Справка (PDF)"]),
    ("prevention/app/views/region.py", "ru", ["Справка (Word)", "Справка (PDF)"]),
    ("prevention/app/views/region.py", "kk", ["Анықтама (Word)", "Анықтама (PDF)"]),
])
def test_the_overview_and_region_pages_offer_both_files(make_db, monkeypatch, page, lang, labels):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PREVENTION_DB", str(make_db()))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    assert [button.proto.label for button in at.get("download_button")] == labels


def test_word_tables_follow_their_style_with_ascii_style_ids_and_a_fixed_grid(con):
    document = opened(briefing.docx_bytes(briefing.build(con, YEAR, "kk")))
    regions = document.tables[1]
    assert regions.style.name == "Анықтама: кесте" and regions.style.style_id == "BriefingTable"
    look = regions._tbl.tblPr.find(docx.oxml.ns.qn("w:tblLook"))
    assert look.get(docx.oxml.ns.qn("w:lastRow")) == "1" and look.get(docx.oxml.ns.qn("w:val")) == "0660"
    assert round(sum(column.width.cm for column in regions.columns), 1) == 17.0
    header = regions.rows[0]._tr.trPr
    assert header.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on every page


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_data_note_names_summaries_not_counted_and_their_file(make_db, lang):
    """A yearly summary for 2025 lies only partly in a June window, so the period rule leaves it out of June's
    totals (the pages' rule); the briefing's note says so, as the pages' note does, and names its file."""
    from prevention.storage.batches import BatchInfo, store_batch
    from prevention.texts import periods as period_texts

    con = connect(make_db())
    june = Filters(date(2025, 6, 1), date(2025, 6, 30))
    before = q.kpis(con, june)["events"]
    year_before = q.kpis(con, YEAR)["events"]
    karaganda_logs = q.kpis(con, Filters(YEAR.date_from, YEAR.date_to, regions=(KARAGANDA,)))["events"]
    summary = [{"region_code": KARAGANDA, "district": None, "period_start": date(2025, 1, 1),
                "period_end": date(2025, 12, 31), "events": 400, "participants": 30000, "students": 10000,
                "source_sheet": "Свод", "source_row": 5}]
    store_batch(con, BatchInfo("свод_2025.xlsx", "sha-svod", 100, "summary", 1, 1, 0, 0), summary)
    content = briefing.build(con, june, lang)
    assert content.kpis[0].value == n(before, lang)  # June's figure does not take the year's summary
    note = period_texts.window_note(q.window_notes(con, june), (june.date_from, june.date_to), lang)
    # over the year the summary is Karaganda's figure of record: its 400 events replace the region's log records
    year = briefing.build(con, YEAR, lang)
    assert year.kpis[0].value == n(year_before - karaganda_logs + 400, lang)
    assert t("note.all_counted", lang) in year.note.lines
    con.close()
    assert note and period_texts.summaries_phrase(1, lang) in note
    assert note + " " + t("note.files", lang, files="свод_2025.xlsx") in content.note.lines
    assert t("note.all_counted", lang) not in content.note.lines
