"""Column headers (Russian, Kazakh, English; flattened from multi-row headers) to activity fields."""
from __future__ import annotations

import re

from loaders.gazetteer import _FOLD, fold

# Checked in order; the first rule whose pattern is found in the folded header wins.
# Order matters: «Охват, в т.ч. студентов» is students, not participants; «Форма мероприятия» is
# the event form, «Количество мероприятий» the event count, «Категория участников» the audience.
RULES: list[tuple[str, str]] = [
    ("date", r"^(дата|дати|date\b)|кун[иа]?\b|откизилген кун|дата проведения"),
    ("period", r"^(период|отчетн|кезен|period\b)"),
    ("event_type", r"форма|вид мероприят|тип мероприят|вид ис|турі|тури\b|нисани|event type|^form\b|^type\b"),
    ("events", r"(количество|кол во|число|колич|проведено|саны|number of|^events?$).*(мероприят|ис шара)|мероприятии?\s*\(ед|ис шаралар саны|^events$|number of events|^(количество|кол во) меропр"),
    ("description", r"наименовани|название|тема|атауи|такирибі|такириби|^мероприятие$|^ис шара$|title|event name|description"),
    ("audience", r"аудитор|категори|санати|целев|audience"),
    ("students", r"студент|student"),
    ("schoolchildren", r"школьн|учащ|окушил|оку шилар|schoolchild|pupil"),
    ("parents", r"родител|ата ана|parent"),
    ("teachers", r"педагог|учител|мугалим|teacher"),
    ("organizer", r"организатор|ответствен|исполнител|ұйымдастыр|organi[sz]er|responsible"),
    ("venue", r"место|учреждени|орни|орин|venue|place|location"),
    ("region", r"регион|област|облис|region|oblast|^облыс"),
    ("district", r"раион|аудан|district|^город|населенн"),
    ("participants", r"охват|всего|участник|камт|катисуши|барлик|participants|reached|^total|количество человек|число человек|адам саны"),
]
_COMPILED = [(field, re.compile(pattern.translate(_FOLD))) for field, pattern in RULES]  # patterns folded like headers
FIELDS = [field for field, _ in RULES]
FIELD_LABELS_RU = {
    "date": "Дата", "period": "Период", "event_type": "Форма мероприятия", "events": "Количество мероприятий",
    "description": "Наименование мероприятия", "audience": "Аудитория", "students": "в т.ч. студентов",
    "schoolchildren": "в т.ч. школьников", "parents": "в т.ч. родителей", "teachers": "в т.ч. педагогов",
    "organizer": "Организатор", "venue": "Место проведения", "region": "Регион", "district": "Район",
    "participants": "Охват (всего)",
}
_NUMBERING = re.compile(r"^(№|n|no|nn|п п|р с|р/с)$")


def field_for(header: str | None) -> str | None:
    """The activity field a column header names, or None."""
    if not header:
        return None
    text = fold(header)
    if not text or _NUMBERING.match(text):
        return None
    for field, pattern in _COMPILED:
        if pattern.search(text):
            return field
    return None


def map_columns(headers: list[str | None]) -> dict[int, str]:
    """Column index -> field; when two columns name the same field the first one wins."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        field = field_for(header)
        if field and field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping
