"""Reading prevention-activity reports: bytes in, clean records and a report of problems out.

Runs without Streamlit and imports nothing of storage or the app (`python -m loaders` is a thin entry to the CLI).
The public names are loaded on first use, so `import loaders` stays cheap."""
import logging

__all__ = ["FileReport", "IngestReport", "LoaderError", "ParseOptions", "Parsed", "Problem", "RECORD_FIELDS",
           "parse_bytes", "parse_isolated"]

_WHERE = {"FileReport": "loaders.report", "IngestReport": "loaders.report", "LoaderError": "loaders.problems",
          "Problem": "loaders.problems", "ParseOptions": "loaders.options", "Parsed": "loaders.ingest",
          "RECORD_FIELDS": "loaders.ingest", "parse_bytes": "loaders.ingest", "parse_isolated": "loaders.sandbox"}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")


logging.getLogger(__name__).addHandler(logging.NullHandler())  # the caller decides where logs go
