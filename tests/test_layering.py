"""Dependencies point one way: reading (loaders) imports nothing of the application; storage, queries, output and
the use cases never import Streamlit; only the app (prevention/app, dashboard.py) does.

Checked twice: statically, on every import statement of every module, and at run time, by importing each layer in
a fresh interpreter and looking at sys.modules."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> the packages its modules may import (besides the standard library and third-party libraries)
ALLOWED = {
    "loaders": {"loaders"},
    "prevention.texts": {"prevention.texts"},
    "prevention.storage": {"loaders", "prevention.texts", "prevention.storage"},
    "prevention.queries": {"prevention.texts", "prevention.storage", "prevention.queries"},
    "prevention.output": {"loaders", "prevention.texts", "prevention.queries", "prevention.output"},
    "prevention.usecases": {"loaders", "prevention.texts", "prevention.storage", "prevention.queries",
                            "prevention.output", "prevention.usecases"},
    "prevention.ipc": {"prevention.ipc"},
    "prevention.cli": {"loaders", "prevention.texts", "prevention.storage", "prevention.queries", "prevention.output",
                       "prevention.usecases", "prevention.cli", "prevention.ipc"},
    "prevention.service": {"loaders", "prevention.texts", "prevention.storage", "prevention.queries",
                           "prevention.output", "prevention.usecases", "prevention.cli", "prevention.ipc",
                           "prevention.service"},
    "prevention.app": {"loaders", "prevention.texts", "prevention.storage", "prevention.queries", "prevention.output",
                       "prevention.usecases", "prevention.app", "streamlit"},
}
ENTRY_POINTS = {"loaders/__main__.py", "prevention/users.py", "prevention/demo.py", "prevention/backup.py",
                "prevention/__init__.py"}  # `python -m` entries (thin) and the namespace's empty __init__
OURS = ("loaders", "prevention", "streamlit")


def package_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT).with_suffix("").parts
    for depth in (2, 1):
        name = ".".join(parts[:depth])
        if name in ALLOWED:
            return name
    return None


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "prevention")
    return {name for name in found if name.split(".")[0] in OURS}


def layer(name: str) -> str:
    """The layer a dotted import belongs to: `prevention.storage.db` -> `prevention.storage`."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "prevention" and len(parts) > 1 else parts[0]


MODULES = sorted(p for folder in ("loaders", "prevention") for p in (ROOT / folder).rglob("*.py")
                 if str(p.relative_to(ROOT)) not in ENTRY_POINTS)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_every_module_imports_only_the_layers_below_it(path):
    package = package_of(path)
    assert package is not None, f"{path.relative_to(ROOT)} belongs to no layer: add its folder to ALLOWED"
    wrong = sorted(name for name in imports(path) if name != "prevention" and layer(name) not in ALLOWED[package])
    assert not wrong, f"{path.relative_to(ROOT)} ({package}) imports {wrong}"


def test_the_layers_cover_every_package():
    outside = [str(p.relative_to(ROOT)) for p in MODULES if package_of(p) is None]
    assert not outside, f"modules in no layer: {outside}"
    entries = [p for p in (ROOT / "prevention").glob("*.py") if p.name != "__init__.py"]
    for entry in entries:  # the package root holds only `python -m` entries of a few lines
        assert str(entry.relative_to(ROOT)) in ENTRY_POINTS and len(entry.read_text().splitlines()) <= 12, entry


def imported_modules(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("package", [p for p in ALLOWED if p != "prevention.app"])
def test_no_layer_below_the_app_imports_streamlit(package):
    modules = sorted({".".join(p.relative_to(ROOT).with_suffix("").parts) for p in MODULES
                      if package_of(p) == package and p.name != "__main__.py"})
    loaded = imported_modules("; ".join(f"import {m}" for m in modules))
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in loaded), package


def test_reading_imports_nothing_of_the_application():
    loaded = imported_modules("import loaders, loaders.ingest, loaders.sandbox; loaders.parse_bytes(b'', 'x')")
    assert "loaders.ingest" in loaded
    assert not any(m.startswith("prevention") for m in loaded)


def test_the_cli_path_does_not_import_pandas(tmp_path):
    """pandas costs about a second of start-up; the CLI's load gets by with DuckDB and NumPy."""
    from tests.workbooks import KARAGANDA_JUNE_2025, event_log

    path = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025)
    modules = imported_modules(
        f"from loaders.__main__ import main; assert main(['--db', {str(tmp_path / 'x.duckdb')!r}, {str(path)!r}]) == 0")
    assert "prevention.storage.batches" in modules
    assert "pandas" not in modules
