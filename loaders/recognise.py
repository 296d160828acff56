"""Recognise a table's columns from evidence: header words and a sample of values, with column groups by period.

Every column is scored for every field from all of its header parts (loaders.fields) and from a sample of its
values (loaders.evidence); the best consistent assignment is chosen (loaders.assign). Columns under period
headings («Январь», «I квартал», «2024 г.») form groups: each group is assigned its own counts and gives one record
per row with its own period; a «Всего за год»/«Итого» group is not a record; a group whose heading is no period is
either an annotation («Справочно», «АППГ»: left out with a warning) or an error."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.assign import assign
from loaders.evidence import Values, column_values, value_score
from loaders.fields import COUNTS, FIELDS, NUMBER, header_score, is_part_heading
from loaders.gazetteer import fold, folded
from loaders.headers import HeaderBlock, is_comparison
from loaders.period import Period, is_total_label, parse_period
from loaders.problems import LoaderError, Problem

THRESHOLD = 2.5           # a field needs at least this much evidence
LOW_CONFIDENCE = 0.55
VALUES_ONLY_CONFIDENCE = 0.45
VALUES_ONLY = {"region", "date", "event_type", "audience"}  # fields whose values alone can name a column
_ANNOTATION = folded(r"справочн|справк|примечан|аппг|прошл\w* (год|период)|план\w*|доля|удельн|динамик|рост|"
                         r"сравнен|процент|%")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass
class Choice:
    """What the reader decided for one column, and why."""
    column: int
    header: str
    field: str | None
    confidence: float
    evidence: dict[str, float] = field(default_factory=dict)  # "header", "values" -> score of the chosen field
    group: str | None = None


@dataclass
class Group:
    label: str
    period: Period | None       # None for a totals group («Всего за год»), which gives no records
    columns: dict[str, int]     # field -> column


@dataclass
class Layout:
    mapping: dict[int, str]              # shared columns: column -> field
    groups: list[Group]
    choices: list[Choice]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        found = set(self.mapping.values())
        for group in self.groups:
            if group.period is not None:
                found |= set(group.columns)
        return found


def table_year(block: HeaderBlock, sheet_name: str) -> int | None:
    """The year a table's titles or sheet name state, for group headings without a year."""
    for text in [*block.titles, sheet_name]:
        period = parse_period(text)
        if period:
            return period.start.year
    years = [int(y) for text in [*block.titles, sheet_name] for y in _YEAR.findall(text)]
    return years[-1] if years else None


def _label(text: str) -> str | None:
    """'total', 'period' or None for a header part."""
    if not text:
        return None
    if is_total_label(text):
        return "total"
    if parse_period(text, 2000) is not None:
        return "period"
    return None


def _group_keys(block: HeaderBlock) -> dict[int, tuple[int, str]]:
    """column -> (level, heading) for columns under a period heading with the counts named above or below it
    («Январь» over «мероприятий»), and for columns under a totals heading at the same level («Всего за год»)."""
    keys: dict[int, tuple[int, str]] = {}
    for column, parts in enumerate(block.parts):
        for level, text in enumerate(parts):
            others = [p for n, p in enumerate(parts) if n != level and p and p != text]
            if _label(text) == "period" and (any(header_score([p]) for p in others) or len(parts) == 1):
                keys[column] = (level, text)
                break
    levels = {level for level, _ in keys.values()}
    for column, parts in enumerate(block.parts):
        if column in keys:
            continue
        for level in levels:
            if level < len(parts) and _label(parts[level]) == "total":
                keys[column] = (level, parts[level])
                break
    return keys


def _odd_groups(block: HeaderBlock, keys: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
    """Columns at a group level whose heading is no period: «Справочно» over the same counts as the months."""
    levels = {level for level, _ in keys.values()}
    odd: dict[int, tuple[int, str]] = {}
    for column, parts in enumerate(block.parts):
        if column in keys:
            continue
        for level in levels:
            if level < len(parts) and is_comparison(parts[level]):  # «+/-» beside «2024 | 2025»
                odd[column] = (level, parts[level])
            elif level < len(parts) - 1 and parts[level] and parts[level] != parts[-1]:
                below = header_score(parts[level + 1:])
                if any(below.get(f, 0) >= THRESHOLD for f in COUNTS):
                    odd[column] = (level, parts[level])
    return odd


def recognise(rows: list[list], block: HeaderBlock, sheet_name: str, overrides: dict | None = None) -> Layout:
    """The layout of one table: shared columns, column groups, and the choice made for every column."""
    overrides = overrides or {}
    data = rows[block.data_start:block.data_start + 400]
    samples = {c: column_values([r[c] if c < len(r) else None for r in data]) for c in range(block.width)}
    keys = {c: k for c, k in _group_keys(block).items() if block.header(c) not in overrides}
    warnings: list[Problem] = []
    odd = _odd_groups(block, keys) if keys else {}
    for _, heading in odd.values():
        if not (_ANNOTATION.search(fold(heading)) or is_comparison(heading)):
            raise LoaderError("column-group-unreadable", header=heading)
    for heading in dict.fromkeys(h for _, h in odd.values()):
        warnings.append(Problem("unplaced-column-group", {"header": heading}, sheet=sheet_name))
    shared = [c for c in range(block.width) if c not in keys and c not in odd]
    mapping, choices = _assign_columns(block, shared, samples, [*FIELDS, NUMBER], overrides, block.titles)
    groups, group_choices = _groups(block, keys, samples, table_year(block, sheet_name), sheet_name)
    choices += group_choices
    for choice in choices:
        if choice.field and choice.field != NUMBER and choice.confidence < LOW_CONFIDENCE:
            warnings.append(Problem("low-confidence-column", {"column": choice.header or f"#{choice.column + 1}",
                                                              "field": choice.field, "confidence": choice.confidence},
                                    sheet=sheet_name))
    warnings += _figures_left_out(choices, samples, sheet_name)
    mapping = {c: f for c, f in mapping.items() if f != NUMBER}
    return Layout(mapping, groups, sorted(choices, key=lambda c: c.column), warnings)


_SHARE_WORDS = folded(r"%|процент|доля|удельн|средн|на 10|на 100|на 1000|рейтинг|место|ранг")


def _figures_left_out(choices: list[Choice], samples: dict[int, Values], sheet_name: str) -> list[Problem]:
    """Columns of counts or dates that no field took («студентов колледжей» beside «студентов вузов», «Дата
    начала» beside «Дата окончания», age groups): said, never dropped without a word. Row numbers, years,
    shares, ranks and comparisons («+/-», «%») are not figures of the report."""
    left = []
    for choice in choices:
        values = samples.get(choice.column)
        if choice.field is not None or values is None or values.filled < 2 or values.sequence:
            continue
        header = choice.header or f"#{choice.column + 1}"
        if is_comparison(header) or _SHARE_WORDS.search(fold(header)) or _ANNOTATION.search(fold(header)):
            continue
        parts = header.split(" / ")
        words = header_score(parts)
        if NUMBER in words or any(is_part_heading(p) for p in parts) and not words:
            continue  # «№»: row numbers; «в том числе: лекций | бесед»: a breakdown of a total that is read
        counts = values.numbers >= 0.8 and values.years < 0.8 and values.serials < 0.8
        if counts or values.dates + values.serials >= 0.8:
            left.append(Problem("column-not-read", {"column": header}, sheet=sheet_name))
    return left


def _scores(block: HeaderBlock, column: int, samples: dict[int, Values], fields, parts=None) -> dict[str, tuple]:
    words = header_score(parts if parts is not None else block.parts[column])
    values = samples[column]
    return {f: (words.get(f, 0.0), value_score(f, values)) for f in fields}


def _assign_columns(block, columns, samples, fields, overrides, titles) -> tuple[dict[int, str], list[Choice]]:
    fixed = {c: overrides[block.header(c)] for c in columns if block.header(c) in overrides}
    wanted = {f for f in fixed.values() if f}
    scored = {c: _scores(block, c, samples, fields) for c in columns if c not in fixed}
    totals = {c: {f: h + v for f, (h, v) in s.items()
                  if f not in wanted and (h > 0 or (v >= 3.5 and f in VALUES_ONLY))}
              for c, s in scored.items()}
    mapping = assign(totals, THRESHOLD)
    mapping.update({c: f for c, f in fixed.items() if f})
    choices = []
    for c in columns:
        chosen = mapping.get(c)
        if c in fixed:
            choices.append(Choice(c, block.header(c), chosen, 1.0, {"analyst": 1.0}))
            continue
        choices.append(_choice(block.header(c), c, chosen, scored[c], totals[c]))
    return mapping, choices


def _choice(header: str, column: int, chosen: str | None, scored: dict, totals: dict,
            group: str | None = None) -> Choice:
    if chosen is None:
        return Choice(column, header, None, 0.0, {}, group)
    words, values = scored[chosen]
    score = totals[chosen]
    rivals = sorted((v for f, v in totals.items() if f != chosen), reverse=True)
    margin = score - (rivals[0] if rivals else 0.0)
    confidence = round(0.6 * min(max((score - 2.0) / 4.0, 0.0), 1.0) + 0.4 * min(max(margin / 3.0, 0.0), 1.0), 2)
    if words <= 0:
        confidence = min(confidence, VALUES_ONLY_CONFIDENCE)
    return Choice(column, header, chosen, confidence, {"header": round(words, 2), "values": round(values, 2)}, group)


def _groups(block, keys, samples, year, sheet_name) -> tuple[list[Group], list[Choice]]:
    by_heading: dict[tuple[int, str], list[int]] = {}
    for column, key in keys.items():
        by_heading.setdefault(key, []).append(column)
    groups, choices = [], []
    for (level, heading), columns in by_heading.items():
        total = _label(heading) == "total"
        period = None if total else parse_period(heading, year)
        if not total and period is None:
            raise LoaderError("column-group-unreadable", header=heading)
        parts = {c: [p for n, p in enumerate(block.parts[c]) if n != level and p != heading] for c in columns}
        scored = {c: _scores(block, c, samples, COUNTS, parts[c] or [heading, *block.titles]) for c in columns}
        totals = {c: {f: h + v for f, (h, v) in s.items() if h > 0} for c, s in scored.items()}
        mapping = assign(totals, THRESHOLD)
        groups.append(Group(heading, period, {f: c for c, f in mapping.items()}))
        choices += [_choice(block.header(c), c, mapping.get(c), scored[c], totals[c], heading) for c in columns]
    return groups, choices
