"""Whether an uploaded file replaces a stored batch. Never by default: a file is a new batch unless the analyst
chooses a batch of the same file lineage (the same file name) and confirms it by its number, file name and row
count. The confirmation's key names the batch and its bytes, so it never carries over to another batch; the use
case then refuses the replacement if that batch was deleted or replaced meanwhile.

A file of corrected rejected rows (`<name>_отклонённые.xlsx` with a «Причина» column) is a new batch recorded
as fixing the batch it came from; that batch's loaded rows stay."""
from __future__ import annotations

import streamlit as st

from prevention.app.components import fmt
from prevention.app.components.safe import inert
from prevention.app.session.i18n import tr
from prevention.queries import loads
from prevention.usecases.load import Replacement, fixed_batch

NEW_BATCH = 0  # the choice "load as a new batch" (batch ids start at 1)


def replace_choice(con, name: str, sha: str, tag: str, headers: list[str]) -> tuple[Replacement | None, bool]:
    """(the confirmed replacement or None, whether the file is ready as far as this choice goes)."""
    fixes = fixed_batch(con.cursor(), name, headers)
    if fixes is not None:
        st.info(tr("upload.fixes", batch=fixes), icon=":material/build:")
    earlier = loads.same_file_batches(con, name, sha)
    if earlier.empty:
        return None, True
    rows = {int(r.batch_id): r for r in earlier.itertuples()}
    labels = {NEW_BATCH: tr("upload.replace.separate")}
    labels.update({batch_id: tr("upload.replace.batch", batch=batch_id, file=inert(r.file_name),
                                when=fmt.date_time(r.loaded_at), rows=fmt.number(r.rows_loaded),
                                why=tr("upload.replace.same_name"))
                   for batch_id, r in rows.items()})
    st.info(tr("upload.replace.info"), icon=":material/published_with_changes:")
    choice = st.radio(tr("upload.replace.question"), list(labels), format_func=labels.get, key=f"replace_{tag}",
                      index=0)
    if choice == NEW_BATCH or choice not in rows:
        return None, True
    row = rows[choice]
    sure = st.checkbox(tr("upload.replace.confirm", batch=choice, file=inert(row.file_name),
                          rows=fmt.number(row.rows_loaded)),
                       key=f"replace_confirm_{tag}_{choice}_{row.sha256[:16]}")
    if not sure:
        st.caption(tr("upload.replace.unconfirmed"))
        return None, False
    return Replacement(choice, row.sha256), True
