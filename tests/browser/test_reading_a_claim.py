"""A researcher follows a letter to one of its claims, in a real browser."""

import re

import pytest

from claims.basis import labelled
from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATO = "balochistan-to-nato-2026-01-04"


def test_home_to_letter_to_claim(page, live_server, shipped_letters):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Letter of 4 January 2026 to NATO member states").click()
    page.wait_for_url("**/letters/balochistan-to-nato-2026-01-04/")
    # The claim is the sender's assertion, and its status says whose it is, on the letter page already.
    link = page.get_by_role(
        "link",
        name="The letter from “Republic of Balochistan” (self-declared) claims that Iran executes large numbers",
    )
    assert "— Disputed: Iran denies it" in link.locator("xpath=..").inner_text()
    link.click()
    page.wait_for_url("**/claims/*/")
    assert (
        "Iran executes large numbers of ethnic Baloch citizens" in page.locator("h1").inner_text()
    )
    assert page.locator(".claim-status .status-basis").inner_text() == "Disputed: Iran denies it."
    assert "Iran: denies" in page.locator("main").inner_text()


def test_home_to_letter_to_a_claim_highlighted_in_the_source_text(
    page, live_server, shipped_letters
):
    claim = Claim.objects.select_related("letter__sender", "status").get(
        letter__slug=NATO, key="iran-executions"
    )
    label = f"Claim {claim.position}: {labelled(claim.status)}"
    assert label == "Claim 14: Disputed (a party's response)"

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Letter of 4 January 2026 to NATO member states").click()
    page.wait_for_url(f"**/letters/{NATO}/")

    # The claim's words are highlighted where the source says them; the link at their end names it.
    source_text = page.locator(".source-text")
    assert source_text.locator("mark.quote", has_text=claim.quote_exact[:30]).count() >= 1
    link = source_text.locator("a.quote-ref", has_text=label)
    assert link.count() == 1 and link.inner_text() == label
    assert "status-disputed" in link.get_attribute("class")
    link.click()

    page.wait_for_url(re.compile(re.escape(live_server.url + claim.get_absolute_url()) + "$"))
    heading = page.locator("h1")
    assert heading.count() == 1
    assert (
        " ".join(heading.inner_text().split())
        == f"The letter from {claim.letter.sender} claims that {claim.statement}"
    )
    assert page.locator(".claim-status .status").inner_text() == "Disputed"
    assert page.get_by_role("heading", name="Status, and whose it is").count() == 1


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page, live_server, shipped_letters):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
