"""Sheets whose figures are formulas over other sheets: a «Свод» summing the month sheets of the same workbook.

Loading such a sheet beside its sources would count every event twice, so the reader leaves it out and says so.
A sheet counts as derived when most of its formulas refer to other sheets (`'Январь'!B3`, `[.B3]` in ODS) and it
has at least a few of them."""
from __future__ import annotations

import io
import re
import zipfile

MIN_FORMULAS = 3
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*\"([^\"]*)\"[^>]*?\br:id\s*=\s*\"([^\"]*)\"")
_SHEET_ENTRY_REVERSED = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id\s*=\s*\"([^\"]*)\"[^>]*?\bname\s*=\s*\"([^\"]*)\"")
_RELATION = re.compile(rb"<Relationship\b[^>]*?\bId\s*=\s*\"([^\"]*)\"[^>]*?\bTarget\s*=\s*\"([^\"]*)\"")
_RELATION_REVERSED = re.compile(rb"<Relationship\b[^>]*?\bTarget\s*=\s*\"([^\"]*)\"[^>]*?\bId\s*=\s*\"([^\"]*)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</(?:\w+:)?f>")
_ODS_TABLE = re.compile(rb"<table:table\b[^>]*?table:name\s*=\s*\"([^\"]*)\"")
_ODS_FORMULA = re.compile(rb"table:formula\s*=\s*\"([^\"]*)\"")


def _xml_unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&amp;", "&")


def derived_sheets(data: bytes, kind: str) -> set[str]:
    """Names of the sheets that are made of formulas over other sheets (xlsx and ods; empty otherwise)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if kind == "xlsx":
            return _xlsx(archive)
        if kind == "ods":
            return _ods(archive)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError):
        return set()
    return set()


def _is_derived(formulas: list[str]) -> bool:
    crossing = sum(1 for f in formulas if "!" in f or re.search(r"\[\$?'?[^.\]]+'?\.", f))
    return crossing >= MIN_FORMULAS and crossing * 2 >= len(formulas)


def _xlsx(archive: zipfile.ZipFile) -> set[str]:
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _RELATION.findall(rels)}
    targets.update({rid: target for target, rid in _RELATION_REVERSED.findall(rels)})
    entries = _SHEET_ENTRY.findall(workbook) or [(n, r) for r, n in _SHEET_ENTRY_REVERSED.findall(workbook)]
    found = set()
    for name, rid in entries:
        target = targets.get(rid, b"").decode("utf-8", errors="replace").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        try:
            with archive.open(member) as stream:
                xml = stream.read(64 * 1024 * 1024)
        except KeyError:
            continue
        if b"<f" not in xml and b":f" not in xml:
            continue
        if _is_derived([_xml_unescape(f) for f in _FORMULA.findall(xml)]):
            found.add(_xml_unescape(name))
    return found


def _ods(archive: zipfile.ZipFile) -> set[str]:
    content = archive.read("content.xml")
    found = set()
    starts = [(m.start(), _xml_unescape(m.group(1))) for m in _ODS_TABLE.finditer(content)]
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(content)
        formulas = [_xml_unescape(f) for f in _ODS_FORMULA.findall(content, start, end)]
        if _is_derived(formulas):
            found.add(name)
    return found
