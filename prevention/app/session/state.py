"""The process-wide DuckDB connection and the cached query results.

One connection per process and database path (`st.cache_resource`); every query runs on its own
cursor (the query module does that). Results are cached with `st.cache_data`, keyed on the query
name, its arguments (a Filters value is a frozen dataclass, hashed field by field) and the data
version that every load or deletion bumps, so an upload shows at once and nothing stale is served.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from prevention.app.session.i18n import tr
from prevention.output import geo
from prevention.queries import activity
from prevention.storage import db


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    con = db.connect(path)
    # The server keeps query results small; cap what DuckDB may hold so 10 sessions fit in 600 MB.
    con.execute("SET memory_limit = '256MB'")
    return con


def db_path() -> str:
    return str(db.resolve_path())


def connection():
    """The shared connection of this process (for writes such as deleting the demo batch). A database that
    cannot be opened stops the page with its reason (whoever asks first: the sign-in, the sidebar, a page)."""
    try:
        return _connection(db_path())
    except db.DatabaseError as e:  # e.g. another process holds the file for writing
        st.error(database_error(e), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=300, ttl=6 * 3600)
def _query(name: str, path: str, version: int, args: tuple) -> Any:
    return getattr(activity, name)(_connection(path), *args)


@st.cache_data(show_spinner=False, max_entries=300, ttl=6 * 3600)
def _derived(name: str, path: str, version: int, args: tuple) -> Any:
    """A result derived from cached query results (plain pandas on small frames: KPIs, regions, trend,
    breakdowns), cached the same way, so a rerun on a filter seen before does no pandas work."""
    return getattr(Data(path, version), name)(*args)


@st.cache_resource(show_spinner=False)
def region_shapes() -> dict:
    """The simplified GeoJSON of the 20 regions (feature ids = ISO codes), built once per process."""
    return geo.regions_geojson()


class Data:
    """Cached access to prevention.queries for one script run: `Data().kpis(filters)`."""

    def __init__(self, path: str | None = None, version: int | None = None) -> None:
        self.path = path or db_path()
        self.version = db.data_version(_connection(self.path)) if version is None else version
        self._options: dict | None = None  # this run's filter options, asked for several times per run
        self._names: dict[str, str] | None = None

    def _q(self, name: str, *args) -> Any:
        return _query(name, self.path, self.version, args)

    def _d(self, name: str, *args) -> Any:
        return _derived(name, self.path, self.version, args)

    def filter_options(self) -> dict:
        """The filter sidebar's options, read from the cache once per run (not changed by the callers)."""
        if self._options is None:
            self._options = self._q("filter_options")
        return self._options

    def is_empty(self) -> bool:
        return self._q("is_empty")

    def has_demo(self) -> bool:
        return self._q("has_demo")

    def as_of(self):
        return self._q("as_of")

    # The figures of a filter are derived from its record parts (one read of the records, cached per filter and
    # data version), as prevention.queries.parts describes; the derivations are plain pandas on a small frame.

    def record_parts(self, f):
        return self._q("record_parts", f)

    def kpis(self, f) -> dict:
        return self._d("_kpis", f)

    def _kpis(self, f) -> dict:
        return activity.kpis_of(self.record_parts(f))

    def kpis_with_change(self, f) -> dict:
        previous = self.kpis(f.year_earlier()) if f.date_from is not None and f.date_to is not None else None
        return {"current": self.kpis(f), "previous": previous}

    def by_region(self, f):
        return self._d("_by_region", f)

    def _by_region(self, f):
        return activity.by_region_of(self.record_parts(f), self._q("region_info", f))

    def trend(self, f, unit: str | None = None) -> dict:
        return self._d("_trend", f, unit)

    def _trend(self, f, unit: str | None = None) -> dict:
        return activity.trend_of(self.record_parts(f), f, unit)

    def breakdown(self, f, column: str):
        """by_event_type, by_audience or by_district by its column name."""
        return self._d("_breakdown_of", f, column)

    def _breakdown_of(self, f, column: str):
        if column == "district":
            labels = self._q("labels", f, column)
        else:  # forms and audiences in one read of the records
            labels = activity.label_set(self._q("label_sets", f, ("event_type", "audience")), column)
        return activity.with_rest(labels, activity.rest_of(self.record_parts(f)))

    def by_event_type(self, f):
        return self.breakdown(f, "event_type")

    def by_audience(self, f):
        return self.breakdown(f, "audience")

    def by_district(self, f):
        return self.breakdown(f, "district")

    def region_vs_median(self, f, region_code: str):
        return self._d("_region_vs_median", f, region_code)

    def _region_vs_median(self, f, region_code: str):
        national = replace(f, regions=())
        return activity.region_vs_median_of(self.record_parts(national), list(self.region_names()), region_code)

    def window_notes(self, f):
        return self._q("window_notes", f)

    def left_out_records(self, f, limit: int | None = None):
        return self._q("left_out_records", f, limit)

    def records(self, f, limit: int | None = None):
        return self._q("records", f, limit)

    def batches_for(self, f):
        return self._q("batches_for", f)

    def region_names(self) -> dict[str, str]:
        """ISO code -> official Russian name, for all 20 regions (the canonical filter values; the interface
        shows them through ui.fmt.region in its language)."""
        if self._names is None:
            regions = self.filter_options()["regions"]
            self._names = dict(zip(regions["region_code"], regions["name_ru"]))
        return dict(self._names)


def data() -> Data:
    """Cached query access for this run; a database that cannot be opened stops the page with its reason."""
    try:
        return Data()
    except db.DatabaseError as e:  # e.g. another process holds the file for writing
        st.error(database_error(e), icon=":material/error:")
        st.stop()


def database_error(e: Exception) -> str:
    """prevention.db's reason in the interface language."""
    if isinstance(e, db.DatabaseLocked):
        return tr("common.ui.db_locked", path=str(db.resolve_path()))
    return tr("common.ui.db_error", path=str(db.resolve_path()), error=str(e.__cause__ or e))


def all_records(f):
    """Every filtered record, uncached (for downloads, built only when the user asks)."""
    return activity.records(connection(), f)
