"""The process-wide DuckDB connection and the cached query results.

One connection per process and database path (`st.cache_resource`); every query runs on its own
cursor (the query module does that). Results are cached with `st.cache_data`, keyed on the query
name, its arguments (a Filters value is a frozen dataclass, hashed field by field) and the data
version that every load or deletion bumps, so an upload shows at once and nothing stale is served.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from prevention.storage import db
from prevention.output import geo
from prevention.queries import activity
from prevention.app.session.i18n import tr


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


@st.cache_resource(show_spinner=False)
def region_shapes() -> dict:
    """The simplified GeoJSON of the 20 regions (feature ids = ISO codes), built once per process."""
    return geo.regions_geojson()


class Data:
    """Cached access to prevention.queries for one script run: `Data().kpis(filters)`."""

    def __init__(self) -> None:
        self.path = db_path()
        self.version = db.data_version(_connection(self.path))

    def _q(self, name: str, *args) -> Any:
        return _query(name, self.path, self.version, args)

    def filter_options(self) -> dict:
        return self._q("filter_options")

    def is_empty(self) -> bool:
        return self._q("is_empty")

    def has_demo(self) -> bool:
        return self._q("has_demo")

    def as_of(self):
        return self._q("as_of")

    def kpis(self, f):
        return self._q("kpis", f)

    def kpis_with_change(self, f):
        return self._q("kpis_with_change", f)

    def by_region(self, f):
        return self._q("by_region", f)

    def by_month(self, f):
        return self._q("by_month", f)

    def by_event_type(self, f):
        return self._q("by_event_type", f)

    def by_audience(self, f):
        return self._q("by_audience", f)

    def by_district(self, f):
        return self._q("by_district", f)

    def region_vs_median(self, f, region_code: str):
        return self._q("region_vs_median", f, region_code)

    def records(self, f, limit: int | None = None):
        return self._q("records", f, limit)

    def batches_for(self, f):
        return self._q("batches_for", f)

    def region_names(self) -> dict[str, str]:
        """ISO code -> official Russian name, for all 20 regions (the canonical filter values; the interface
        shows them through ui.fmt.region in its language)."""
        regions = self.filter_options()["regions"]
        return dict(zip(regions["region_code"], regions["name_ru"]))


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
