"""The README is part of the product: its commands are the ones CI runs, and it lists every page."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "\nrun:" in makefile and "\ntest:" in makefile


def test_every_page_is_in_the_readme_and_in_the_navigation():
    views = ROOT / "prevention" / "app" / "views"
    pages = sorted(p.name for p in views.glob("*.py") if p.name != "__init__.py")
    assert pages, "no pages found"
    navigation = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    for name in pages:
        assert f"views/{name}" in README, f"README does not describe views/{name}"
        assert f"prevention/app/views/{name}" in navigation, f"prevention/app/views/{name} is not in the navigation"


def test_every_cli_is_documented():
    for command in ("python -m loaders", "python -m prevention.demo", "python -m prevention.users",
                    "python -m prevention.backup"):
        assert command in README, command
