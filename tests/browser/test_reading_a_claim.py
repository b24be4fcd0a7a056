"""A researcher follows a letter to one of its claims, in a real browser."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_to_letter_to_claim(page, live_server, shipped_letters):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Letter of 4 January 2026 to NATO member states").click()
    page.wait_for_url("**/letters/balochistan-to-nato-2026-01-04/")
    page.get_by_role("link", name="The letter claims that Iran executes large numbers").click()
    page.wait_for_url("**/claims/*/")
    assert "Iran executes large numbers of ethnic Baloch citizens" in page.locator("h1").inner_text()
    assert "Iran: denies" in page.locator("main").inner_text()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page, live_server, shipped_letters):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
