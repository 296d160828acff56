"""Region names to ISO 3166-2:KZ codes, in the forms reports actually write them.

A name is cut into words; each word is reduced to the form the gazetteer (data/regions.csv) writes: case forms by
pymorphy3's Russian dictionary («Астаны» → «астана»), adjectives to one stem («Карагандинской» → «карагандинский»),
Kazakh case and possessive endings («облысының» → «облысы»), and the words that only say what kind of unit it is
(«ДП», «Департамент полиции», «акимат», «по», «бойынша») dropped. Kind words stay as one of two tokens, city or
region, so «г. Алматы» (KZ-75) and «Алматы облысы» (KZ-19) stay apart; a bare «Алматы» is the city, and the match
says how it decided. Units that are not one of the 20 (transport police, committees, the ministry) are refused by
name, never matched by similarity."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.gazetteer import fold, regions

CITY, REGION = "<город>", "<область>"
MAX_NAME, MAX_TITLE = 200, 600  # longer text names no region (and is not folded in full)
FUZZY_THRESHOLD = 85  # rapidfuzz score out of 100; below it a name is unknown
ALMATY_CITY, ALMATY_REGION = "KZ-75", "KZ-19"

# Words that say what kind of body writes, not where (folded). Department, police, akimat, prepositions.
_STOP = {"дп", "уп", "дуп", "двд", "увд", "гувд", "овд", "пд", "пб", "дпб", "дп-", "департамент", "департамента",
         "департаменте", "управление", "управления", "управлении", "полиции", "полиция", "полициясы", "полициясинин",
         "внутренних", "дел", "по", "в", "во", "из", "для", "акимат", "акимата", "акимате", "акимату", "аппарат",
         "бойинша", "бойынша", "баскармасы", "баскармаси", "департаменти", "ишки", "истер", "и", "от", "сведения",
         "территория", "территории", "регион", "региона", "администрация", "городская", "областная", "областной",
         "областного", "городской", "городского", "отдел", "отдела"}
# Words that mark a unit that is not one of the 20 regions (folded prefixes).
_NOT_A_REGION = ("транспорт", "комитет", "министерств", "мвд", "центральн", "республикан", "линейн", "лоп", "кнб",
                 "генеральн", "наркопреступн", "колик", "министрлиг", "комитети")
_STOP = {fold(w) for w in _STOP} | {"боиинша", "иид", "ииб", "ииж", "ииу"}
_NOT_A_REGION = tuple(fold(w) for w in _NOT_A_REGION)
_CITY_WORDS = {"г", "гор", "город", "города", "городе", "городу", "городом", "city", "к", "ка"}
_REGION_WORDS = {"обл", "область", "области", "областью", "областям", "oblast", "region"}
_ADJECTIVE = re.compile(r"(ская|скои|скую|ском|ского|скии|скому|ским|ских|ское|ские|скои|скоi)$")
_KK_ENDINGS = sorted(["нин", "дин", "тин", "нын", "дын", "тын", "на", "не", "га", "ге", "ка", "ке", "да", "де",
                      "та", "те", "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "ндаги", "ндагы", "дагы",
                      "даги", "тагы", "таги", "ин", "ын", "и", "ы", "си", "сы", "сина", "синда", "синдагы",
                      "синин"], key=len, reverse=True)
_RU_ENDINGS = ("а", "ы", "и", "е", "у", "ой", "ою", "ом", "ю", "я", "ем")


@dataclass(frozen=True)
class RegionMatch:
    region_code: str | None
    confidence: float   # 1.0 exact; below 1.0 shown to the analyst
    method: str         # exact | short-form | rule | fuzzy | not-a-region | unknown
    note: str = ""      # a code for the interface: "bare-almaty", "similar", "unit", ...


def _kind_token(word: str) -> str | None:
    if word in _CITY_WORDS or word.startswith("калас"):
        return CITY
    if word in _REGION_WORDS or word.startswith("облас") or word.startswith("облис"):
        return REGION
    return None


def _index_word(word: str) -> str:
    """A word of a gazetteer name in its index form: kind words as tokens, adjectives to «…скии»."""
    kind = _kind_token(word)
    if kind:
        return kind
    return _ADJECTIVE.sub("скии", word) if len(word) > 5 else word


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(full key -> code, key without kind words -> code where unambiguous, every word of every name)."""
    exact: dict[str, str] = {}
    for row in regions():
        names = [row["region_code"], row["old_code"], row["name_ru"], row["name_kk"], row["name_en"], row["adm1_en"]]
        names += row["aliases"].split("|")
        for name in filter(None, names):
            words = [_index_word(w) for w in fold(name).split()]
            exact.setdefault(" ".join(sorted(words)), row["region_code"])
    bare: dict[str, set[str]] = {}
    for key, code in exact.items():
        stripped = " ".join(w for w in key.split() if w not in (CITY, REGION))
        if stripped:
            bare.setdefault(stripped, set()).add(code)
    lexicon = frozenset(w for key in exact for w in key.split() if w not in (CITY, REGION))
    return exact, {k: next(iter(v)) for k, v in bare.items() if len(v) == 1}, lexicon


def warm() -> None:
    """Build the index and load the morphology now (a reading worker does it before it forks children)."""
    _index()
    _morph()


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=16384)
def lemma(word: str) -> str:
    """A folded word in the form the gazetteer writes it, or the word itself."""
    kind = _kind_token(word)
    if kind:
        return kind
    lexicon = _index()[2]
    if word in lexicon:
        return word
    adjective = _ADJECTIVE.sub("скии", word)
    if adjective in lexicon:
        return adjective
    if len(word) >= 4 and re.fullmatch(r"[а-я]+", word):
        for parse in _morph().parse(word)[:4]:
            normal = _ADJECTIVE.sub("скии", fold(parse.normal_form).replace(" ", ""))
            if normal in lexicon:
                return normal
    inflected = _inflected_index().get(word)
    if inflected:
        return inflected
    for ending in _KK_ENDINGS:  # Қарағандының, Астанада, облысындағы
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: -len(ending)]
            for candidate in (stem, stem + "и", stem + "ы", stem + "а"):
                if candidate in lexicon:
                    return candidate
    for ending in _RU_ENDINGS:  # «Кызылорды», «Актобе» and forms pymorphy3 does not know
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: -len(ending)]
            for candidate in (stem, stem + "а", stem + "и", stem + "е"):
                if candidate in lexicon:
                    return candidate
    return adjective  # unknown: at least in the form the index writes adjectives, for the similarity match


@lru_cache(maxsize=1)
def _inflected_index() -> dict[str, str]:
    """Every form pymorphy3 generates for every word of every gazetteer name (its whole lexeme), folded, mapped to
    the word as the index holds it: «Жетісу» → «жетіса», «жетісом»…; «Карагандинская» → «карагандинской»…"""
    lexicon = _index()[2]
    forms: dict[str, str] = {}
    for row in regions():
        for name in [row["name_ru"], *row["aliases"].split("|")]:
            for word in re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+", name):
                target = _index_word(fold(word))
                if target not in lexicon or len(word) < 4:
                    continue
                for parse in _morph().parse(word)[:2]:
                    if parse.tag.POS not in ("NOUN", "ADJF"):
                        continue
                    for form in parse.lexeme:
                        forms.setdefault(fold(form.word).replace(" ", ""), target)
    return forms


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w and w not in _STOP]


def is_other_unit(text: str | None) -> bool:
    """«ДП на транспорте», «Комитет по противодействию наркопреступности МВД»: a body that is not a region."""
    return bool(text) and any(w.startswith(_NOT_A_REGION) for w in fold(text[:MAX_TITLE]).split())


@lru_cache(maxsize=16384)
def match_region(text: str | None) -> RegionMatch:
    """The region a name refers to, with how sure the match is."""
    if text is None or not str(text).strip():
        return RegionMatch(None, 0.0, "unknown", "empty")
    if len(str(text)) > MAX_NAME:
        return RegionMatch(None, 0.0, "unknown", "too-long")
    if is_other_unit(text):
        return RegionMatch(None, 0.0, "not-a-region", "unit")
    words = [lemma(w) for w in _words(text)]
    return _match_words(words)


def _match_words(words: list[str]) -> RegionMatch:
    exact, bare, _ = _index()
    if not words:
        return RegionMatch(None, 0.0, "unknown")
    key = " ".join(sorted(words))
    places = [w for w in words if w not in (CITY, REGION)]
    if places == ["алмати"] and REGION not in words:
        return RegionMatch(ALMATY_CITY, 1.0 if CITY in words else 0.99, "exact" if CITY in words else "rule",
                           "" if CITY in words else "bare-almaty")
    if key in exact:
        return RegionMatch(exact[key], 1.0, "exact")
    stripped = " ".join(sorted(places))
    if stripped in exact:
        return RegionMatch(exact[stripped], 0.97, "short-form")
    if stripped in bare:
        return RegionMatch(bare[stripped], 0.97, "short-form")
    return _fuzzy(key, stripped)


def _fuzzy(key: str, stripped: str) -> RegionMatch:
    from rapidfuzz import fuzz, process

    exact, bare, _ = _index()
    if len(stripped.replace(" ", "")) < 4:
        return RegionMatch(None, 0.0, "unknown")
    best = process.extractOne(key, list(exact), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best is None and stripped:
        best = process.extractOne(stripped, list(bare), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best is not None:
            found, score, _ = best
            return RegionMatch(bare[found], round(score / 100, 2), "fuzzy", "similar")
    if best is None:
        return RegionMatch(None, 0.0, "unknown")
    found, score, _ = best
    return RegionMatch(exact[found], round(score / 100, 2), "fuzzy", "similar")


@lru_cache(maxsize=4096)
def find_region(text: str | None) -> RegionMatch | None:
    """The one region a longer text names («Сведения ДП Костанайской области за 2026 год»), or None when it names
    none, several, or a unit that is not a region. Only exact and short forms count here, never similarity."""
    if not text or is_other_unit(text[:MAX_TITLE]):
        return None
    words = [lemma(w) for w in _words(text[:MAX_TITLE])]
    lexicon = _index()[2]
    found: dict[str, RegionMatch] = {}
    covered: set[int] = set()
    for size in (4, 3, 2, 1):
        for start in range(0, max(len(words) - size + 1, 0)):
            window = words[start:start + size]
            if set(range(start, start + size)) <= covered:
                continue  # inside a longer name already found («Алматы облысы» holds «Алматы»)
            if not any(w in lexicon for w in window) or any(w not in lexicon and w not in (CITY, REGION)
                                                             for w in window):
                continue
            match = _match_words(window)
            if match.region_code and match.method in ("exact", "short-form", "rule"):
                found.setdefault(match.region_code, match)
                covered.update(range(start, start + size))
    if len(found) != 1:
        return None
    return next(iter(found.values()))
