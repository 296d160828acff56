"""The upload page's two editors: the column mapping (remembered for files with the same headers) and the
region names the loader was not sure of (confirmed or corrected before the commit)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from loaders.columns import FIELD_LABELS_RU, FIELDS
from loaders.gazetteer import regions as gazetteer_regions
from ui import fmt

if TYPE_CHECKING:
    from ui.upload import Base, Summary

NONE_LABEL = "— не использовать —"
REJECT_LABEL = "— отклонить строки —"
UNSURE_METHODS = {"fuzzy", "rule", "unknown"}
METHOD_LABELS = {"exact": "точное совпадение", "short-form": "сокращённое название", "rule": "по правилу",
                 "fuzzy": "похожее написание", "confirmed": "подтверждено", "unknown": "не найден"}


# ---------------------------------------------------------------- column mapping

def _field_label(name: str | None) -> str:
    return FIELD_LABELS_RU.get(name, NONE_LABEL) if name else NONE_LABEL


_LABEL_FIELDS = {FIELD_LABELS_RU[f]: f for f in FIELDS}


def mapping_editor(base: Base, remembered: dict | None, tag: str) -> tuple[dict, dict | None]:
    """The editable mapping; returns (column overrides for the loader, corrections to remember or None)."""
    saved = (remembered or {}).get("overrides", {})
    auto = base.auto
    initial = {h: saved[h] if h in saved else auto[h] for h in auto}
    table = pd.DataFrame({"Лист": list(base.sheets.values()), "Столбец в файле": list(auto),
                          "Поле": [_field_label(initial[h]) for h in auto]}, dtype=object)
    recognised = sum(1 for v in initial.values() if v)
    with st.expander(f"Сопоставление столбцов: распознано {recognised} из {len(auto)}", expanded=bool(saved)):
        if remembered:
            st.info(f"Применено сохранённое сопоставление для файлов с такими же заголовками "
                    f"(исправил {remembered['updated_by'] or 'не указан'}, "
                    f"{fmt.datetime_ru(remembered['updated_at'])}).", icon=":material/bookmark:")
        st.caption("Если столбец распознан неверно, выберите правильное поле. Исправление запомнится для файлов "
                   "с такими же заголовками после загрузки.")
        edited = st.data_editor(
            table, key=f"map_{tag}", hide_index=True, num_rows="fixed", disabled=["Лист", "Столбец в файле"],
            column_config={
                "Лист": st.column_config.TextColumn("Лист", width="small"),
                "Столбец в файле": st.column_config.TextColumn("Столбец в файле", width="large"),
                "Поле": st.column_config.SelectboxColumn(
                    "Поле", options=[*(FIELD_LABELS_RU[f] for f in FIELDS), NONE_LABEL], required=True),
            },
        )
    chosen = {h: _LABEL_FIELDS.get(label) for h, label in zip(auto, edited["Поле"])}
    overrides = {h: f for h, f in chosen.items() if f != auto[h]}
    remember = overrides if overrides != saved else None
    return overrides, remember


# ---------------------------------------------------------------- region matches

def _unsure(match: dict) -> bool:
    return match["confidence"] < 1.0 or match["method"] in UNSURE_METHODS


def region_editor(summary: Summary, tag: str) -> tuple[dict, int]:
    """Uncertain region matches to confirm or correct; returns (region overrides, how many are unconfirmed)."""
    names = {r["region_code"]: r["name_ru"] for r in gazetteer_regions()}
    codes = {v: k for k, v in names.items()}
    matches = summary.report.region_matches
    unsure = [m for m in matches if _unsure(m)]
    known = {m["text"] for m in matches}
    unsure += [{"text": text, "region_code": None, "confidence": 0.0, "method": "unknown",
                "note": "нет в справочнике", "rows": rows}
               for text, rows in summary.unknown_regions.items() if text not in known]
    sure = [m for m in matches if not _unsure(m)]
    if sure:
        with st.expander(f"Регионы распознаны уверенно: {len(sure)}"):
            st.dataframe(pd.DataFrame({
                "Как написано": [m["text"] for m in sure], "Регион": [names.get(m["region_code"]) for m in sure],
                "Способ": [METHOD_LABELS.get(m["method"], m["method"]) for m in sure],
                "Строк": [m["rows"] for m in sure]}), hide_index=True)
    if not unsure:
        return {}, 0
    suggested = [names.get(m["region_code"], REJECT_LABEL) if m["region_code"] else REJECT_LABEL for m in unsure]
    table = pd.DataFrame({
        "Как написано": [m["text"] for m in unsure],
        "Строк": [m["rows"] for m in unsure],
        "Регион": suggested,
        "Подтверждено": [False] * len(unsure),
        "Как прочитано": [f"{names.get(m['region_code'], 'не найден')} · {METHOD_LABELS.get(m['method'], m['method'])}"
                          f" · {fmt.number(m['confidence'] * 100)} %" + (f" · {m['note']}" if m["note"] else "")
                          for m in unsure],
    }, dtype=object)
    st.warning(f"Проверьте названия регионов ({len(unsure)}): они прочитаны не наверняка. Подтвердите или "
               "выберите правильный регион; без этого файл не загрузится.", icon=":material/help:")
    edited = st.data_editor(
        table, key=f"regions_{tag}", hide_index=True, num_rows="fixed",
        disabled=["Как написано", "Строк", "Как прочитано"],
        column_config={
            "Как написано": st.column_config.TextColumn("Как написано", width="medium"),
            "Строк": st.column_config.NumberColumn("Строк", width="small", format="%d"),
            "Регион": st.column_config.SelectboxColumn("Регион", options=[*names.values(), REJECT_LABEL],
                                                       required=True, width="medium"),
            "Подтверждено": st.column_config.CheckboxColumn("Подтверждено", width="medium"),
            "Как прочитано": st.column_config.TextColumn("Как прочитано", width="large"),
        },
    )
    confirm_all = st.checkbox("Подтвердить все предложенные сопоставления", key=f"confirm_all_{tag}")
    overrides, pending = {}, 0
    for (_, row), initial in zip(edited.iterrows(), suggested):
        if confirm_all or bool(row["Подтверждено"]) or row["Регион"] != initial:
            overrides[row["Как написано"]] = codes.get(row["Регион"])
        else:
            pending += 1
    if pending:
        st.caption(f"Не подтверждено: {pending}.")
    return overrides, pending
