"""Downloads of a query result in the reader's language (Russian, Kazakh or English): column headers and coded
values (period kinds, counting, forms, audiences, regions) in words, the filters that made the file, and two CSV
flavours: plain (comma, decimal point, UTF-8 with BOM) and «CSV для Excel» (semicolon and decimal comma, which
Excel in Russian or Kazakh opens in columns).

A CSV has no cell types, so a text that Excel would read as a formula (starting with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe there; numbers and dates are never touched. The workbook
(prevention.output.workbook) writes text cells as strings, which are never formulas, so it needs no prefix.
"""
from __future__ import annotations

import pandas as pd

from prevention.texts import catalogue, region_name, t, vocab_label

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
VALUE_KEYS = {"period_kind": "export.kind", "counting": "export.counting", "reason": "export.reason"}
VOCABULARY = ("event_type", "audience")  # stored as the reports' Russian words; shown in the reader's language


def column_label(name: str, lang: str = "ru") -> str:
    """The header of a known column in `lang` (its code for a column no catalogue names)."""
    key = f"export.col.{name}"
    return t(key, lang) if key in catalogue("ru") else str(name)


def headers(df: pd.DataFrame, lang: str = "ru") -> pd.DataFrame:
    """The frame with known column names replaced by their labels in `lang` (others kept)."""
    return df.rename(columns={c: column_label(c, lang) for c in df.columns})


def readable(df: pd.DataFrame, lang: str = "ru") -> pd.DataFrame:
    """A copy with coded values in words: period kind, counting, why not counted, event form and audience (from the
    catalogues), and the region's name in `lang` where the region code is known."""
    out = df.copy()
    for column, prefix in VALUE_KEYS.items():
        if column in out.columns:
            words = {v: t(f"{prefix}.{v}", lang) for v in out[column].dropna().unique()
                     if f"{prefix}.{v}" in catalogue("ru")}
            out[column] = out[column].map(lambda v, w=words: w.get(v, v))
    for column in VOCABULARY:
        if column in out.columns and lang != "ru":
            words = {v: vocab_label(column, v, lang) for v in out[column].dropna().unique()}
            out[column] = out[column].map(lambda v, w=words: w.get(v, v))
    if "region" in out.columns and "region_code" in out.columns and lang != "ru":
        names = {c: region_name(c, lang) for c in out["region_code"].dropna().unique()}
        out["region"] = [names.get(c, r) for c, r in zip(out["region_code"], out["region"])]
    return out


def neutralise(value):
    """A text that Excel would evaluate gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISER + value
    return value


def _neutralised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)
                or pd.api.types.is_bool_dtype(series)):
            out[column] = series.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, lang: str = "ru", *, labelled: bool = True,
                 filters: list[tuple[str, str]] | None = None, excel: bool = False) -> bytes:
    """UTF-8 with a BOM (Excel recognises the encoding). With `filters`, the file opens with them (one «name,
    value» line each) and a blank line above the table, so the file says which filters made it. `excel`: semicolons
    and decimal commas; otherwise commas and decimal points. `labelled`: headers and values in words in `lang`
    (False for a frame whose columns are labelled already)."""
    sep, decimal = (";", ",") if excel else (",", ".")
    frame = _neutralised(headers(readable(df, lang), lang) if labelled else df)
    body = frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    if filters:
        top = pd.DataFrame([(k, "" if v is None else str(v)) for k, v in filters])
        body = _neutralised(top).to_csv(index=False, header=False, sep=sep, lineterminator="\r\n") + "\r\n" + body
    return body.encode("utf-8-sig")
