"""The upload page's two editors: the column mapping (remembered for files with the same headers) and the
region names the loader was not sure of (confirmed or corrected before the commit).

The editors' columns and cell values are stable (Russian field labels and region names, as the loader knows
them); only the headers and the shown labels follow the interface language (format_func), so a language switch
keeps the analyst's corrections."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from loaders.fields import FIELD_LABELS_RU, FIELDS
from loaders.gazetteer import regions as gazetteer_regions
from prevention.app.components import fmt, tables
from prevention.app.components.safe import inert
from prevention.app.session.i18n import lang, tr
from prevention.texts import matches as match_texts

if TYPE_CHECKING:
    from prevention.app.panels.upload import Base, Summary

NONE_LABEL = "— не использовать —"   # cell values (stable); shown as tr("upload.map.none")
REJECT_LABEL = "— отклонить строки —"  # shown as tr("upload.regions.reject")
UNSURE_METHODS = {"fuzzy", "rule", "unknown"}
NOT_IN_GAZETTEER = "not-found"  # the note of a region text found only in rejected rows


def method_label(method: str, note: str | None = None) -> str:
    """How a region text was matched, in the interface language (prevention.texts.matches)."""
    return match_texts.method_label(method, note, lang())


def _note(match: dict) -> str:
    return match_texts.note_label(match, lang())


# ---------------------------------------------------------------- column mapping

def _field_label(name: str | None) -> str:
    return FIELD_LABELS_RU.get(name, NONE_LABEL) if name else NONE_LABEL


_LABEL_FIELDS = {FIELD_LABELS_RU[f]: f for f in FIELDS}


def field_shown(label_ru: str) -> str:
    """A mapping cell (the Russian field label) in the interface language."""
    field = _LABEL_FIELDS.get(label_ru)
    return tr(f"upload.field.{field}") if field else tr("upload.map.none")


def _certainty(base: Base, header: str, saved: dict) -> float:
    """How sure the reader was of a column (1 when the analyst decided it)."""
    return 1.0 if header in saved else float(base.confidence.get(header) or 0.0)


def _grounds(base: Base, header: str, saved: dict) -> str:
    """Why the column got its field: the header's words, its values, both; the analyst; its column group."""
    if header in saved:
        return tr("upload.map.by_analyst")
    evidence = base.evidence.get(header) or {}
    if not base.auto.get(header):
        return ""
    words, values = evidence.get("header", 0) > 0, evidence.get("values", 0) > 0
    key = "both" if words and values else "header" if words else "values" if values else "header"
    text = tr(f"upload.map.by_{key}")
    group = base.group.get(header)
    return text + (" · " + tr("upload.map.in_group", group=group) if group else "")


def mapping_editor(base: Base, remembered: dict | None, tag: str) -> tuple[dict, dict | None]:
    """The editable mapping; returns (column overrides for the loader, corrections to remember or None)."""
    saved = (remembered or {}).get("overrides", {})
    auto = base.auto
    if not auto:  # a table of another kind (BNS population): its columns are read by their layout, nothing to map
        return {}, None
    initial = {h: saved[h] if h in saved else auto[h] for h in auto}
    table = pd.DataFrame({"Лист": list(base.sheets.values()), "Столбец в файле": list(auto),
                          "Поле": [_field_label(initial[h]) for h in auto],
                          "Уверенность": [_certainty(base, h, saved) for h in auto],
                          "Основание": [_grounds(base, h, saved) for h in auto]}, dtype=object)
    recognised = sum(1 for v in initial.values() if v)
    field_options = [*(FIELD_LABELS_RU[f] for f in FIELDS), NONE_LABEL]
    with st.expander(tr("upload.map.title", recognised=recognised, total=len(auto)), expanded=bool(saved)):
        if remembered:
            st.info(tr("upload.map.remembered", user=inert(remembered["updated_by"]) or tr("upload.map.nobody"),
                       when=fmt.date_time(remembered["updated_at"])), icon=":material/bookmark:")
        st.caption(tr("upload.map.help"))
        edited = st.data_editor(
            table, key=f"map_{tag}", hide_index=True, num_rows="fixed",
            disabled=["Лист", "Столбец в файле", "Уверенность", "Основание"],
            column_config={
                "Лист": st.column_config.TextColumn(tr("upload.map.sheet"), width="small"),
                "Столбец в файле": st.column_config.TextColumn(tr("upload.map.header"), width="large"),
                "Поле": st.column_config.SelectboxColumn(
                    tr("upload.map.field"), options=field_options,
                    format_func={o: field_shown(o) for o in field_options}.get, required=True),
                "Уверенность": st.column_config.ProgressColumn(tr("upload.map.confidence"), min_value=0.0,
                                                               max_value=1.0, format="percent", width="small"),
                "Основание": st.column_config.TextColumn(tr("upload.map.grounds"), width="medium"),
            },
        )
    chosen = {h: _LABEL_FIELDS.get(label) for h, label in zip(auto, edited["Поле"])}
    overrides = {h: f for h, f in chosen.items() if f != auto[h]}
    remember = overrides if overrides != saved else None
    return overrides, remember


# ---------------------------------------------------------------- region matches

def _unsure(match: dict) -> bool:
    return match["confidence"] < 1.0 or match["method"] in UNSURE_METHODS


def _sure_regions(sure: list[dict]) -> None:
    """The matches the reader was sure of, folded away for a look."""
    if not sure:
        return
    with st.expander(tr("upload.regions.sure", count=len(sure))):
        st.dataframe(tables.styled(pd.DataFrame({
            "text": [m["text"] for m in sure], "region": [fmt.region(m["region_code"]) for m in sure],
            "method": [method_label(m["method"], m.get("note")) for m in sure],
            "rows": [m["rows"] for m in sure]})), hide_index=True,
            column_config={"text": tr("upload.regions.text"), "region": tr("upload.regions.region"),
                           "method": tr("upload.regions.method"), "rows": tr("upload.regions.rows")})


def _read_as(m: dict, names: dict[str, str]) -> str:
    region = fmt.region(m["region_code"]) if m["region_code"] in names else tr("upload.regions.not_found")
    note = _note(m)
    percent = fmt.number(m["confidence"] * 100) + ("%" if lang() == "en" else " %")
    return f"{region} · {method_label(m['method'], m.get('note'))} · {percent}" + (f" · {note}" if note else "")


def _unsure_editor(unsure: list[dict], suggested: list[str], names: dict[str, str], tag: str) -> pd.DataFrame:
    codes = {v: k for k, v in names.items()}
    table = pd.DataFrame({
        "Как написано": [m["text"] for m in unsure],
        "Строк": [m["rows"] for m in unsure],
        "Регион": suggested,
        "Подтверждено": [False] * len(unsure),
        "Как прочитано": [_read_as(m, names) for m in unsure],
    }, dtype=object)
    region_options = [*names.values(), REJECT_LABEL]
    region_shown = {name: fmt.region(codes[name]) if name in codes else tr("upload.regions.reject")
                    for name in region_options}
    st.warning(tr("upload.regions.check", count=len(unsure)), icon=":material/help:")
    return st.data_editor(
        table, key=f"regions_{tag}", hide_index=True, num_rows="fixed",
        disabled=["Как написано", "Строк", "Как прочитано"],
        column_config={
            "Как написано": st.column_config.TextColumn(tr("upload.regions.text"), width="medium"),
            "Строк": st.column_config.NumberColumn(tr("upload.regions.rows"), width="small"),
            "Регион": st.column_config.SelectboxColumn(tr("upload.regions.region"),
                                                       options=region_options, format_func=region_shown.get,
                                                       required=True, width="medium"),
            "Подтверждено": st.column_config.CheckboxColumn(tr("upload.regions.confirmed"), width="medium"),
            "Как прочитано": st.column_config.TextColumn(tr("upload.regions.read_as"), width="large"),
        },
    )


def region_editor(summary: Summary, tag: str) -> tuple[dict, int]:
    """Uncertain region matches to confirm or correct; returns (region overrides, how many are unconfirmed)."""
    names = {r["region_code"]: r["name_ru"] for r in gazetteer_regions()}
    codes = {v: k for k, v in names.items()}
    matches = summary.report.region_matches
    unsure = [m for m in matches if _unsure(m)]
    known = {m["text"] for m in matches}
    unsure += [{"text": text, "region_code": None, "confidence": 0.0, "method": "unknown",
                "note": NOT_IN_GAZETTEER, "rows": rows}
               for text, rows in summary.unknown_regions.items() if text not in known]
    _sure_regions([m for m in matches if not _unsure(m)])
    if not unsure:
        return {}, 0
    suggested = [names.get(m["region_code"], REJECT_LABEL) if m["region_code"] else REJECT_LABEL for m in unsure]
    edited = _unsure_editor(unsure, suggested, names, tag)
    confirm_all = st.checkbox(tr("upload.regions.confirm_all"), key=f"confirm_all_{tag}")
    overrides, pending = {}, 0
    for (_, row), initial in zip(edited.iterrows(), suggested):
        if confirm_all or bool(row["Подтверждено"]) or row["Регион"] != initial:
            overrides[row["Как написано"]] = codes.get(row["Регион"])
        else:
            pending += 1
    if pending:
        st.caption(tr("upload.regions.pending", count=pending))
    return overrides, pending
