"""The upload page driven through AppTest with real workbooks and a real DuckDB file per test: preview without
writing, confirming regions, correcting and remembering a column mapping, committing, the duplicate message,
replacing a corrected file, deleting a batch on the batches page, and the Overview numbers following along."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prevention.storage import db, mappings
from tests.conftest import build_db, delete_on_page, fixture_rows, load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, simple_sheet

PROJECT = Path(__file__).resolve().parent.parent
BASE_RECORDS = len(fixture_rows())
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The four Karaganda events, a row with an impossible date and one with a misspelt region («Карагандинкая обл»).
BAD_DATE = [5, "32.06.2025", "Карагандинская область", "г. Караганда", "Школа №1", "лекция", "ДП", 10, None, None]
FUZZY = [6, "10.06.2025", "Карагандинкая обл", "г. Темиртау", "Колледж", "беседа", "ДП", 50, 20, 5]


def tag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


class Counts:
    def __init__(self, path: Path):
        self.path = path

    def __call__(self) -> tuple[int, int]:
        con = db.connect(self.path)
        return (con.execute("SELECT count(*) FROM batch").fetchone()[0],
                con.execute("SELECT count(*) FROM activity").fetchone()[0])

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        return db.connect(self.path).execute(query, params or []).fetchall()


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = build_db(tmp_path / "prevention.duckdb", population=False)
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


@pytest.fixture
def counts(database) -> Counts:
    return Counts(database)


def open_page(page: str = "prevention/app/views/upload.py", username: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60)
    if username:
        at.session_state["username"] = username
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, XLSX) for name, data in files]).run()
    assert not at.exception, at.exception
    return at


def commit(at: AppTest) -> AppTest:
    button = at.button(key="commit")
    assert not button.disabled
    button.click().run()
    assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """What a person reads: user values are backslash-escaped for markdown (prevention.app.components.safe)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def karaganda(tmp_path: Path, name: str = "karaganda.xlsx", extra: list | None = None) -> bytes:
    rows = KARAGANDA_JUNE_2025 + ([BAD_DATE, FUZZY] if extra is None else extra)
    return event_log(tmp_path / name, rows).read_bytes()


# ------------------------------------------------------------------------------------------------

def test_preview_shows_shape_sheets_mapping_regions_and_dry_run_without_writing(tmp_path, counts):
    data = karaganda(tmp_path)
    at = upload(open_page(), ("karaganda.xlsx", data))
    markdown = "\n".join(texts(at.markdown))
    assert "Форма отчёта: **журнал мероприятий**" in markdown
    assert "Лист «Мероприятия»: заголовок в строках 3–4" in markdown
    mapping = at.data_editor(key=f"map_{tag(data)}").value
    assert dict(zip(mapping["Столбец в файле"], mapping["Поле"]))["Охват участников / в т.ч. студентов"] == \
        "в т.ч. студентов"
    assert dict(zip(mapping["Столбец в файле"], mapping["Поле"]))["№"] == "— не использовать —"
    assert any(e.label == "Сопоставление столбцов: распознано 9 из 10" for e in at.expander)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Прочитано строк": "7", "Будет загружено": "5", "Пропущено": "1", "Отклонено": "1"}
    errors = next(d.value for d in at.dataframe if "Причина" in d.value.columns)
    assert errors.to_dict("records") == [{"Лист": "Мероприятия", "Строка": 9, "Столбец": "Дата проведения",
                                          "Код": "impossible-date",
                                          "Причина": "Такой даты не существует: «32.06.2025»"}]
    regions = at.data_editor(key=f"regions_{tag(data)}").value
    assert list(regions["Как написано"]) == ["Карагандинкая обл"]
    assert list(regions["Регион"]) == ["Карагандинская область"]
    assert any(b.key == f"rejected_{tag(data)}" for b in at.download_button)
    assert at.button(key="commit").disabled  # the uncertain region is not confirmed yet
    assert counts() == (1, BASE_RECORDS)


def test_an_uncertain_region_is_corrected_before_commit(tmp_path, counts):
    data = karaganda(tmp_path)
    at = upload(open_page(), ("karaganda.xlsx", data))
    at.session_state[f"regions_{tag(data)}"] = {"edited_rows": {0: {"Регион": "город Астана"}}, "added_rows": [],
                                                 "deleted_rows": []}
    at.run()
    commit(at)
    assert counts() == (2, BASE_RECORDS + 5)
    assert counts.sql("SELECT region_code, region_text FROM activity_record WHERE venue = 'Колледж'") == [
        ("KZ-71", "Карагандинкая обл")]
    assert "«karaganda.xlsx» → пакет №2: загружено 5, пропущено 1, отклонено 1 из 7 строк." in texts(at.warning)


def test_an_unknown_region_can_be_assigned_so_its_rows_load(tmp_path, counts):
    unknown = [7, "11.06.2025", "Пвлдр", "г. Павлодар", "Школа №3", "лекция", "ДП", 35, None, 30]
    data = karaganda(tmp_path, extra=[unknown])
    at = upload(open_page(), ("karaganda.xlsx", data))
    assert {m.label: m.value for m in at.metric}["Отклонено"] == "1"
    regions = at.data_editor(key=f"regions_{tag(data)}").value
    assert list(regions["Как написано"]) == ["Пвлдр"] and list(regions["Регион"]) == ["— отклонить строки —"]
    at.session_state[f"regions_{tag(data)}"] = {"edited_rows": {0: {"Регион": "Павлодарская область"}},
                                                 "added_rows": [], "deleted_rows": []}
    at.run()
    assert {m.label: m.value for m in at.metric}["Отклонено"] == "0"
    commit(at)
    assert counts.sql("SELECT region_code, participants, schoolchildren FROM activity_record "
                      "WHERE venue = 'Школа №3'") == [("KZ-55", 35, 30)]


def test_a_mapping_correction_is_applied_and_remembered_for_the_same_headers(tmp_path, counts):
    header = ["Дата проведения", "Регион", "Форма мероприятия", "Слушатели"]
    first = simple_sheet(tmp_path / "first.xlsx", [header, [date(2025, 6, 2), "Карагандинская область", "лекция", 40],
                                                   [date(2025, 6, 3), "город Астана", "беседа", 25]]).read_bytes()
    at = upload(open_page(), ("first.xlsx", first))
    editor = f"map_{tag(first)}"
    assert list(at.data_editor(key=editor).value["Поле"]) == ["Дата", "Регион", "Форма мероприятия",
                                                               "— не использовать —"]
    at.session_state[editor] = {"edited_rows": {3: {"Поле": "Охват (всего)"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    commit(at)
    assert counts.sql("SELECT participants FROM activity WHERE batch_id = 2 ORDER BY source_row") == [(40,), (25,)]
    assert counts.sql("SELECT signature, headers, overrides, updated_by FROM mapping_memory") == [
        (mappings.header_signature(header), json.dumps(header, ensure_ascii=False),
         json.dumps({"Слушатели": "participants"}, ensure_ascii=False), "local")]

    second = simple_sheet(tmp_path / "second.xlsx", [header, [date(2025, 7, 1), "город Алматы", "акция",
                                                              300]]).read_bytes()
    at = upload(open_page(), ("second.xlsx", second))
    assert any("Применено сохранённое сопоставление" in t for t in texts(at.info))
    assert list(at.data_editor(key=f"map_{tag(second)}").value["Поле"])[-1] == "Охват (всего)"
    commit(at)
    assert counts.sql("SELECT participants FROM activity WHERE batch_id = 3") == [(300,)]


def test_commit_stores_every_file_keeps_the_original_and_audits(tmp_path, database, counts):
    events = karaganda(tmp_path, extra=[])
    summary = simple_sheet(tmp_path / "svodka.xlsx", [
        ["Сводная информация о профилактических мероприятиях за июнь 2025 года"], [],
        ["Регион", "Количество мероприятий", "Охват участников"],
        ["Павлодарская область", 12, 800], ["Костанайская область", 7, 350], ["Итого", 19, 1150]]).read_bytes()
    at = upload(open_page(), ("karaganda.xlsx", events), ("svodka.xlsx", summary))
    assert "Форма отчёта: **сводка**." in "\n".join(texts(at.markdown))
    assert at.button(key="commit").label == "Загрузить в базу: файлов — 2, записей — 6"
    commit(at)
    assert counts() == (3, BASE_RECORDS + 6)
    assert texts(at.success) == [
        "«karaganda.xlsx» → пакет №2: загружено 4, пропущено 1, отклонено 0 из 5 строк.",
        "«svodka.xlsx» → пакет №3: загружено 2, пропущено 1, отклонено 0 из 3 строк.",
    ]
    assert counts.sql("SELECT sum(events), sum(participants) FROM activity WHERE batch_id = 3") == [(19, 1150)]
    folder = database.parent / "uploads"
    for data in (events, summary):
        stored = folder / f"{hashlib.sha256(data).hexdigest()}.xlsx"
        assert stored.read_bytes() == data
    audit = counts.sql("SELECT username, action, details FROM audit_log ORDER BY audit_id")
    assert [(u, a, json.loads(d)["batch_id"]) for u, a, d in audit] == [("local", "upload", 2), ("local", "upload", 3)]
    assert len(at.file_uploader) == 1 and at.file_uploader[0].key == "uploader_1"  # the uploads were dropped
    assert counts.sql("SELECT count(*) FROM mapping_memory") == [(0,)]  # nothing corrected, nothing remembered
    assert not any(b.key == "commit" for b in at.button)


def test_the_same_bytes_again_say_when_and_by_whom_and_write_nothing(tmp_path, counts):
    data = karaganda(tmp_path, extra=[])
    # loaded earlier by another user (the page itself loads as the signed-in user: «local» without accounts)

    con = db.connect(counts.path)
    load(con, data, "karaganda.xlsx", user="aigerim")
    con.close()
    assert counts() == (2, BASE_RECORDS + 4)
    loaded_at = counts.sql("SELECT loaded_at FROM batch WHERE batch_id = 2")[0][0]
    at = upload(open_page(), ("копия.xlsx", data))
    from prevention.app.components.fmt import date_time

    assert texts(at.warning) == [(f"Файл уже загружен {date_time(loaded_at, 'ru')} пользователем aigerim — пакет №2, "
                                 "«karaganda.xlsx». Повторно он не записывается.")]
    assert at.button(key="commit").disabled
    assert counts() == (2, BASE_RECORDS + 4)


def test_a_corrected_version_replaces_the_earlier_batch(tmp_path, database, counts):
    first = karaganda(tmp_path, "v1.xlsx", extra=[BAD_DATE])
    commit(upload(open_page(), ("june.xlsx", first)))
    assert counts() == (2, BASE_RECORDS + 4)
    fixed = [*BAD_DATE[:1], "30.06.2025", *BAD_DATE[2:]]
    second = karaganda(tmp_path, "v2.xlsx", extra=[fixed])
    at = upload(open_page(), ("june.xlsx", second))
    choice = at.radio(key=f"replace_{tag(second)}")
    assert choice.value == 0  # never replaced by default: a new batch
    assert shown(choice.options[1]).startswith("Заменить пакет №2 «june.xlsx»")
    choice.set_value(2).run()
    assert at.button(key="commit").disabled  # chosen, not yet confirmed
    confirm = at.checkbox(key=f"replace_confirm_{tag(second)}_2_{hashlib.sha256(first).hexdigest()[:16]}")
    assert shown(confirm.label).startswith("Да, заменить пакет №2 «june.xlsx» (4 записей)")
    confirm.check().run()
    commit(at)
    assert counts.sql("SELECT batch_id FROM batch ORDER BY batch_id") == [(1,), (3,)]
    assert counts() == (2, BASE_RECORDS + 5)
    assert "Пакет №2 заменён." in texts(at.success)[0]
    action, details = counts.sql("SELECT action, details FROM audit_log ORDER BY audit_id DESC LIMIT 1")[0]
    assert action == "replace" and json.loads(details)["replaced_batch_id"] == 2
    folder = database.parent / "uploads"
    assert not (folder / f"{hashlib.sha256(first).hexdigest()}.xlsx").exists()
    assert (folder / f"{hashlib.sha256(second).hexdigest()}.xlsx").exists()


def test_a_corrected_version_can_also_be_added_as_a_separate_batch(tmp_path, counts):
    commit(upload(open_page(), ("june.xlsx", karaganda(tmp_path, "v1.xlsx", extra=[]))))
    second = karaganda(tmp_path, "v2.xlsx", extra=[[7, "12.06.2025", "Карагандинская область", "г. Караганда",
                                                   "Дом культуры", "акция", "акимат", 70, 0, 60]])
    at = upload(open_page(), ("june.xlsx", second))
    assert at.radio(key=f"replace_{tag(second)}").value == 0
    commit(at)
    assert counts() == (3, BASE_RECORDS + 4 + 5)


def test_a_broken_file_is_explained_and_not_stored(counts):
    at = upload(open_page(), ("отчёт.xlsx", b"PK\x03\x04 this is not really a workbook"))
    assert len(at.error) == 1 and at.error[0].value.startswith("Файл не загружен: ")
    assert at.button(key="commit").disabled
    assert counts() == (1, BASE_RECORDS)


def test_deleting_a_batch_on_the_batches_page(tmp_path, database, counts):
    data = karaganda(tmp_path, extra=[])
    commit(upload(open_page(), ("karaganda.xlsx", data)))
    stored = database.parent / "uploads" / f"{hashlib.sha256(data).hexdigest()}.xlsx"
    assert stored.exists() and counts() == (2, BASE_RECORDS + 4)

    at = open_page("prevention/app/views/batches.py")
    at.selectbox(key="batch_pick").set_value(2).run()
    assert at.button(key="delete_batch_2").disabled
    assert any(b.key == "download_original" for b in at.download_button)
    delete_on_page(at, 2)
    assert not at.exception
    assert texts(at.success) == ["Пакет №2 «karaganda.xlsx» удалён со всеми записями."]
    assert counts() == (1, BASE_RECORDS)
    assert counts.sql("SELECT action, details FROM audit_log ORDER BY audit_id DESC LIMIT 1")[0][0] == "delete"
    assert not stored.exists()
    # the same bytes may now be loaded again
    at = upload(open_page(), ("karaganda.xlsx", data))
    assert not at.warning and not at.button(key="commit").disabled


def test_overview_numbers_follow_a_load_and_a_deletion(tmp_path, counts):
    def events_on_overview() -> str:
        at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60).run()
        assert not at.exception
        return at.metric[0].value.replace("\u202f", "")

    before = events_on_overview()
    assert before == str(sum(r["events"] for r in fixture_rows() if r["period_start"].year == 2025))
    commit(upload(open_page(), ("karaganda.xlsx", karaganda(tmp_path, extra=[]))))
    assert events_on_overview() == str(int(before) + 4)
    at = open_page("prevention/app/views/batches.py")
    at.selectbox(key="batch_pick").set_value(2).run()
    delete_on_page(at, 2)
    assert events_on_overview() == before


def test_what_the_reader_was_unsure_of_is_shown_before_the_commit(tmp_path, counts):
    """A region read from the title and a column read from its values alone are said, with evidence and
    confidence in the mapping editor; nothing is written by the preview."""
    data = simple_sheet(tmp_path / "title.xlsx", [
        ["Сведения ДП Костанайской области о мероприятиях за июнь 2025 года"], [],
        ["Дата", "", "Охват"],
        ["02.06.2025", "лекция", 40],
        ["05.06.2025", "беседа", 25],
    ]).read_bytes()
    at = upload(open_page(), ("title.xlsx", data))
    warning = "\n".join(shown(w.value) for w in at.warning)
    assert "регион «Костанайская область» взят из заголовка «Сведения ДП Костанайской области" in warning, warning
    mapping = at.data_editor(key=f"map_{tag(data)}").value
    grounds = dict(zip(mapping["Столбец в файле"], mapping["Основание"]))
    confidence = dict(zip(mapping["Столбец в файле"], mapping["Уверенность"]))
    assert grounds["Дата"] == "заголовок и значения" and confidence["Дата"] > 0.8
    assert grounds["Охват"] in ("по заголовку", "заголовок и значения")
    assert counts() == (1, BASE_RECORDS)
