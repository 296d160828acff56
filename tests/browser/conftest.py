"""One Debian chromium per test module (see harness.py)."""
import pytest

from tests.browser.harness import launch


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
