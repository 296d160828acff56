"""File names of a briefing, from the view: «Справка_Карагандинская_2025-06.docx», «Анықтама_Барлық_өңірлер_2025»,
«Briefing_All_regions_2025-01-01_2025-06-30». Only letters, digits, «-» and «_»: safe on every file system."""
from __future__ import annotations

from prevention import texts
from prevention.output.briefing import words
from prevention.queries.filters import Filters

NAMED_REGIONS = 3  # more chosen regions than this are counted, not named


def regions_stem(codes: tuple[str, ...], lang: str) -> str:
    if not codes:
        return words.safe(words.t("file.all_regions", lang))
    if len(codes) <= NAMED_REGIONS:
        return "_".join(words.short_region(c, lang) for c in codes)
    return words.safe(texts.plural("briefing.file.regions", len(codes), lang))


def file_stem(f: Filters, region_code: str | None, lang: str) -> str:
    codes = (region_code,) if region_code else tuple(f.regions)
    parts = [words.t("file.prefix", lang), regions_stem(codes, lang), words.period_stem(f.date_from, f.date_to, lang)]
    return "_".join(words.safe(p) for p in parts if p)


def file_name(f: Filters, region_code: str | None, lang: str, ext: str) -> str:
    return f"{file_stem(f, region_code, lang)}.{ext}"
