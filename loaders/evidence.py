"""Evidence from a column's values: what a sample of its cells looks like.

Mostly region or department names means a region column; dates mean a date column; whole numbers mean a count;
the vocabulary of event forms means the form. The cost grows with the columns, not with the rows: at most
SAMPLE cells of each column are looked at, each distinct value once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from loaders.gazetteer import canonical, fold, folded, vocabulary_words
from loaders.parse import parse_count, parse_date
from loaders.regions import is_other_unit, match_region

SAMPLE = 150
SERIAL_DAYS = (36526, 51501)  # Excel's day numbers of 1 January 2000 and 31 December 2040
# «к» is «қ.» (қаласы) folded: «Теміртау қ.»
_DISTRICT_WORDS = folded(r"\b(раион\w*|р н|аудан\w*|г|к|город\w*|кала\w*|поселок|село|ауил\w*|п|с|мкр)\b")


@dataclass(frozen=True)
class Values:
    """What a column's sample holds, as shares of its non-blank cells."""
    filled: int = 0
    numbers: float = 0.0      # whole non-negative counts
    dates: float = 0.0
    serials: float = 0.0      # numbers that are Excel day numbers of 2000–2040 (a date column stored as numbers)
    years: float = 0.0        # whole numbers 1990–2100 (a «Год» column)
    regions: float = 0.0      # names of one of the 20 regions, or a unit that is not one
    places: float = 0.0       # cities, districts, settlements
    forms: float = 0.0        # event forms of the vocabulary
    audiences: float = 0.0
    mean_length: float = 0.0
    sequence: bool = False    # 1, 2, 3, …: a row number


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def column_values(cells: list) -> Values:
    sample = [v for v in cells if v is not None and not (isinstance(v, str) and not v.strip())][:SAMPLE]
    if not sample:
        return Values()
    distinct = list(dict.fromkeys(sample))
    texts = [v for v in distinct if isinstance(v, str)]
    numbers = [v for v in sample if isinstance(parse_count(v), int)]
    counted = {v: isinstance(parse_count(v), int) for v in distinct}
    dates = {v: isinstance(v, (date, datetime)) or (isinstance(v, str) and isinstance(parse_date(v), (date, tuple)))
             for v in distinct}
    regions = {v: bool(match_region(v).region_code) or is_other_unit(v) for v in texts}
    places = {v: bool(_DISTRICT_WORDS.search(fold(v[:200]))) for v in texts}
    form_words, audience_words = vocabulary_words("event_type"), vocabulary_words("audience")
    short = {v: fold(v[:200]) for v in texts}
    forms = {v: canonical("event_type", v) != " ".join(v.split()) or bool(set(short[v].split()) & form_words)
             for v in texts}
    audiences = {v: canonical("audience", v) != " ".join(v.split()) or bool(set(short[v].split()) & audience_words)
                 for v in texts}
    serial = {v: not isinstance(v, bool) and isinstance(v, (int, float)) and float(v).is_integer()
              and SERIAL_DAYS[0] <= v <= SERIAL_DAYS[1] for v in distinct}
    ints = [parse_count(v) for v in numbers]
    sequence = len(ints) >= 3 and ints == list(range(ints[0], ints[0] + len(ints)))
    total = len(sample)
    return Values(
        filled=total,
        numbers=_share(sum(counted[v] for v in sample), total),
        dates=_share(sum(dates[v] for v in sample), total),
        serials=_share(sum(serial[v] for v in sample), total),
        years=_share(sum(1990 <= (parse_count(v) if counted[v] else 0) <= 2100 for v in sample), total),
        regions=_share(sum(regions.get(v, False) for v in sample), total),
        places=_share(sum(places.get(v, False) for v in sample), total),
        forms=_share(sum(forms.get(v, False) for v in sample), total),
        audiences=_share(sum(audiences.get(v, False) for v in sample), total),
        mean_length=sum(len(str(v)) for v in sample) / total,
        sequence=sequence,
    )


COUNT_FIELDS = {"events", "participants", "students", "schoolchildren", "parents", "teachers"}
TEXT_FIELDS = {"region", "district", "event_type", "audience", "description", "venue", "organizer"}


def value_score(field: str, values: Values) -> float:
    """How well a column's values fit a field: positive evidence, or a penalty when they cannot be that field."""
    if values.filled == 0:
        return 0.0
    if field == "number":
        return 5.0 if values.sequence else -3.0
    if field in COUNT_FIELDS:
        if values.numbers < 0.5:
            return -6.0
        return 1.5 * values.numbers - 3.0 * values.dates
    if field == "date":  # day numbers count for less: alone they are only large whole numbers
        return 4.0 * values.dates + 2.5 * values.serials - (6.0 if values.dates + values.serials < 0.3 else 0.0)
    if field == "period":
        if values.years > 0.8:
            return 1.0
        return -4.0 if values.numbers > 0.8 else 0.5
    text_penalty = -5.0 if values.numbers > 0.7 or values.dates > 0.7 else 0.0
    if field == "region":
        mixed = 2.5 * values.places if values.regions >= 0.1 else 0.0  # regions with their districts under them
        return 5.0 * values.regions + mixed + text_penalty - (1.0 if values.regions < 0.1 else 0.0)
    if field == "district":
        return 2.5 * values.places + 1.0 * values.regions + text_penalty
    if field == "event_type":
        return 3.5 * values.forms + text_penalty - (1.5 if values.mean_length > 40 else 0.0)
    if field == "audience":
        return 3.5 * values.audiences + text_penalty
    if field == "description":
        return (1.5 if values.mean_length > 25 else 0.0) + text_penalty - 2.0 * values.regions
    if field == "venue":
        return (0.5 if values.mean_length > 8 else 0.0) + text_penalty - 2.0 * values.regions
    if field == "organizer":
        return text_penalty
    return 0.0
