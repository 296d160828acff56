"""The batches page's parts: the list of loads, one batch's downloads and its deletion with confirmation."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from prevention import audit, store, uploads
from ui import fmt, state, workspace

PICK = "batch_pick"
CONFIRM = "batch_delete_confirm"
DELETED = "_batch_deleted"


def table(batches: pd.DataFrame) -> None:
    shown = batches.assign(
        shape=batches["shape"].map(lambda s: uploads.SHAPE_LABELS_RU.get(s, s)),
        period=[fmt.period_ru(_day(a), _day(b)) if pd.notna(a) else "—"
                for a, b in zip(batches["first_day"], batches["last_day"])],
        loaded_by=batches["loaded_by"].fillna("—"),
    )
    c = st.column_config
    st.dataframe(
        shown[["batch_id", "file_name", "rows_loaded", "rows_rejected", "rows_skipped", "shape", "loaded_by",
               "loaded_at", "period", "regions", "rows_read", "is_demo"]],
        hide_index=True, key="batches_table",
        column_config={
            "batch_id": c.NumberColumn("№", format="%d", width="small"),
            "file_name": c.TextColumn("Файл", width="medium"),
            "shape": c.TextColumn("Форма"),
            "loaded_by": c.TextColumn("Кто загрузил"),
            "loaded_at": c.DatetimeColumn("Когда", format="DD.MM.YYYY HH:mm"),
            "period": c.TextColumn("Период записей"),
            "regions": c.NumberColumn("Регионов", format="%d"),
            "rows_read": c.NumberColumn("Прочитано", format="localized"),
            "rows_loaded": c.NumberColumn("Загружено", format="localized"),
            "rows_skipped": c.NumberColumn("Пропущено", format="localized"),
            "rows_rejected": c.NumberColumn("Отклонено", format="localized"),
            "is_demo": c.CheckboxColumn("Демо"),
        },
    )


def _day(value):
    return None if pd.isna(value) else pd.Timestamp(value).date()


def label(row) -> str:
    return f"№{int(row.batch_id)} · {row.file_name} · {fmt.datetime_ru(pd.Timestamp(row.loaded_at).to_pydatetime())}"


def pick(batches: pd.DataFrame) -> dict | None:
    rows = {int(r.batch_id): r for r in batches.itertuples()}
    chosen = st.selectbox("Пакет", list(rows), format_func=lambda b: label(rows[b]), key=PICK,
                          on_change=lambda: st.session_state.update({CONFIRM: False}))
    return None if chosen is None else rows[chosen]._asdict()


def downloads(row: dict) -> None:
    folder = workspace.uploads_folder()
    left, right = st.columns(2)
    path = uploads.original_path(folder, row["sha256"], row["file_name"]) if len(row["sha256"]) == 64 else None
    if path is not None and path.exists():
        left.download_button("Скачать исходный файл", data=lambda: path.read_bytes(), file_name=row["file_name"],
                             mime=uploads.MIME_TYPES.get(path.suffix, "application/octet-stream"),
                             key="download_original", on_click="ignore", icon=":material/download:")
    else:
        left.caption("Исходный файл не сохранён (загружен из командной строки или это демонстрационные данные).")
    if row["rows_rejected"]:
        batch_id = int(row["batch_id"])

        def rejected() -> bytes:
            con = state.connection()
            return uploads.rejected_workbook(store.rejected_rows(con, batch_id), uploads.batch_titles(con, batch_id))

        right.download_button(f"Скачать отклонённые строки ({fmt.number(row['rows_rejected'])})", data=rejected,
                              file_name=uploads.rejected_file_name(row["file_name"]), mime=uploads.XLSX_MIME,
                              key="download_rejected", on_click="ignore", icon=":material/download:",
                              help="Исходные столбцы и «Причина»: исправьте и загрузите этот файл снова.")
    else:
        right.caption("Отклонённых строк нет.")


def _delete(batch_id: int, file_name: str, sha256: str) -> None:
    con = state.connection()
    if store.delete_batch(con, batch_id):
        audit.record(con, workspace.username(), "delete", batch_id=batch_id, file=file_name, sha256=sha256)
        uploads.remove_original_if_unused(con, workspace.uploads_folder(), sha256, file_name)
        workspace.data_changed()
        st.session_state[DELETED] = f"Пакет №{batch_id} «{file_name}» удалён со всеми записями."
    st.session_state[CONFIRM] = False
    st.session_state.pop(PICK, None)


def delete_form(row: dict) -> None:
    batch_id = int(row["batch_id"])
    st.markdown("**Удаление пакета**")
    sure = st.checkbox(f"Да, удалить пакет №{batch_id} «{row['file_name']}»: его {fmt.number(row['rows_loaded'])} "
                       "записей исчезнут со всех страниц", key=CONFIRM)
    st.button("Удалить пакет", type="primary", key="delete_batch", disabled=not sure, icon=":material/delete:",
              on_click=_delete, args=(batch_id, row["file_name"], row["sha256"]))


def deleted_message() -> None:
    text = st.session_state.pop(DELETED, None)
    if text:
        st.success(text, icon=":material/delete:")


def audit_log(con) -> None:
    entries = audit.entries(con, limit=200)
    entries = entries[entries["action"].isin(["upload", "replace", "delete"])]
    with st.expander(f"Журнал действий: загрузки, замены, удаления ({len(entries)})"):
        if entries.empty:
            st.caption("Записей нет.")
            return
        st.dataframe(entries.rename(columns={"logged_at": "Когда", "username": "Кто", "action": "Действие",
                                             "details": "Подробности"})[["Когда", "Кто", "Действие", "Подробности"]],
                     hide_index=True, key="audit_table")
