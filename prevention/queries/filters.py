"""The dashboard's filters as one plain value, passed to every query."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Filters:
    """A record is in view when its whole period lies in [date_from, date_to] (either end may be open) and it
    matches every non-empty list; which records in view count is the period rule (queries.periods). Empty tuples
    mean "all". Hashable, so it can key a cache."""
    date_from: date | None = None
    date_to: date | None = None
    regions: tuple[str, ...] = field(default_factory=tuple)      # ISO codes, e.g. ("KZ-35",)
    event_types: tuple[str, ...] = field(default_factory=tuple)  # canonical Russian labels, e.g. ("лекция",)
    audiences: tuple[str, ...] = field(default_factory=tuple)
    organizers: tuple[str, ...] = field(default_factory=tuple)

    def year_earlier(self) -> Filters:
        """The same filters over the same dates one year earlier (29 Feb becomes 28 Feb)."""
        def back(d: date | None) -> date | None:
            if d is None:
                return None
            try:
                return d.replace(year=d.year - 1)
            except ValueError:
                return d.replace(year=d.year - 1, day=28)
        return Filters(back(self.date_from), back(self.date_to), self.regions, self.event_types,
                       self.audiences, self.organizers)
