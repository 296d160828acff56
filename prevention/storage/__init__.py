"""Storage: the DuckDB schema and its migrations, batches, kept originals, accounts, the audit log."""
