"""Region names to ISO 3166-2:KZ codes, and event forms / audiences to canonical labels.

Reference data lives in data/regions.csv and data/vocabulary.csv."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Kazakh letters and their Russian look-alikes fold to one key («Жетісу» = «Жетысу», «Ұлытау» = «Улытау»).
_FOLD = str.maketrans({"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                       "һ": "х", "і": "и", "ы": "и", "й": "и", "ъ": "", "ь": ""})
_WORD_FORMS = {key.translate(_FOLD): value for key, value in {
    "обл": "область", "области": "область", "облысы": "область", "oblast": "область",
    "region": "область", "г": "город", "гор": "город", "қаласы": "город", "city": "город", "города": "город",
}.items()}
_PUNCT = re.compile(r"[^\w\s-]+")
FUZZY_THRESHOLD = 85  # rapidfuzz score out of 100; below it a name is unknown


def fold(text: str) -> str:
    """Lower case, Kazakh look-alikes folded, punctuation dropped, spaces single."""
    text = _PUNCT.sub(" ", str(text).lower().translate(_FOLD)).replace("-", " ")
    return " ".join(text.split())


def region_key(text: str) -> str:
    """A spelling-insensitive key: folded words, region/city words unified, in sorted order."""
    words = [_WORD_FORMS.get(w, w) for w in fold(text).split()]
    return " ".join(sorted(w for w in words if w not in {"рк", "республики", "казахстан"} or len(words) <= 2))


@dataclass(frozen=True)
class RegionMatch:
    region_code: str | None
    confidence: float  # 1.0 exact; below 1.0 shown to the analyst
    method: str        # "exact", "short-form", "fuzzy", "unknown"
    note: str = ""


@lru_cache(maxsize=1)
def regions() -> list[dict]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _region_index() -> tuple[dict[str, str], dict[str, str]]:
    """(exact keys -> code, keys without region/city words -> code, only where unambiguous)."""
    exact: dict[str, str] = {}
    for row in regions():
        names = [row["region_code"], row["old_code"], row["name_ru"], row["name_kk"], row["name_en"], row["adm1_en"]]
        names += row["aliases"].split("|")
        for name in filter(None, names):
            exact.setdefault(region_key(name), row["region_code"])
    bare: dict[str, set[str]] = {}
    for key, code in exact.items():
        stripped = " ".join(w for w in key.split() if w not in {"область", "город"})
        if stripped:
            bare.setdefault(stripped, set()).add(code)
    return exact, {k: next(iter(v)) for k, v in bare.items() if len(v) == 1}


ALMATY_NOTE = "«Алматы» без слов «город»/«область» прочитано как город Алматы (KZ-75)"


@lru_cache(maxsize=8192)
def match_region(text: str | None) -> RegionMatch:
    """The region a name refers to, with how sure the match is."""
    if text is None or not str(text).strip():
        return RegionMatch(None, 0.0, "unknown", "пусто")
    exact, bare = _region_index()
    key = region_key(text)
    if key == "алмати":
        return RegionMatch("KZ-75", 1.0, "rule", ALMATY_NOTE)
    if key in exact:
        return RegionMatch(exact[key], 1.0, "exact")
    stripped = " ".join(w for w in key.split() if w not in {"область", "город", "дп", "департамент", "полиции"})
    if stripped in exact:
        return RegionMatch(exact[stripped], 0.95, "short-form")
    if stripped in bare:
        return RegionMatch(bare[stripped], 0.95, "short-form")
    return _fuzzy(key)


def _fuzzy(key: str) -> RegionMatch:
    from rapidfuzz import fuzz, process

    exact, _ = _region_index()
    if len(key) < 4:
        return RegionMatch(None, 0.0, "unknown")
    best = process.extractOne(key, list(exact), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best is None:
        return RegionMatch(None, 0.0, "unknown")
    found, score, _ = best
    code = exact[found]
    return RegionMatch(code, round(score / 100, 2), "fuzzy", f"похоже на «{region_names()[code]}»")


def region_names() -> dict[str, str]:
    """ISO code -> official Russian name."""
    return {row["region_code"]: row["name_ru"] for row in regions()}


_DISTRICT_WORDS = {"раион", "район", "р", "н", "р н", "аудани", "ауданы", "г", "город", "гор", "каласи", "каласы",
                   "к", "а", "ка", "га", "г а", "городская", "администрация"}


def district_key(text: str) -> str:
    """A district name without the words «район», «ауданы», «г.», «қ.ә.», Russian adjective endings folded."""
    words = [w for w in fold(text).replace(".", " ").split() if w not in _DISTRICT_WORDS]
    return " ".join(w[:-4] if w.endswith("скии") and len(w) > 6 else w for w in words)


@dataclass(frozen=True)
class DistrictMove:
    """A district or city that the 2022 reform moved from an old region to a new one."""
    new_region: str
    old_region: str
    name: str


@lru_cache(maxsize=1)
def _moved_districts() -> dict[str, DistrictMove]:
    index: dict[str, DistrictMove] = {}
    with open(DATA_DIR / "districts_2022.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = row["names"].split("|")
            for name in names:
                index.setdefault(district_key(name), DistrictMove(row["new_region"], row["old_region"], names[0]))
    return index


# Moved districts whose name also exists in a region that kept it (Karaganda's and Shymkent's Abai districts).
_SAME_NAME_ELSEWHERE = {"абаи"}


@lru_cache(maxsize=4096)
def region_for_district(region_code: str | None, district: str | None) -> tuple[str | None, str]:
    """The region a record belongs to once its district is known (the 2022 reform), and a note.

    A district moved to Abai, Jetisu or Ulytau takes the record there when the report names its old region,
    the new one, or no region. A district of the same name in another region (Karaganda's «Абайский район»)
    keeps the region the report gives."""
    if not district:
        return region_code, ""
    key = district_key(district)
    move = _moved_districts().get(key)
    if move is None:
        return region_code, ""
    if region_code is None and key in _SAME_NAME_ELSEWHERE:
        return None, f"«{district}» есть в нескольких регионах: укажите регион"
    if region_code in (None, move.old_region):
        return move.new_region, f"«{district}» с 2022 года входит в {region_names()[move.new_region]}"
    return region_code, ""


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    with open(DATA_DIR / "vocabulary.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind = index.setdefault(row["kind"], {})
            for name in [row["label_ru"], row["label_kk"], row["label_en"], *row["synonyms"].split("|")]:
                if name:
                    kind.setdefault(fold(name), row["label_ru"])
    return index


@lru_cache(maxsize=8192)
def canonical(kind: str, text: str | None) -> str | None:
    """The canonical Russian label of an event form or audience; other text is kept as written."""
    if text is None:
        return None
    cleaned = " ".join(str(text).split())
    if not cleaned:
        return None
    vocab = _vocabulary().get(kind, {})
    key = fold(cleaned)
    if key in vocab:
        return vocab[key]
    for word in key.split():  # «Профилактическая лекция» -> лекция
        if word in vocab:
            return vocab[word]
    return cleaned
