"""The shared filter sidebar. Every filter is a keyed widget bound to the URL, so a copied link
reproduces the view; `current_filters()` turns the widgets' state into a prevention Filters value."""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from prevention.filters import Filters
from ui import fmt
from ui.state import Data

# Widget keys; they are also the URL query parameter names.
PERIOD, REGIONS, FORMS, AUDIENCES, ORGANIZERS = "period", "regions", "forms", "audiences", "organizers"
PRESET, PRESET_YEAR, PRESET_QUARTER = "preset", "preset_year", "preset_quarter"
REGION_PICK = "region_pick"  # the Region page's selector, kept equal to the first region of the filter

THIS_YEAR, LAST_12, DRUG_MONTH, QUARTER, ALL_TIME = (
    "Этот год", "12 месяцев", "Месячник", "Квартал", "Всё время",
)
PRESETS = [THIS_YEAR, LAST_12, DRUG_MONTH, QUARTER, ALL_TIME]
PRESET_HELP = (
    "«Этот год» — с 1 января по сегодня; «12 месяцев» — последние 12 месяцев по сегодня; "
    "«Месячник» — антинаркотический месячник 26 мая – 26 июня выбранного года; "
    "«Квартал» — выбранный квартал выбранного года; «Всё время» — все загруженные данные."
)


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


def render(data: Data) -> Filters:
    """Draw the filters in the sidebar and return them as a Filters value."""
    options = data.filter_options()
    names = data.region_names()
    date_min, date_max = options["date_min"], options["date_max"]
    low, high = _bounds(date_min, date_max)
    top = max(today().year, (date_max or today()).year)
    years = list(range(top, min((date_min or today()).year, top) - 1, -1))
    with st.sidebar:
        st.subheader("Фильтры")
        st.date_input(
            "Период (дата мероприятия)", value=default_period(date_min, date_max), min_value=low,
            max_value=high, key=PERIOD, bind="query-params", format="DD.MM.YYYY", on_change=_period_edited,
        )
        st.pills("Быстрый выбор", PRESETS, key=PRESET, selection_mode="single", help=PRESET_HELP,
                 on_change=_apply_preset, args=(options,))
        left, right = st.columns(2)
        default_year = (date_max or today()).year
        left.selectbox("Год", years, index=years.index(default_year) if default_year in years else 0,
                       key=PRESET_YEAR, on_change=_apply_preset, args=(options,),
                       help="Для месячника и квартала")
        right.selectbox("Квартал", [1, 2, 3, 4], format_func=lambda q: f"{q} кв.", key=PRESET_QUARTER,
                        on_change=_apply_preset, args=(options,))
        st.multiselect("Регионы", list(names.values()), key=REGIONS, bind="query-params",
                       placeholder="Все регионы")
        st.multiselect("Формы мероприятий", options["event_types"], key=FORMS, bind="query-params",
                       placeholder="Все формы")
        st.multiselect("Аудитории", options["audiences"], key=AUDIENCES, bind="query-params",
                       placeholder="Все аудитории")
        st.multiselect("Организаторы", options["organizers"], key=ORGANIZERS, bind="query-params",
                       placeholder="Все организаторы")
        st.button("Сбросить фильтры", on_click=_reset, args=(options,), width="stretch")
        as_of = data.as_of()
        if as_of is not None:
            st.caption(f"Данные загружены по состоянию на {fmt.datetime_ru(as_of)}.")
        st.caption("Ссылка в адресной строке сохраняет выбранные фильтры: ею можно поделиться.")
    return current_filters(data)


def current_filters(data: Data) -> Filters:
    """The Filters value of the widgets' current state (pages call this after the sidebar is drawn)."""
    period = st.session_state.get(PERIOD) or ()
    if isinstance(period, date):
        period = (period,)
    date_from = period[0] if len(period) >= 1 else None
    date_to = period[1] if len(period) >= 2 else None
    codes = {name: code for code, name in data.region_names().items()}
    return Filters(
        date_from=date_from,
        date_to=date_to,
        regions=tuple(codes[n] for n in st.session_state.get(REGIONS) or () if n in codes),
        event_types=tuple(st.session_state.get(FORMS) or ()),
        audiences=tuple(st.session_state.get(AUDIENCES) or ()),
        organizers=tuple(st.session_state.get(ORGANIZERS) or ()),
    )


def describe(f: Filters, names: dict[str, str]) -> list[tuple[str, str]]:
    """The filters in words, for captions and for the export's first sheet."""
    def listed(values, every):
        return ", ".join(values) if values else every
    return [
        ("Период", fmt.period_ru(f.date_from, f.date_to)),
        ("Регионы", listed([names.get(c, c) for c in f.regions], "все")),
        ("Формы мероприятий", listed(f.event_types, "все")),
        ("Аудитории", listed(f.audiences, "все")),
        ("Организаторы", listed(f.organizers, "все")),
    ]


def caption(f: Filters, names: dict[str, str]) -> str:
    return " · ".join(f"{k}: {v}" for k, v in describe(f, names))
