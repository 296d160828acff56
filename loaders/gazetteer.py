"""Reference data of the reader: the 20 regions (data/regions.csv), districts moved by the 2022 reform
(data/districts_2022.csv), and the vocabularies of event forms and audiences (data/vocabulary.csv)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Kazakh letters and their Russian look-alikes fold to one key («Жетісу» = «Жетысу», «Ұлытау» = «Улытау»).
FOLD = str.maketrans({"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                      "һ": "х", "і": "и", "ы": "и", "й": "и", "ъ": "", "ь": ""})
_FOLD = FOLD  # the name older modules use
_PUNCT = re.compile(r"[^\w\s-]+")


def folded(pattern: str, flags: int = 0) -> re.Pattern:
    """A regular expression written in ordinary spelling, folded like the texts it will meet («школьник» matches
    the folded «школник»)."""
    return re.compile(pattern.translate(FOLD), flags)


def fold(text: str) -> str:
    """Lower case, Kazakh look-alikes folded, punctuation dropped, hyphens as spaces, spaces single."""
    text = _PUNCT.sub(" ", str(text).lower().translate(FOLD)).replace("-", " ").replace("_", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def regions() -> list[dict]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


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
    """The region a record belongs to once its district is known (the 2022 reform), and a note code
    ("moved", "ambiguous" or "").

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
        return None, "ambiguous"
    if region_code in (None, move.old_region):
        return move.new_region, "moved"
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


def vocabulary_words(kind: str) -> frozenset[str]:
    """Every folded word of a vocabulary: evidence that a column holds event forms or audiences."""
    return frozenset(w for key in _vocabulary().get(kind, {}) for w in key.split() if len(w) > 3)


@lru_cache(maxsize=8192)
def canonical(kind: str, text: str | None) -> str | None:
    """The canonical Russian label of an event form or audience; other text is kept as written."""
    if text is None:
        return None
    cleaned = " ".join(str(text).split())
    if not cleaned:
        return None
    if len(cleaned) > 200:
        return cleaned
    vocab = _vocabulary().get(kind, {})
    key = fold(cleaned)
    if key in vocab:
        return vocab[key]
    for word in key.split():  # «Профилактическая лекция» -> лекция
        if word in vocab:
            return vocab[word]
    return cleaned
