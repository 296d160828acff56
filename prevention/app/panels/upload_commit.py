"""The upload page's commit: every planned file stored in its own transaction under a progress bar, the original
kept by its hash, the corrected mapping remembered, an audit entry written; then a summary per file."""
from __future__ import annotations

import streamlit as st

import loaders
from prevention.storage import audit
from prevention.storage import batches
from prevention.queries import loads
from prevention.storage import mappings
from prevention.storage import originals
from prevention.output import rejected
from prevention.app.components import fmt
from prevention.app.session import state
from prevention.app.session import workspace
from prevention.app.session.i18n import tr
from prevention.app.panels.upload import Plan, duplicate_text, failure_text

RESULTS = "_upload_results"  # summaries of the last commit


def commit(plans: list[Plan], files: dict, con) -> list[dict]:
    """Store every planned file (one transaction each) with a progress bar; returns a summary per file."""
    user, folder = workspace.username(), workspace.uploads_folder()
    progress = st.progress(0.0, text=tr("upload.progress.start"))
    results = []
    for index, plan in enumerate(plans):
        progress.progress(index / len(plans), text=tr("upload.progress.file", index=index + 1, total=len(plans),
                                                      name=plan.name))
        data = files[plan.file_id].getvalue()
        replaced = loads.batch(con, plan.replace_batch_id) if plan.replace_batch_id is not None else None
        parsed = loaders.ingest_bytes(con, data, plan.name, loaded_by=user, options=plan.options,
                                      replace_batch_id=plan.replace_batch_id)
        report = parsed.report
        result = {"file": plan.name, "status": report.status, "batch_id": report.batch_id,
                  "rows_read": report.rows_read, "rows_loaded": report.rows_loaded,
                  "rows_skipped": report.rows_skipped, "rows_rejected": report.rows_rejected,
                  "error": report.error, "error_code": report.error_code, "duplicate_of": report.duplicate_of, "titles": plan.titles,
                  "replaced": plan.replace_batch_id if replaced else None}
        if report.status == "loaded" and report.batch_id is not None:
            originals.save_original(folder, report.sha256, plan.name, data)
            if plan.remember is not None and plan.signature:
                mappings.remember_mapping(con, plan.signature, plan.headers, plan.remember, user)
            details = {"file": plan.name, "batch_id": report.batch_id, "sha256": report.sha256,
                       "shape": report.shape, "rows_loaded": report.rows_loaded,
                       "rows_skipped": report.rows_skipped, "rows_rejected": report.rows_rejected}
            if replaced:
                details["replaced_batch_id"] = replaced["batch_id"]
                originals.remove_original_if_unused(con, folder, replaced["sha256"], replaced["file_name"])
            audit.record(con, user, "replace" if replaced else "upload", **details)
        results.append(result)
        del data, parsed
    progress.progress(1.0, text=tr("upload.progress.done", total=len(plans)))
    return results


def hide_results() -> None:
    st.session_state.pop(RESULTS, None)


def show_results(results: list[dict], con) -> None:
    st.subheader(tr("upload.result.title"))
    for index, r in enumerate(results):
        if r["status"] == "duplicate":
            st.warning(tr("upload.result.duplicate", file=r["file"], text=duplicate_text(r["duplicate_of"] or {})),
                       icon=":material/content_copy:")
            continue
        if r["status"] != "loaded":
            st.error(tr("upload.result.failed", file=r["file"],
                        reason=failure_text(r["error"], r.get("error_code"))).rstrip(), icon=":material/error:")
            continue
        text = tr("upload.result.loaded", file=r["file"], batch=r["batch_id"], loaded=fmt.number(r["rows_loaded"]),
                  skipped=fmt.number(r["rows_skipped"]), rejected=fmt.number(r["rows_rejected"]),
                  read=fmt.number(r["rows_read"]))
        if r["replaced"]:
            text += " " + tr("upload.result.replaced", batch=r["replaced"])
        (st.success if not r["rows_rejected"] else st.warning)(text, icon=":material/task_alt:")
        if r["rows_rejected"]:
            batch_id, titles = r["batch_id"], r["titles"]
            st.download_button(
                tr("upload.result.download_rejected", file=r["file"]),
                data=lambda b=batch_id, t=titles: rejected.rejected_workbook(batches.rejected_rows(state.connection(), b), t),
                file_name=rejected.rejected_file_name(r["file"]), mime=rejected.XLSX_MIME, key=f"result_rejected_{index}",
                on_click="ignore", icon=":material/download:")
