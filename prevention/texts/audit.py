"""An audit entry's details (stored as JSON) in words, in the reader's language: «Файл: june.xlsx · Пакет: №3 ·
Загружено строк: 120», never raw JSON or internal codes. Keys and coded values are catalogue entries
(`audit.key.<key>`, `audit.value.<key>.<value>`); a key the catalogue does not know is left out."""
from __future__ import annotations

import json
from datetime import date, datetime

from prevention.texts import formats
from prevention.texts.lookup import DEFAULT, catalogue, region_name, t, vocab_label

CODED = {"method", "reason", "shape", "change", "channel", "format", "role", "what", "active", "demo"}
BATCHES = {"batch_id", "replaced_batch_id", "fixes_batch_id"}
HIDDEN = {"sha256", "actor"}
SEPARATOR = " · "


def _known(key: str) -> bool:
    return key in catalogue(DEFAULT)


def _coded(key: str, value, lang: str) -> str:
    values = value if isinstance(value, list) else [value]
    shown = []
    for item in values:
        name = f"audit.value.{key}.{str(item).lower()}"
        shown.append(t(name, lang) if _known(name) else str(item))
    return ", ".join(shown)


def _filters(filters: dict, lang: str) -> str:
    parts = []
    start, end = filters.get("date_from"), filters.get("date_to")
    if start or end:
        parts.append(f"{_day(start, lang)} – {_day(end, lang)}")
    if filters.get("regions"):
        parts.append(", ".join(region_name(code, lang) for code in filters["regions"]))
    for key, kind in (("event_types", "event_type"), ("audiences", "audience")):
        if filters.get(key):
            parts.append(", ".join(vocab_label(kind, v, lang) for v in filters[key]))
    if filters.get("organizers"):
        parts.append(", ".join(map(str, filters["organizers"])))
    return "; ".join(parts) or t("audit.value.filters.none", lang)


def _day(value, lang: str) -> str:
    if not value:
        return "…"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return formats.short_date(value, lang)


def _value(key: str, value, lang: str) -> str:
    if key in CODED:
        return _coded(key, value, lang)
    if key in BATCHES:
        return t("audit.value.batch", lang, batch=value)
    if key == "filters" and isinstance(value, dict):
        return _filters(value, lang)
    if key.endswith("_until") or key.endswith("_at"):
        try:
            return formats.date_time(datetime.fromisoformat(str(value)), lang)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return t(f"audit.value.bool.{str(value).lower()}", lang)
    if isinstance(value, (int, float)):
        return formats.number(value, lang)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def describe(details, lang: str | None = DEFAULT) -> str:
    """The details of one entry in words; «—» when there are none."""
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            return details
    if not isinstance(details, dict) or not details:
        return "—"
    parts = []
    for key, value in details.items():
        if key in HIDDEN or value in (None, "", [], {}) or not _known(f"audit.key.{key}"):
            continue
        if key == "channel" and value == "web":
            continue
        parts.append(f"{t(f'audit.key.{key}', lang)}: {_value(key, value, lang)}")
    return SEPARATOR.join(parts) or "—"
