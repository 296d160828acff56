"""Queries: every SQL aggregation the pages and documents show, as functions (con, filters) -> DataFrame."""
