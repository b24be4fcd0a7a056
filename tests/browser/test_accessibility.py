"""Every kind of page, scanned in Chromium with axe-core: no serious or critical violation."""

import pytest
from django.utils import timezone

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATO = "balochistan-to-nato-2026-01-04"


FEBRUARY = "balochistan-to-unsc-p5-un-oic-02-11"


def a_claim_path():
    return Claim.objects.get(letter__slug=NATO, key="iran-executions").get_absolute_url()


def a_sourced_claim_path():
    """A claim whose status rests on a source's words, quoted on its page."""
    return Claim.objects.get(letter__slug=NATO, key="security-operations-2025").get_absolute_url()


def as_of_today(path):
    return lambda: (
        (path() if callable(path) else path) + f"?as_of={timezone.localdate().isoformat()}"
    )


# (test id, path or a function giving it once the letters are loaded, HTTP status, what must be on the page)
PAGES = [
    ("home", "/", 200, "h1"),
    ("letter-list", "/letters/", 200, "ol.letters article"),
    ("api-documentation", "/api/", 200, "section.api-operation table"),
    (
        "correspondence",
        "/letters/correspondence/?sender=republic-of-balochistan",
        200,
        "svg path.pair.copied",
    ),
    ("letter", f"/letters/{NATO}/", 200, ".source-text a.quote-ref"),
    ("letter-year-unknown", f"/letters/{FEBRUARY}/", 200, "time[datetime='02-11']"),
    ("claim-list", "/claims/", 200, ".claim-summary"),
    ("claim-search", "/claims/?q=pakistan&status=disputed", 200, ".claim-summary mark"),
    # A reversed date range is a 400 page that says what is wrong, beside the field.
    (
        "claim-list-form-error",
        "/claims/?date_from=2026-02-01&date_to=2026-01-01",
        400,
        ".has-error .errorlist",
    ),
    ("claim", a_claim_path, 200, "article.claim blockquote mark"),
    (
        "claim-sourced-status",
        a_sourced_claim_path,
        200,
        ".claim-status .status-basis .status-unverified",
    ),
    # Past versions carry a notice; every claim and letter page a citation with its BibTeX.
    ("claim-past-version", as_of_today(a_claim_path), 200, ".past-version + .kicker"),
    ("letter-past-version", as_of_today(f"/letters/{NATO}/"), 200, ".past-version ~ .cite details"),
    ("claim-bad-day", lambda: a_claim_path() + "?as_of=someday", 400, "[role=alert]"),
    ("actor-list", "/actors/", 200, "ul.actors a"),
    ("actor", "/actors/pakistan/", 200, "article.actor"),
    ("actor-signatory", "/actors/mir-yar-baloch/", 200, "#signed-heading + ul a"),
    ("actor-addressed", "/actors/united-kingdom/", 200, "#requests-heading + ul a"),
    ("recurring-list", "/recurring/", 200, "ul.recurring-assertions a"),
    ("recurring", "/recurring/pakistan-fosters-militancy/", 200, "ol.recurrences article"),
    ("statuses", "/statuses/", 200, "dl.statuses"),
    ("changes", "/changes/", 200, "ol.changes time"),
    ("sign-in", "/login/?next=/claims/", 200, "form.sign-in label"),
    ("not-found", "/no-such-page/", 404, "h1"),
]


@pytest.mark.parametrize(
    "path, status, shows",
    [pytest.param(path, status, shows, id=name) for name, path, status, shows in PAGES],
)
def test_page_has_no_serious_accessibility_violations(
    assert_accessible, new_page, live_server, shipped_letters, path, status, shows
):
    path = path() if callable(path) else path
    # axe-core goes in as an inline script, which the site's Content-Security-Policy rightly
    # refuses: this context lets the scanner in (test_content_security_policy.py keeps the policy honest).
    page = new_page(bypass_csp=True)
    response = page.goto(live_server.url + path)
    assert response.status == status, path
    # Scan the page in the state it is meant to be seen in, not an empty or broken one.
    assert page.locator(shows).count() > 0, f"{path} does not show {shows!r}"
    assert_accessible(page)
