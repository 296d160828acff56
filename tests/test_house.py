"""House rules the code keeps: small modules with one job, short functions, and the README's layout section
naming the folders that exist."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SCHEMA = ("prevention/storage/db.py",)  # migrations: schema DDL may be long (the only exception)
SOURCES = sorted([ROOT / "dashboard.py", *(ROOT / "loaders").rglob("*.py"), *(ROOT / "prevention").rglob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} is over {MAX_MODULE_LINES} lines"
    schema = str(path.relative_to(ROOT)) in SCHEMA
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if schema and node.name.startswith("_v"):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            assert length <= MAX_FUNCTION_LINES, f"{where} {node.name}() is {length} lines"


def test_the_readme_layout_names_folders_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    for folder in ("loaders/", "prevention/storage/", "prevention/queries/", "prevention/output/", "prevention/texts/",
                   "prevention/usecases/", "prevention/cli/", "prevention/app/"):
        assert folder in layout, f"the README's layout does not name {folder}"
        assert (ROOT / folder).is_dir(), folder
