"""The fields of an activity record and the words that name them in headers, with weights.

Headers are folded first (lower case, Kazakh letters to their Russian look-alikes, punctuation and hyphens to
spaces): «Кол-во мер-й» → «кол во мер и», «Облыстың атауы» → «облистин атауи», «Өңір» → «онир». Each pattern adds
its weight to a field when found in a header part; the bottom part of a multi-row header counts fully, the parts
above it (group headings such as «Охват участников») count half. The best consistent assignment of fields to
columns is chosen later, with the evidence of the values (loaders.evidence, loaders.recognise)."""
from __future__ import annotations

import re
from functools import lru_cache

from loaders.gazetteer import fold, folded

COUNTS = ("events", "participants", "students", "schoolchildren", "parents", "teachers")
PARTS = ("students", "schoolchildren", "parents", "teachers")
TEXTS = ("region", "district", "event_type", "audience", "description", "venue", "organizer")
FIELDS = ("date", "period", "region", "district", "event_type", "audience", "description", "venue", "organizer",
          *COUNTS)
NUMBER = "number"  # «№ п/п»: a row number, never a record field
FIELD_LABELS_RU = {  # the values of the upload page's mapping editor (shown through the catalogues)
    "date": "Дата", "period": "Период", "event_type": "Форма мероприятия", "events": "Количество мероприятий",
    "description": "Наименование мероприятия", "audience": "Аудитория", "students": "в т.ч. студентов",
    "schoolchildren": "в т.ч. школьников", "parents": "в т.ч. родителей", "teachers": "в т.ч. педагогов",
    "organizer": "Организатор", "venue": "Место проведения", "region": "Регион", "district": "Район",
    "participants": "Охват (всего)",
}
MAX_HEADER_TEXT = 200  # a header is short; a long cell is read by its beginning only

_RULES: dict[str, list[tuple[str, float]]] = {
    "date": [(r"\bдата\b|\bдати\b|\bдату\b", 3.5), (r"\bкуни\b|\bкун\b|\bуакити\b", 3), (r"\bdate\b|\bday\b", 3.5),
             (r"\bсрок\w*", 2), (r"\bкогда\b", 2), (r"\bчисло\b(?! (участ|мероп|человек|лиц))", 1)],
    "period": [(r"\bпериод\w*", 3.5), (r"\bкезен\w*", 3.5), (r"\bperiod\b", 3.5), (r"\bмесяц\w*|\bмес\b", 3),
               (r"\bквартал\w*|\bтоксан\w*", 2.5), (r"\bотчетн\w*", 2), (r"\bаи\b|\bаилар\w*", 2.5),
               (r"\bmonth\b|\bquarter\b", 3), (r"^(год|year|жыл)$", 3)],
    "region": [(r"\bрегион\w*", 3.5), (r"\bобласт\w*|\bобл\b", 3), (r"\bобли\w*", 3.5), (r"\bонир\w*", 3.5),
               (r"\bаимак\w*", 3), (r"\bподразделени\w*", 3), (r"\bдепартамент\w*", 3), (r"\bдп\b|\bпд\b|\bуп\b", 3),
               (r"\bтерритори\w*", 2.5), (r"\bregion\b|\boblast\b", 3.5), (r"\bорган\w*", 1),
               (r"\bнаименование (региона|области|подразделения|дп|органа|департамента|территории)", 1.5),
               (r"^наименование$|^атауи$", 1.0)],
    "district": [(r"\bраион\w*|\bр н\b", 3.5), (r"\bаудан\w*", 3.5), (r"\bгород\w*|\bкала\w*", 2.5),
                 (r"\bнаселенн\w*|\bнас пункт\w*|\bн п\b", 3), (r"\bелди мекен\w*", 3), (r"\bdistrict\b", 3.5),
                 (r"\bcity\b|\btown\b|\bsettlement\b", 3), (r"\bмуниципал\w*", 2), (r"^наименование$|^атауи$", 1.0)],
    "event_type": [(r"\bформа\b|\bформы\b|\bформат\w*", 3.5), (r"\bвид\b|\bвиды\b|\bтип\b", 2.5),
                   (r"\bтури\b|\bнисан\w*", 3.5), (r"\bevent type\b|\bform\b|\btype\b|\bformat\b", 3.5)],
    "events": [(r"\b(количеств\w*|кол во|колич\w*|число|сани|всего|проведено|проведенных|number|count|no of|итого)"
                r"\b.*\b(мероприяти\w*|мер|ис шара\w*|event\w*)", 4),
               (r"\b(мероприяти\w*|ис шара\w*|events)\b.*\b(сани|количеств\w*|кол во|ед)\b", 4),
               (r"\bмероприятии\b|\bмероприятия\b(?!.*(наимен|назван|тем|описан|мест|форм|вид))", 1.5),
               (r"\bмер\b|\bмер и\b", 2.5), (r"\bis шара\w*|\bис шаралар\w*", 2), (r"\bevents\b", 3),
               (r"\bпроведено\b", 2)],
    "description": [(r"\bнаименовани\w*", 2.2), (r"\bназвани\w*", 2.5), (r"\bтема\b|\bтематик\w*|\bтеми\w*", 3),
                    (r"\bатау\w*", 2), (r"\bтакирип\w*|\bтакириб\w*", 3), (r"\bсодержани\w*|\bописани\w*", 3),
                    (r"\bмероприятие\b", 2), (r"\bdescription\b|\btitle\b|\btopic\b|\bevent name\b|\bname\b", 3)],
    "audience": [(r"\bаудитори\w*", 3.5), (r"\bкатегори\w*|\bсанат\w*", 3), (r"\bцелев\w*", 3),
                 (r"\bконтингент\w*", 3), (r"\baudience\b|\btarget\b", 3.5), (r"\bдля кого\b|\bкому\b", 2)],
    "participants": [(r"\bохват\w*|\bохвач\w*|\bохв\b", 3.5), (r"\bкамт\w*", 3.5), (r"\bкатисуш\w*", 3.5),
                     (r"\bучастник\w*|\bуч ков\b", 3), (r"\bприсутств\w*", 3), (r"\bчеловек\b|\bчел\b|\bлиц\b", 2),
                     (r"\bадам\b", 2.5), (r"\bвсего\b|\bбарлиги\b|\bitogo\b|\btotal\b", 1.5),
                     (r"\bparticipants\b|\breached\b|\battendees\b|\bpeople\b", 3.5)],
    "students": [(r"\bстудент\w*|\bстуд\b", 4), (r"\bstudent\w*", 4), (r"\bобучающ\w* (колледж|вуз)", 3)],
    "schoolchildren": [(r"\bшкольник\w*", 4), (r"\bучащ\w*|\bуч ся\b|\bучеников\b|\bученик\w*", 3.5),
                       (r"\bокуши\w*", 4), (r"\bpupil\w*|\bschoolchild\w*|\bschool children\b", 4),
                       (r"\bнесовершеннолетн\w*|\bподрост\w*", 2.5)],
    "parents": [(r"\bродител\w*", 4), (r"\bата ана\w*", 4), (r"\bparent\w*", 4)],
    "teachers": [(r"\bпедагог\w*", 4), (r"\bучител\w*", 4), (r"\bмугалим\w*", 4), (r"\bteacher\w*", 4),
                 (r"\bпреподавател\w*", 3.5)],
    "organizer": [(r"\bорганизатор\w*", 4), (r"\bответствен\w*", 3), (r"\bисполнител\w*", 2.5),
                  (r"\bуиимдастир\w*", 4), (r"\borgani[sz]er\w*\b|\bresponsible\b", 4),
                  (r"\bкем (проведено|организовано)\b|\bпровел\w*|\bпроводил\w*", 3), (r"\bведомств\w*", 2),
                  (r"\bинициатор\w*", 3)],
    "venue": [(r"\bместо\b|\bместа\b", 3.5), (r"\bучреждени\w*|\bзаведени\w*", 2.5), (r"\bорни\b|\bорин\w*", 3.5),
              (r"\bvenue\b|\bplace\b|\blocation\b", 3.5), (r"\bадрес\w*", 2.5), (r"\bобъект\w*", 2),
              (r"\bгде\b", 2), (r"\bорганизаци\w* (где|в которой)", 3), (r"\bшкола\b|\bколледж\b|\bвуз\b", 1.5)],
    NUMBER: [(r"^(n|no|nn|п п|р с|номер|реттик)$", 4), (r"^n п п$|^n п$|^n р с$", 4)],
}
_TOTAL_WORD = folded(r"(всего|итого|барлығы|жиыны|total|all)")
_PART_OF = folded(r"\b(в т ч|в том числе|из них|из числа|оның ішінде|of which|including)\b")
_NUMBER_SIGN = re.compile(r"^\s*№\s*(п\s*/\s*п|п\.?п\.?)?\s*$|^\s*№\s*$")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[re.Pattern, float]]]:
    return {field: [(folded(pattern), weight) for pattern, weight in rules] for field, rules in _RULES.items()}


@lru_cache(maxsize=8192)
def words_score(text: str) -> dict[str, float]:
    """Field -> weight of the header words found in one header part."""
    if not text:
        return {}
    text = text[:MAX_HEADER_TEXT]
    if _NUMBER_SIGN.match(text):
        return {NUMBER: 4.0}
    text = fold(text)
    if not text:
        return {}
    scores: dict[str, float] = {}
    for field, rules in _compiled().items():
        best = max((weight for pattern, weight in rules if pattern.search(text)), default=0.0)
        if best:
            scores[field] = best
    if _PART_OF.search(text):  # «в т.ч. студентов»: a part, not the total
        scores.pop("participants", None)
    if ("events" in scores and any(scores.get(f, 0) >= 3 for f in ("description", "event_type", "venue"))
            and not re.search(r"количеств|кол во|число|сани|всего|проведено|number|count", text)):
        scores.pop("events")  # «Наименование мероприятия»: the event's name, not a count
    return scores


def header_score(parts: list[str]) -> dict[str, float]:
    """Field -> score of a column from its header parts (top to bottom): the bottom part fully, the rest half."""
    scores: dict[str, float] = {}
    filled = [p for p in parts if p]
    for depth, part in enumerate(reversed(filled)):
        factor = 1.0 if depth == 0 else 0.5
        for field, weight in words_score(part).items():
            scores[field] = scores.get(field, 0.0) + weight * factor
    bottom = words_score(filled[-1]) if filled else {}
    if any(f in bottom for f in PARTS):
        scores.pop("participants", None)
    if len(filled) > 1 and any(_PART_OF.search(fold(p[:MAX_HEADER_TEXT])) for p in filled[:-1]):
        for whole in ("events", "participants"):  # under «в том числе»: «лекций» is a part of the events
            if whole not in bottom:
                scores.pop(whole, None)
    elif len(filled) > 1 and _TOTAL_WORD.fullmatch(fold(filled[-1][:MAX_HEADER_TEXT]).strip()):
        parent = header_score(filled[:-1])  # «Проведено мероприятий / всего»: the parent's total
        if parent:
            scores = {f: 2 * w for f, w in parent.items()}
    return scores


def is_part_heading(text) -> bool:
    """«в том числе», «из них», «оның ішінде»: the heading of a breakdown."""
    return isinstance(text, str) and len(text) <= MAX_HEADER_TEXT and bool(_PART_OF.search(fold(text)))


def names_a_field(text) -> bool:
    """A sub-heading under a header row: any field word, «в том числе», «всего» (weaker than is_header_like)."""
    if not isinstance(text, str) or not text.strip():
        return False
    return bool(words_score(text.strip())) or bool(_PART_OF.search(fold(text[:MAX_HEADER_TEXT])))


def is_header_like(text) -> bool:
    """A cell that names a field (used to find the header block)."""
    if not isinstance(text, str):
        return False
    scores = words_score(text.strip())
    return bool(scores) and max(scores.values()) >= 2.5
