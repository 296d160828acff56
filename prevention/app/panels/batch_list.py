"""The batches page's parts: the list of loads, one batch's downloads and its deletion with confirmation."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders.problems import Problem
from prevention import texts
from prevention.app.components import fmt, tables
from prevention.app.components.safe import inert, inert_problem
from prevention.app.panels.upload import shape_label
from prevention.app.session import auth, links, state, workspace
from prevention.app.session.i18n import lang, tr
from prevention.output import rejected
from prevention.queries import loads
from prevention.storage import audit, batches, originals
from prevention.texts import problem_message as problem_text
from prevention.texts.audit import describe
from prevention.usecases.batches import delete_batch
from prevention.usecases.rights import require

PICK = "batch_pick"
CONFIRM = "batch_delete_confirm"  # + _<batch>_<bytes>_<data version>: a tick never carries over to another batch
DELETED = "_batch_deleted"        # what the last deletion did (done, or the problem), shown on the next run


def table(batches: pd.DataFrame) -> None:
    shown = batches.assign(
        shape=batches["shape"].map(shape_label),
        period=[fmt.period(_day(a), _day(b)) if pd.notna(a) else "—"
                for a, b in zip(batches["first_day"], batches["last_day"])],
        loaded_by=batches["loaded_by"].fillna("—"),
        fixes=[f"№{int(v)}" if pd.notna(v) else "" for v in batches["fixes_batch_id"]],
    )
    c = st.column_config
    st.dataframe(
        tables.styled(shown[["batch_id", "file_name", "rows_loaded", "rows_rejected", "rows_skipped", "shape",
                             "loaded_by", "loaded_at", "period", "regions", "rows_read", "fixes", "is_demo"]]),
        hide_index=True, key="batches_table",
        column_config={
            "batch_id": c.NumberColumn(tr("batches.col.batch_id"), format="%d", width="small"),
            "file_name": c.TextColumn(tr("batches.col.file_name"), width="medium"),
            "shape": c.TextColumn(tr("batches.col.shape")),
            "loaded_by": c.TextColumn(tr("batches.col.loaded_by")),
            "loaded_at": c.DatetimeColumn(tr("batches.col.loaded_at"), format=fmt.datetime_format()),
            "period": c.TextColumn(tr("batches.col.period")),
            "regions": c.NumberColumn(tr("batches.col.regions"), format="%d"),
            "rows_read": c.NumberColumn(tr("batches.col.rows_read")),
            "rows_loaded": c.NumberColumn(tr("batches.col.rows_loaded")),
            "rows_skipped": c.NumberColumn(tr("batches.col.rows_skipped")),
            "rows_rejected": c.NumberColumn(tr("batches.col.rows_rejected")),
            "fixes": c.TextColumn(tr("batches.col.fixes")),
            "is_demo": c.CheckboxColumn(tr("batches.col.is_demo")),
        },
    )


def _day(value):
    return None if pd.isna(value) else pd.Timestamp(value).date()


def label(row, language: str | None = None) -> str:
    """«№3 · june.xlsx · 25 июня 2025, 14:05»."""
    when = fmt.date_time(pd.Timestamp(row.loaded_at).to_pydatetime(), language)
    return f"{texts.t('batches.number', language or lang(), batch=int(row.batch_id))} · {row.file_name} · {when}"


def pick(batches: pd.DataFrame) -> dict | None:
    rows = {int(r.batch_id): r for r in batches.itertuples()}
    labels = {batch_id: label(row) for batch_id, row in rows.items()}  # built now, in this run's language
    links.keep(PICK)
    if st.session_state.get(PICK) not in rows:  # a deleted batch: say which one is shown now, so the box shows it too
        st.session_state[PICK] = next(iter(rows))
    chosen = st.selectbox(tr("batches.pick"), list(rows), format_func=labels.get, key=PICK)
    return None if chosen is None else rows[chosen]._asdict()


def downloads(row: dict) -> None:
    """The original and the rejected rows; each file is built when clicked, after the rights are read again."""
    folder, actor = workspace.uploads_folder(), auth.actor()
    left, right = st.columns(2)
    path = originals.original_path(folder, row["sha256"], row["file_name"]) if len(row["sha256"]) == 64 else None

    def original() -> bytes:
        require(state.connection(), actor, "analyst")  # Forbidden: no file
        return path.read_bytes()

    if path is not None and path.exists():
        left.download_button(tr("batches.download_original"), data=original,
                             file_name=row["file_name"],
                             mime=originals.MIME_TYPES.get(path.suffix, "application/octet-stream"),
                             key="download_original", on_click="ignore", icon=":material/download:")
    else:
        left.caption(tr("batches.no_original"))
    if row["rows_rejected"]:
        batch_id, language = int(row["batch_id"]), lang()

        def rejected_rows() -> bytes:
            con = state.connection()
            require(con, actor, "analyst")
            return rejected.rejected_workbook(batches.rejected_rows(con, batch_id), loads.batch_titles(con, batch_id),
                                              language)

        right.download_button(tr("batches.download_rejected", count=fmt.number(row["rows_rejected"])),
                              data=rejected_rows, mime=rejected.XLSX_MIME,
                              file_name=rejected.rejected_file_name(row["file_name"], language),
                              key="download_rejected", on_click="ignore", icon=":material/download:",
                              help=tr("batches.download_rejected_help"))
    else:
        right.caption(tr("batches.no_rejected"))


def confirm_key(row: dict, version: int) -> str:
    """The delete confirmation's key: the batch, its bytes and the data version, so a tick is reset whenever the
    selection or the data changes (another session deleted or loaded something)."""
    return f"{CONFIRM}_{int(row['batch_id'])}_{row['sha256'][:16]}_{version}"


def _delete(batch_id: int, file_name: str, sha256: str) -> None:
    """on_click: the use case checks the rights now and that batch `batch_id` still holds these bytes."""
    con = state.connection()
    problem = delete_batch(con, auth.actor(), batch_id, sha256, uploads_dir=workspace.uploads_folder())
    if problem is None:
        workspace.data_changed()
        st.session_state.pop(PICK, None)
    st.session_state[DELETED] = (batch_id, file_name, problem.to_dict() if problem else None)


def delete_form(row: dict, version: int) -> None:
    batch_id = int(row["batch_id"])
    st.markdown(tr("batches.delete.title"))
    sure = st.checkbox(tr("batches.delete.confirm", batch=batch_id, file=inert(row["file_name"]),
                          rows=fmt.number(row["rows_loaded"])), key=confirm_key(row, version))
    st.button(tr("batches.delete.button"), type="primary", key=f"delete_batch_{batch_id}", disabled=not sure,
              icon=":material/delete:", on_click=_delete, args=(batch_id, row["file_name"], row["sha256"]))


def deleted_message() -> None:
    deleted = st.session_state.pop(DELETED, None)
    if not deleted:
        return
    batch_id, file_name, problem = deleted
    if problem is None:
        st.success(tr("batches.deleted", batch=batch_id, file=inert(file_name)), icon=":material/delete:")
    else:
        st.error(problem_text(inert_problem(Problem.from_dict(problem)), lang()), icon=":material/error:")


def _action(action: str) -> str:
    key = f"audit.action.{action}"
    return tr(key) if key in texts.catalogue(texts.DEFAULT) else action


def audit_log(con) -> None:
    entries = audit.entries(con, limit=200)
    entries = entries[entries["action"].isin(["upload", "replace", "delete"])]
    with st.expander(tr("batches.log.title", count=len(entries))):
        if entries.empty:
            st.caption(tr("batches.log.empty"))
            return
        shown = entries.assign(action=entries["action"].map(_action),
                               details=[describe(d, lang()) for d in entries["details"]],
                               username=entries["username"].fillna("—"))[["logged_at", "username", "action", "details"]]
        c = st.column_config
        st.dataframe(shown, hide_index=True, key="audit_table", column_config={
            "logged_at": c.DatetimeColumn(tr("batches.log.when"), format=fmt.datetime_format()),
            "username": c.TextColumn(tr("batches.log.who")),
            "action": c.TextColumn(tr("batches.log.action")),
            "details": c.TextColumn(tr("batches.log.details")),
        })
