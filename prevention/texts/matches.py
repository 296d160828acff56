"""How a region text was matched, in words: the upload page's table and the command line's report say the same."""
from __future__ import annotations

from prevention.texts.lookup import DEFAULT, region_name, t

METHODS = ("exact", "short-form", "rule", "fuzzy", "confirmed", "placed", "unknown")  # keys «upload.method.<m>»
# The reader's note codes on a region match -> catalogue keys.
NOTES = {"bare-almaty": "upload.note.almaty", "bare-almaty-region": "upload.note.bare_almaty",
         "empty": "upload.note.empty", "not-found": "upload.note.not_found", "confirmed": "upload.note.confirmed",
         "unit": "upload.note.unit", "too-long": "upload.note.too_long", "spelling": "upload.note.spelling"}


def method_label(method: str, note: str | None = None, lang: str | None = DEFAULT) -> str:
    """How a region text was matched; a name found only once folded («Жамбылськая») is not called exact."""
    if note == "spelling" and method in ("exact", "short-form"):
        return t("upload.method.spelling", lang)
    return t(f"upload.method.{method}", lang) if method in METHODS else method


def note_label(match: dict, lang: str | None = DEFAULT) -> str:
    """What the reader noted about a match («похоже на …», «не регион: …»), or ""."""
    note = match.get("note") or ""
    if match["method"] == "fuzzy" and match.get("region_code"):
        return t("upload.note.similar", lang, region=region_name(match["region_code"], lang))
    return t(NOTES[note], lang) if note in NOTES else ""
