"""Real-browser tests: Debian's Chromium driven by Playwright (never `playwright install`).

Without Chromium these tests are skipped, loudly; with MISSIVE_REQUIRE_BROWSER=1 (CI)
a missing browser is a failure. The accessibility scans also need axe-core from npm
(`npm ci`, which `make test` runs when npm is installed); without it they are skipped,
loudly, or fail in CI.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MISSIVE_CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("MISSIVE_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))

# The rules the archive is held to: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def required():
    return os.environ.get("MISSIVE_REQUIRE_BROWSER") == "1"


def skip_or_fail(message):
    if required():
        pytest.fail(message)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    """Say plainly which browser tests did not run and why, even without -rs."""
    reasons = {}
    for report in terminalreporter.stats.get("skipped", []):
        if "tests/browser/" in report.nodeid.replace(os.sep, "/"):
            reason = (
                report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            )
            reason = reason.removeprefix("Skipped: ")
            reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.section("real-browser tests skipped", sep="=", yellow=True, bold=True)
        for reason, count in reasons.items():
            terminalreporter.line(
                f"SKIPPED {count} browser test{'s' if count != 1 else ''}: {reason}", yellow=True
            )


@pytest.fixture(scope="session")
def chromium_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        skip_or_fail(
            f"Chromium not found at {CHROMIUM}: browser tests cannot run (apt-get install chromium)."
        )
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
def new_page(chromium_browser):
    """Open a page in a fresh browser context with the given options (viewport, java_script_enabled…)."""
    contexts = []

    def open_page(**context_options):
        context = chromium_browser.new_context(**context_options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def seeded_vocabulary(vocabulary):
    """Every browser test is transactional: the statuses come back after each flush."""


@pytest.fixture(scope="session")
def axe_source():
    """The text of axe-core's axe.min.js, installed from npm (package-lock.json) by `npm ci`."""
    if not AXE.is_file():
        skip_or_fail(
            f"axe-core not found at {AXE}: accessibility scans cannot run "
            "(install Node.js and npm, then run `make test`, or `npm ci --no-audit --no-fund`)."
        )
    return AXE.read_text(encoding="utf-8")


def describe_violations(url, violations):
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:300]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(axe_source):
    """Scan the page as it is now with axe-core; fail on any serious or critical violation."""

    def scan(page):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        assert results["passes"], f"axe-core checked nothing on {page.url}"
        failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not failing, describe_violations(page.url, failing)
        return results

    return scan
