"""Ingestion and queries run without the UI: importing them must not import Streamlit."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_loaders_do_not_import_streamlit():
    modules = imported_modules("import loaders, loaders.__main__; loaders.parse_bytes(b'', 'x')")
    assert "loaders.ingest" in modules
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in modules)


def test_storage_and_queries_do_not_import_streamlit():
    modules = imported_modules("import prevention.storage.db, prevention.storage.batches, prevention.queries.activity")
    assert "prevention.queries.activity" in modules
    assert "streamlit" not in modules


def test_the_cli_path_does_not_import_pandas(tmp_path):
    """pandas costs about a second of start-up; the loaders and the store get by with DuckDB and NumPy."""
    from tests.workbooks import KARAGANDA_JUNE_2025, event_log

    path = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025)
    modules = imported_modules(
        f"from loaders.__main__ import main; assert main(['--db', {str(tmp_path / 'x.duckdb')!r}, {str(path)!r}]) == 0")
    assert "prevention.storage.batches" in modules
    assert "pandas" not in modules
