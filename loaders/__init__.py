"""Ingestion of prevention-activity spreadsheets: runs without Streamlit (`python -m loaders`)."""
import logging

from loaders.errors import LoaderError
from loaders.ingest import Parsed, ParseOptions, ingest_bytes, ingest_path, parse_bytes
from loaders.report import FileReport, IngestReport, RowError

__all__ = ["FileReport", "IngestReport", "LoaderError", "ParseOptions", "Parsed", "RowError", "ingest_bytes", "ingest_path", "parse_bytes"]

logging.getLogger(__name__).addHandler(logging.NullHandler())  # the caller decides where logs go
