"""The Content-Security-Policy in a real browser: every page, the admin's included, works under it
with nothing refused, and an injected inline script is refused."""

import pytest
from django.contrib.auth.models import User

from archive.models import Letter
from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_violations(page):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    return refused


def test_public_pages_run_under_the_policy_with_nothing_refused(page, live_server, shipped_letters):
    refused = record_violations(page)
    letter, claim = Letter.objects.order_by("pk").first(), Claim.objects.order_by("pk").first()
    for path in [
        "/",
        "/claims/?q=execution",
        "/letters/",
        letter.get_absolute_url(),
        claim.get_absolute_url(),
        "/changes/",
    ]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        # The stylesheet applied: the skip link is moved off screen by missive.css.
        assert page.locator(".skip-link").bounding_box()["x"] < 0, path
    assert refused == []


def test_the_admin_works_under_the_policy(page, live_server, shipped_letters):
    User.objects.create_superuser("root", password="a-long-passphrase-for-tests")
    refused = record_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-passphrase-for-tests")
    page.click("input[type=submit]")
    page.goto(
        live_server.url + f"/admin/claims/claim/{Claim.objects.order_by('pk').first().pk}/change/"
    )
    page.wait_for_selector("#claim_form")
    # The admin's own scripts ran: the autocomplete widgets were built by select2.
    assert page.locator(".select2-container").count() > 0
    assert refused == []


def test_an_injected_inline_script_is_refused(page, live_server, shipped_letters):
    refused = record_violations(page)
    page.goto(live_server.url + "/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("() => window.injected") is None
    assert refused, "the browser should report the refused inline script"
