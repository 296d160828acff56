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
    modules = imported_modules("import prevention.db, prevention.store, prevention.queries")
    assert "prevention.queries" in modules
    assert "streamlit" not in modules
