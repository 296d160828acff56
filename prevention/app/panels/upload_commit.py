"""The upload page's commit: every planned file loaded through the load use case (rights, the original kept, the
mapping remembered, the audit entry: all in it) under a progress bar; then a summary per file."""
from __future__ import annotations

import streamlit as st

from loaders.problems import Problem
from prevention.app.components import fmt
from prevention.app.components.safe import inert
from prevention.app.panels.upload import Plan, duplicate_text, failure_text, parsed_for
from prevention.app.session import auth, state
from prevention.app.session.i18n import lang, tr
from prevention.output import rejected
from prevention.storage import batches
from prevention.usecases.load import load_file

RESULTS = "_upload_results"  # summaries of the last commit


def commit(plans: list[Plan], files: dict, con) -> list[dict]:
    """Load every planned file (one unit each) with a progress bar; returns a summary per file."""
    actor = auth.actor()
    progress = st.progress(0.0, text=tr("upload.progress.start"))
    results = []
    for index, plan in enumerate(plans):
        progress.progress(index / len(plans), text=tr("upload.progress.file", index=index + 1, total=len(plans),
                                                      name=inert(plan.name)))
        report = load_file(con, files[plan.file_id].getvalue(), plan.name, actor, options=plan.options,
                           replace=plan.replace, parsed=parsed_for(plan))
        loaded = report.status == "loaded"
        results.append({
            "file": plan.name, "status": report.status, "batch_id": report.batch_id,
            "rows_read": report.rows_read, "rows_loaded": report.rows_loaded, "rows_skipped": report.rows_skipped,
            "rows_rejected": report.rows_rejected, "duplicate_of": report.duplicate_of, "titles": plan.titles,
            "failure": report.failure.to_dict() if report.failure else None,
            "replaced": plan.replace.batch_id if plan.replace and loaded else None})
        del report
    progress.progress(1.0, text=tr("upload.progress.done", total=len(plans)))
    return results


def hide_results() -> None:
    st.session_state.pop(RESULTS, None)


def show_results(results: list[dict], con) -> None:
    st.subheader(tr("upload.result.title"))
    for index, r in enumerate(results):
        name = inert(r["file"])
        if r["status"] == "duplicate":
            st.warning(tr("upload.result.duplicate", file=name, text=duplicate_text(r["duplicate_of"] or {})),
                       icon=":material/content_copy:")
            continue
        if r["status"] != "loaded":
            failure = Problem.from_dict(r["failure"]) if r["failure"] else None
            st.error(tr("upload.result.failed", file=name, reason=failure_text(failure)).rstrip(),
                     icon=":material/error:")
            continue
        text = tr("upload.result.loaded", file=name, batch=r["batch_id"], loaded=fmt.number(r["rows_loaded"]),
                  skipped=fmt.number(r["rows_skipped"]), rejected=fmt.number(r["rows_rejected"]),
                  read=fmt.number(r["rows_read"]))
        if r["replaced"]:
            text += " " + tr("upload.result.replaced", batch=r["replaced"])
        (st.success if not r["rows_rejected"] else st.warning)(text, icon=":material/task_alt:")
        if r["rows_rejected"]:
            _rejected_button(r, index)


def _rejected_button(result: dict, index: int) -> None:
    batch_id, titles, language = result["batch_id"], result["titles"], lang()
    st.download_button(
        tr("upload.result.download_rejected", file=inert(result["file"])),
        data=lambda: rejected.rejected_workbook(batches.rejected_rows(state.connection(), batch_id), titles, language),
        file_name=rejected.rejected_file_name(result["file"], language), mime=rejected.XLSX_MIME,
        key=f"result_rejected_{index}", on_click="ignore", icon=":material/download:")
