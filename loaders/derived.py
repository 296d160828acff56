"""Sheets whose figures are formulas over other sheets: a «Свод» summing the month sheets of the same workbook.

Loading such a sheet beside its sources would count every event twice, so the reader leaves it out and says so.
A sheet counts as derived when most of its formulas refer to other sheets (`'Январь'!B3`, `[.B3]` in ODS) and it
has at least a few of them."""
from __future__ import annotations

import re
import zipfile

MIN_FORMULAS = 3
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*\"([^\"]*)\"[^>]*?\br:id\s*=\s*\"([^\"]*)\"")
_SHEET_ENTRY_REVERSED = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id\s*=\s*\"([^\"]*)\"[^>]*?\bname\s*=\s*\"([^\"]*)\"")
_RELATION = re.compile(rb"<Relationship\b[^>]*?\bId\s*=\s*\"([^\"]*)\"[^>]*?\bTarget\s*=\s*\"([^\"]*)\"")
_RELATION_REVERSED = re.compile(rb"<Relationship\b[^>]*?\bTarget\s*=\s*\"([^\"]*)\"[^>]*?\bId\s*=\s*\"([^\"]*)\"")
_ODS_TABLE = re.compile(rb"<table:table\b[^>]*?table:name\s*=\s*\"([^\"]*)\"")
_ODS_FORMULA = re.compile(rb"table:formula\s*=\s*\"([^\"]*)\"")


def _xml_unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&amp;", "&")


def _is_derived(total: int, crossing: int) -> bool:
    return crossing >= MIN_FORMULAS and crossing * 2 >= total


def derived_xlsx(archive: zipfile.ZipFile, formulas: dict[str, tuple[int, int]]) -> set[str]:
    """Sheet names of an xlsx whose formulas mostly refer to other sheets; `formulas` per member from the
    pre-check's scan: (formulas, formulas with «!»)."""
    if not any(_is_derived(*counts) for counts in formulas.values()):
        return set()
    return {name for member, name in sheet_members(archive).items() if _is_derived(*formulas.get(member, (0, 0)))}


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """The worksheet parts of an xlsx and the sheet names they hold: {"xl/worksheets/sheet1.xml": "Январь"}."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return {}
    targets = {rid: target for rid, target in _RELATION.findall(rels)}
    targets.update({rid: target for target, rid in _RELATION_REVERSED.findall(rels)})
    entries = _SHEET_ENTRY.findall(workbook) or [(n, r) for r, n in _SHEET_ENTRY_REVERSED.findall(workbook)]
    members = {}
    for name, rid in entries:
        target = targets.get(rid, b"").decode("utf-8", errors="replace").lstrip("/")
        members[target if target.startswith("xl/") else f"xl/{target}"] = _xml_unescape(name)
    return members


def derived_ods(archive: zipfile.ZipFile) -> set[str]:
    """Table names of an ods whose formulas mostly refer to other tables («of:=['Январь'.B3]»)."""
    try:
        content = archive.read("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return set()
    if b"table:formula" not in content:
        return set()
    found = set()
    starts = [(m.start(), _xml_unescape(m.group(1))) for m in _ODS_TABLE.finditer(content)]
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(content)
        formulas = [_xml_unescape(f) for f in _ODS_FORMULA.findall(content, start, end)]
        crossing = sum(1 for f in formulas if re.search(r"\[\$?'?[^.\]]+'?\.", f))
        if _is_derived(len(formulas), crossing):
            found.add(name)
    return found
