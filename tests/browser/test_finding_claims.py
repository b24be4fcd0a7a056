"""A researcher narrows the claim list with the filter form and the search box, in a real browser."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABOUT = re.compile(r"^About:?$")  # the select's label, with or without Django's label suffix


def query(page):
    return parse_qs(urlsplit(page.url).query)


def listed_claim_paths(page):
    """The claim page each result links to, in the order listed."""
    return page.locator(".results .claim-summary h3 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def paths(claims):
    return {claim.get_absolute_url() for claim in claims}


def results_heading_count(page):
    heading = page.locator("#results-heading").inner_text()
    match = re.match(r"(\d+) claims?\b", heading)
    assert match, heading
    return int(match.group(1))


def filter_by_disputed(page):
    form = page.locator("form.filters")
    form.get_by_role("checkbox", name="Disputed", exact=True).check()
    form.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/claims/?*status=disputed*")


def assert_only_disputed_claims_listed(page):
    assert query(page)["status"] == ["disputed"]
    disputed = Claim.objects.filter(status__slug="disputed")
    assert disputed.count() > 0
    statuses = page.locator(".results .claim-summary .claim-meta .status").all_inner_texts()
    assert statuses and set(statuses) == {"Disputed"}
    # Each says whose it is: the party whose response disputes the claim.
    metas = page.locator(".results .claim-summary .claim-meta").all_inner_texts()
    assert sorted(meta.split(" · ")[0] for meta in metas) == sorted(
        "Status: Disputed: "
        + "; ".join(
            f"{r.actor.name} {r.get_stance_display().lower()} it" for r in claim.responses.all()
        )
        for claim in disputed.prefetch_related("responses__actor")
    )
    assert sorted(listed_claim_paths(page)) == sorted(paths(disputed))
    assert results_heading_count(page) == disputed.count()
    # The form shows the filter it applied.
    assert (
        page.locator("form.filters")
        .get_by_role("checkbox", name="Disputed", exact=True)
        .is_checked()
    )


def test_filter_claims_by_status(page, live_server, shipped_letters):
    page.goto(live_server.url + "/claims/")
    assert results_heading_count(page) == Claim.objects.count()
    filter_by_disputed(page)
    assert_only_disputed_claims_listed(page)


def test_filter_claims_by_the_actor_they_are_about(page, live_server, shipped_letters):
    page.goto(live_server.url + "/claims/")
    about = page.locator("form.filters").get_by_role("combobox", name=ABOUT)
    about.select_option(label="Pakistan")
    page.locator("form.filters").get_by_role("button", name="Apply").click()
    page.wait_for_url("**/claims/?*about=pakistan*")

    assert query(page)["about"] == ["pakistan"]
    expected = Claim.objects.filter(about__slug="pakistan").distinct()
    assert 0 < expected.count() < Claim.objects.count()
    assert sorted(listed_claim_paths(page)) == sorted(paths(expected))
    assert results_heading_count(page) == expected.count()
    assert (
        page.locator("form.filters").get_by_role("combobox", name=ABOUT).input_value() == "pakistan"
    )


def test_search_highlights_the_terms_it_found(page, live_server, shipped_letters):
    page.goto(live_server.url + "/claims/")
    search = page.locator("form.filters").get_by_role("textbox", name="Search")
    search.fill("annexed")
    search.press("Enter")
    page.wait_for_url("**/claims/?*q=annexed*")

    assert query(page)["q"] == ["annexed"]
    listed = listed_claim_paths(page)
    assert Claim.objects.get(key="forcibly-annexed-1948").get_absolute_url() in listed
    marks = page.locator(".results .claim-summary mark")
    assert marks.count() > 0
    for text in marks.all_inner_texts():
        assert text.lower().startswith("annex"), text
    # The statement of the annexation claim carries a highlight, not just its quote.
    assert page.locator(".results .claim-summary h3 a mark").count() > 0
    assert page.title().startswith("Claims: “annexed”")


def test_the_claim_list_filters_without_javascript(new_page, live_server, shipped_letters):
    page = new_page(java_script_enabled=False)
    page.set_content("<title>before</title><script>document.title = 'scripts ran'</script>")
    assert page.title() == "before"  # the page's own scripts really are off
    page.goto(live_server.url + "/claims/")
    filter_by_disputed(page)
    assert_only_disputed_claims_listed(page)
