"""The shared filter sidebar. Every filter is a keyed widget kept in the URL, so a copied link reproduces the
view in any interface language; `current_filters()` turns the widgets' state into a prevention Filters value.

The period and the organisers are bound to the URL by Streamlit (their labels are the same in every language);
regions, forms and audiences hold canonical Russian names, are shown in the reader's language and are kept in the
URL by ui.links (always the Russian names, so a link means the same thing in every language)."""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import streamlit as st

from prevention import texts
from prevention.app.components import fmt
from prevention.app.components.safe import inert
from prevention.app.session import links
from prevention.app.session.i18n import lang as ui_lang
from prevention.app.session.i18n import tr
from prevention.app.session.state import Data
from prevention.queries.filters import Filters

# Widget keys; they are also the URL query parameter names.
PERIOD, REGIONS, FORMS, AUDIENCES, ORGANIZERS = "period", "regions", "forms", "audiences", "organizers"
PRESET, PRESET_YEAR, PRESET_QUARTER = "preset", "preset_year", "preset_quarter"
REGION_PICK = "region_pick"  # the Region page's selector, kept equal to the first region of the filter
PERIOD_DEFAULT = "_period_default"  # the default period of the last run: a period still at it follows the data

# The presets' values (stable, in Russian as before); their labels come from the catalogue.
THIS_YEAR, LAST_12, DRUG_MONTH, QUARTER, ALL_TIME = (
    "Этот год", "12 месяцев", "Месячник", "Квартал", "Всё время",
)
PRESETS = [THIS_YEAR, LAST_12, DRUG_MONTH, QUARTER, ALL_TIME]
PRESET_KEYS = {THIS_YEAR: "sidebar.preset.this_year", LAST_12: "sidebar.preset.last_12",
               DRUG_MONTH: "sidebar.preset.drug_month", QUARTER: "sidebar.preset.quarter",
               ALL_TIME: "sidebar.preset.all_time"}


def today() -> date:
    return date.today()


def default_period(date_min: date | None, date_max: date | None, now: date | None = None) -> tuple[date, date]:
    """The latest year that has data, from 1 January to its end (or to today in the current year)."""
    now = now or today()
    if date_max is None:
        return date(now.year, 1, 1), now
    year = date_max.year
    return date(year, 1, 1), min(date(year, 12, 31), max(now, date_max))


def preset_period(preset: str, year: int, quarter: int, date_min: date | None, date_max: date | None,
                  now: date | None = None) -> tuple[date, date] | None:
    now = now or today()
    if preset == THIS_YEAR:
        return date(now.year, 1, 1), now
    if preset == LAST_12:
        try:
            start = now.replace(year=now.year - 1)
        except ValueError:  # 29 February
            start = now.replace(year=now.year - 1, day=28)
        return start + timedelta(days=1), now
    if preset == DRUG_MONTH:
        return date(year, 5, 26), date(year, 6, 26)
    if preset == QUARTER:
        first = date(year, 3 * (quarter - 1) + 1, 1)
        last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return first, last - timedelta(days=1)
    if preset == ALL_TIME and date_min is not None and date_max is not None:
        return date_min, date_max
    return None


def _bounds(date_min: date | None, date_max: date | None) -> tuple[date, date]:
    now = today()
    low = min(date(2015, 1, 1), date_min or now)
    high = max(date(now.year + 1, 12, 31), date_max or now)
    return low, high


def _apply_preset(options: dict) -> None:
    preset = st.session_state.get(PRESET)
    if not preset:
        return
    period = preset_period(preset, st.session_state.get(PRESET_YEAR) or today().year,
                           st.session_state.get(PRESET_QUARTER) or 1, options["date_min"], options["date_max"])
    if period is not None:
        low, high = _bounds(options["date_min"], options["date_max"])
        st.session_state[PERIOD] = (max(period[0], low), min(period[1], high))


def _follow_default(default: tuple[date, date]) -> None:
    """A period nobody chose (still the default of the data as it was) follows the data: the first upload into an
    empty database moves the view from this year to the year of the reports, instead of leaving every page empty."""
    previous = st.session_state.get(PERIOD_DEFAULT)
    chosen = st.session_state.get(PERIOD)
    if previous is not None and previous != default and chosen is not None and tuple(chosen) == previous:
        st.session_state[PERIOD] = default
    st.session_state[PERIOD_DEFAULT] = default
    if previous is not None and previous[0].year != default[0].year \
            and st.session_state.get(PRESET_YEAR) == previous[0].year:
        st.session_state[PRESET_YEAR] = default[0].year  # the presets' year follows too


def _period_edited() -> None:
    st.session_state[PRESET] = None


def _reset(options: dict) -> None:
    st.session_state[PERIOD] = default_period(options["date_min"], options["date_max"])
    for key in (REGIONS, FORMS, AUDIENCES, ORGANIZERS):
        st.session_state[key] = []
    st.session_state[PRESET] = None


def set_regions(codes: list[str], names: dict[str, str]) -> None:
    """Set the region filter (call from a widget callback, before the sidebar is drawn)."""
    st.session_state[REGIONS] = [names[c] for c in codes if c in names]


def region_picked(names: dict[str, str]) -> None:
    """on_change of the Region page's selector: the picked region becomes the region filter."""
    set_regions([st.session_state[REGION_PICK]], names)


def _region_label(names: dict[str, str], language: str):
    codes = {name: code for code, name in names.items()}
    return lambda name: fmt.region(codes[name], language) if name in codes else name


def _canonical_regions(names: dict[str, str]):
    """Russian names, ISO codes and the names in every language -> the Russian name."""
    pairs = [(code, name) for code, name in names.items()] + [(name, name) for name in names.values()]
    pairs += [(texts.region_name(code, lang), name) for code, name in names.items() for lang in texts.LANGUAGES]
    return links.lookup(pairs)


def _canonical_vocab(kind: str, values: list[str]):
    pairs = [(v, v) for v in values] + [(texts.vocab_label(kind, v, lang), v) for v in values
                                         for lang in texts.LANGUAGES]
    return links.lookup(pairs)


def _seed_from_url(names: dict[str, str], options: dict) -> None:
    if not links.first_run():
        return
    links.seed(REGIONS, _canonical_regions(names))
    links.seed(FORMS, _canonical_vocab("event_type", options["event_types"]))
    links.seed(AUDIENCES, _canonical_vocab("audience", options["audiences"]))


def _sorted_by_label(values: list[str], label) -> list[str]:
    return sorted(values, key=lambda v: (fmt.sort_key(label(v)), v))


def render(data: Data) -> Filters:
    """Draw the filters in the sidebar and return them as a Filters value."""
    options = data.filter_options()
    names = data.region_names()
    links.note_language()
    _seed_from_url(names, options)
    links.keep(REGIONS, FORMS, AUDIENCES, PRESET, PRESET_QUARTER)
    date_min, date_max = options["date_min"], options["date_max"]
    low, high = _bounds(date_min, date_max)
    top = max(today().year, (date_max or today()).year)
    years = list(range(top, min((date_min or today()).year, top) - 1, -1))
    language = ui_lang()
    region_label = _region_label(names, language)
    form_label = partial(fmt.form, language=language)
    audience_label = partial(fmt.audience, language=language)
    default = default_period(date_min, date_max)
    _follow_default(default)
    with st.sidebar:
        st.subheader(tr("sidebar.title"))
        st.date_input(
            tr("sidebar.period"), value=default, min_value=low,
            max_value=high, key=PERIOD, bind="query-params", format="DD.MM.YYYY", on_change=_period_edited,
        )
        chosen = st.session_state.get(PERIOD) or ()
        if len(chosen) == 2 and chosen[0] and chosen[1] and chosen[0] > chosen[1]:
            st.warning(tr("sidebar.period_reversed", start=fmt.day(chosen[1]), end=fmt.day(chosen[0])),
                       icon=":material/swap_horiz:")
        st.pills(tr("sidebar.presets"), PRESETS, format_func=lambda p: texts.t(PRESET_KEYS[p], language), key=PRESET,
                 selection_mode="single", help=tr("sidebar.presets_help"), on_change=_apply_preset, args=(options,))
        left, right = st.columns(2)
        default_year = (date_max or today()).year
        left.selectbox(tr("sidebar.year"), years, index=years.index(default_year) if default_year in years else 0,
                       key=PRESET_YEAR, on_change=_apply_preset, args=(options,),
                       help=tr("sidebar.year_help"))
        right.selectbox(tr("sidebar.quarter"), [1, 2, 3, 4],
                        format_func=lambda q: texts.t("sidebar.quarter_option", language, q=q),
                        key=PRESET_QUARTER, on_change=_apply_preset, args=(options,))
        st.multiselect(tr("sidebar.regions"), _sorted_by_label(list(names.values()), region_label),
                       format_func=region_label, key=REGIONS, placeholder=tr("sidebar.regions_all"))
        st.multiselect(tr("sidebar.forms"), _sorted_by_label(options["event_types"], form_label),
                       format_func=form_label, key=FORMS, placeholder=tr("sidebar.forms_all"))
        st.multiselect(tr("sidebar.audiences"), _sorted_by_label(options["audiences"], audience_label),
                       format_func=audience_label, key=AUDIENCES, placeholder=tr("sidebar.audiences_all"))
        st.multiselect(tr("sidebar.organizers"), options["organizers"], key=ORGANIZERS, bind="query-params",
                       placeholder=tr("sidebar.organizers_all"))
        st.button(tr("sidebar.reset"), on_click=_reset, args=(options,), width="stretch")
        as_of = data.as_of()
        if as_of is not None:
            st.caption(tr("sidebar.as_of", when=fmt.date_time(as_of)))
        st.caption(tr("sidebar.link_note"))
    for key in (REGIONS, FORMS, AUDIENCES):
        links.publish(key, st.session_state.get(key))
    return current_filters(data)


def current_filters(data: Data) -> Filters:
    """The Filters value of the widgets' current state (pages call this after the sidebar is drawn)."""
    period = st.session_state.get(PERIOD) or ()
    if isinstance(period, date):
        period = (period,)
    date_from = period[0] if len(period) >= 1 else None
    date_to = period[1] if len(period) >= 2 else None
    if date_from and date_to and date_from > date_to:  # «30.06–01.06» from a link: read as 01.06–30.06, and said
        date_from, date_to = date_to, date_from
    codes = {name: code for code, name in data.region_names().items()}
    return Filters(
        date_from=date_from,
        date_to=date_to,
        regions=tuple(codes[n] for n in st.session_state.get(REGIONS) or () if n in codes),
        event_types=tuple(st.session_state.get(FORMS) or ()),
        audiences=tuple(st.session_state.get(AUDIENCES) or ()),
        organizers=tuple(st.session_state.get(ORGANIZERS) or ()),
    )


def describe(f: Filters, names: dict[str, str], lang: str | None = None) -> list[tuple[str, str]]:
    """The filters in words: in the interface language for captions, in Russian (lang="ru") for the export's
    first sheet, whose other texts are Russian."""
    lang = lang or ui_lang()

    def listed(values):
        return ", ".join(values) if values else texts.t("sidebar.describe.all", lang)

    return [
        (texts.t("sidebar.describe.period", lang), fmt.period(f.date_from, f.date_to, lang)),
        (texts.t("sidebar.describe.regions", lang), listed([texts.region_name(c, lang) if c in names else c
                                                           for c in f.regions])),
        (texts.t("sidebar.describe.forms", lang), listed([texts.vocab_label("event_type", v, lang)
                                                         for v in f.event_types])),
        (texts.t("sidebar.describe.audiences", lang), listed([texts.vocab_label("audience", v, lang)
                                                             for v in f.audiences])),
        (texts.t("sidebar.describe.organizers", lang), listed(list(f.organizers))),
    ]


def caption(f: Filters, names: dict[str, str]) -> str:
    """The filters in one markdown line; the listed values (organisers, forms, codes from a link) made inert, the
    period (dates this module formats) as it is."""
    (period_label, period), *listed = describe(f, names)
    return " · ".join([f"{period_label}: {period}", *(f"{k}: {inert(v)}" for k, v in listed)])
