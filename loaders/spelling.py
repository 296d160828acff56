"""Whether a region text is written as the gazetteer writes a name, or only matches once folded.

The matcher folds texts (Kazakh look-alikes, «ь», «ы»/«и») and reads unknown words by their likely paradigm, so
«Жамбылськая область» and «Карагандинскя область» find their regions. That is right, but it is not an exact match:
the analyst should see that the spelling differs. A place word is written as known when it is a word of a name in
regions.csv, one of the case forms pymorphy3 generates for it, or a Kazakh name word with a case or possessive
ending."""
from __future__ import annotations

import re
from functools import lru_cache

from loaders.gazetteer import fold, regions

_NAME_COLUMNS = ("name_ru", "name_kk", "name_en", "adm1_en", "centre", "aliases")
_TOKEN = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"^[а-яе]+$")
# Kazakh case and possessive endings as written (folded forms live in loaders.regions for matching).
_KK_ENDINGS = ("ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "а", "е", "да", "де",
               "та", "те", "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "дағы", "дегі", "тағы", "тегі",
               "ндағы", "ндегі", "ы", "і", "сы", "сі", "ын", "ін", "ны", "ні", "ды", "ді", "ты", "ті", "ының",
               "інің", "сының", "сінің", "ында", "інде", "сында", "сінде", "ындағы", "індегі", "сындағы", "сіндегі",
               "ына", "іне", "сына", "сіне", "ынан", "інен", "сынан", "сінен")


def _light(text: str) -> list[str]:
    """Lower-case words with «ё» as «е», nothing else changed."""
    return _TOKEN.findall(str(text).lower().replace("ё", "е"))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    from loaders.regions import _morph

    words: set[str] = set()
    for row in regions():
        for column in _NAME_COLUMNS:
            for name in (row.get(column) or "").split("|"):
                words.update(_light(name))
    for word in [w for w in words if _CYRILLIC.match(w) and len(w) >= 4]:
        for parse in _morph().parse(word)[:2]:
            words.update(form.word.replace("ё", "е") for form in parse.lexeme)
    return frozenset(words)


def warm() -> None:
    """Collect the known spellings now (a reading worker does it before it forks children)."""
    _known()


def _written_as_known(word: str) -> bool:
    known = _known()
    if word in known:
        return True
    return any(word.endswith(e) and word[: -len(e)] in known for e in _KK_ENDINGS if len(word) - len(e) >= 4)


@lru_cache(maxsize=4096)
def spelled_as_known(text: str | None) -> bool:
    """True when every word that names a place is written as a known name form (words such as «ДП», «по»,
    «область», «облысының» are not place words and are not checked)."""
    from loaders.regions import lemma

    lexicon = _lexicon()
    for word in _light(text or ""):
        folded = fold(word)
        if folded and lemma(folded) in lexicon and not _written_as_known(word):
            return False
    return True


def _lexicon() -> frozenset[str]:
    from loaders.regions import _index

    return _index()[2]
