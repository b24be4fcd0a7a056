"""Real-browser tests: Debian's Chromium driven by Playwright (never `playwright install`).

Without Chromium these tests are skipped, loudly; with MISSIVE_REQUIRE_BROWSER=1 (CI)
a missing browser is a failure.
"""
import importlib
import os
import shutil

import pytest
from django.apps import apps

CHROMIUM = os.environ.get("MISSIVE_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: browser tests cannot run (apt-get install chromium)."
        if os.environ.get("MISSIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def vocabulary(transactional_db):
    """Transactional tests flush the database, seeded rows included: seed the statuses
    again with the data migration's own (idempotent) function."""
    importlib.import_module("claims.migrations.0002_seed_statuses").seed(apps, None)
