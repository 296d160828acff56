"""Building blocks shared by several pages: formatting, filters, KPI cards, charts, tables, downloads."""
