"""Every page type is valid HTML: the Nu Html Checker finds no error in any of them.

One test renders each kind of page the archive serves, on the shipped letters, as a
visitor and as an editor sees it: the public pages (with a search that highlights, a
filter, a refused parameter, a past version, an editors' assessment), the error pages,
the sign-in page and the admin pages an editor works in. It writes them to a folder and
runs the checker (vnu.jar, the npm package vnu-jar at the version in package-lock.json)
once over all of them: Java starts once, the slow part. Warnings are allowed; errors are not.

It needs Java 11 or later and node_modules (`make test` runs `npm ci` when npm is installed).
Without them it is skipped, saying why; in CI (MISSIVE_REQUIRE_BROWSER=1) it fails instead.
Run it alone with `pytest tests/test_html_valid.py`.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from archive.models import Letter
from claims.models import Claim, Evidence, RecurringAssertion
from claims.statuses import set_status

from .conftest import status

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
VNU = Path(os.environ.get("MISSIVE_VNU", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))
JAVA = os.environ.get("MISSIVE_JAVA", "java")

NATO = "balochistan-to-nato-2026-01-04"
ASSESSED = "forcibly-annexed-1948"  # the claim the test gives an editors' assessment
PASSWORD = "a-long-passphrase-for-tests"


def skip_or_fail(reason):
    if os.environ.get("MISSIVE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def checker():
    """The command that runs the Nu Html Checker, or a skip (a failure in CI) saying what is missing."""
    java = shutil.which(JAVA)
    if java is None:
        skip_or_fail(
            f"No Java ({JAVA}) to run the Nu Html Checker: apt-get install default-jre-headless."
        )
    if not VNU.exists():
        skip_or_fail(f"The Nu Html Checker is not at {VNU}: run `npm ci` (or `make test`).")
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]


# --- The pages ----------------------------------------------------------------------


def editors_assessment(editor):
    """The shipped letters hold no editors' own assessment: give one claim evidence and a
    "Corroborated" status set by an editor, so its page shows the reviewer and the evidence."""
    claim = Claim.objects.get(key=ASSESSED)
    Evidence.objects.create(
        claim=claim,
        relation=Evidence.Relation.SUPPORTS,
        source=claim.source,
        quote_exact=claim.quote_exact,
        note="The report says so in its own words.",
    )
    set_status(
        Claim.objects.filter(pk=claim.pk),
        status("corroborated"),
        "Checked against the report.",
        editor,
    )
    return claim


def public_pages(letter, claim, assessed):
    """{name: (address, query, status)}: every page a visitor may see."""
    today = {"as_of": timezone.localdate().isoformat()}
    claims = reverse("claims:claim-list")
    return {
        "home": ("/", {}, 200),
        "letter-list": (reverse("archive:letter-list"), {}, 200),
        "letter-list-search": (reverse("archive:letter-list"), {"q": "Brussels"}, 200),
        # A date the filter reads in another format must come back as a valid date string.
        "letter-list-date-typed": (
            reverse("archive:letter-list"),
            {"date_from": "01/01/2026"},
            200,
        ),
        "correspondence": (reverse("archive:correspondence"), {}, 200),
        "api-documentation": (reverse("api:documentation"), {}, 200),
        "correspondence-bad-parameter": (
            reverse("archive:correspondence"),
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            400,
        ),
        "letter-detail": (letter.get_absolute_url(), {}, 200),
        "letter-detail-past": (letter.get_absolute_url(), today, 200),
        "claim-list": (claims, {}, 200),
        "claim-list-filtered": (claims, {"status": "disputed", "kind": "historical"}, 200),
        "claim-list-search": (claims, {"q": "annexed"}, 200),  # with <mark> highlights
        "claim-list-empty": (claims, {"q": "nothing-matches-this"}, 200),
        "claim-list-bad-parameter": (claims, {"date_from": "not-a-date"}, 400),
        "claim-detail": (claim.get_absolute_url(), {}, 200),
        "claim-detail-past": (claim.get_absolute_url(), today, 200),
        "claim-detail-editors-assessment": (assessed.get_absolute_url(), {}, 200),
        "actor-list": (reverse("archive:actor-list"), {}, 200),
        "actor-detail": (reverse("archive:actor-detail", args=["pakistan"]), {}, 200),
        "status-list": (reverse("claims:status-list"), {}, 200),
        "recurring-list": (reverse("claims:recurring-list"), {}, 200),
        "recurring-detail": (
            reverse("claims:recurring-detail", args=["pakistan-fosters-militancy"]),
            {},
            200,
        ),
        "change-list": (reverse("claims:change-list"), {}, 200),
        "not-found": ("/letters/no-such-letter/", {}, 404),
        "login": (reverse("login"), {}, 200),
    }


def editor_pages(letter, claim):
    """{name: (address, query, status)}: the admin as an editor works in it, and a public page signed in."""
    version = claim.history.earliest("history_date")
    return {
        "home-signed-in": ("/", {}, 200),
        "admin-index": (reverse("admin:index"), {}, 200),
        "admin-letter-change": (reverse("admin:archive_letter_change", args=[letter.pk]), {}, 200),
        "admin-claim-list": (reverse("admin:claims_claim_changelist"), {}, 200),
        "admin-claim-change": (reverse("admin:claims_claim_change", args=[claim.pk]), {}, 200),
        "admin-claim-history": (reverse("admin:claims_claim_history", args=[claim.pk]), {}, 200),
        "admin-claim-past-version": (
            reverse("admin:claims_claim_simple_history", args=[claim.pk, version.history_id]),
            {},
            200,
        ),
        "admin-claim-orphans": (reverse("admin:claims_claim_orphans"), {}, 200),
        "admin-suggested-recurrences": (
            reverse("admin:claims_claim_suggestions"),
            {"letter": letter.slug},
            200,
        ),
        "admin-recurring-assertion-change": (
            reverse(
                "admin:claims_recurringassertion_change",
                args=[RecurringAssertion.objects.order_by("pk").first().pk],
            ),
            {},
            200,
        ),
        "admin-deleted-claims": (reverse("admin:claims_claim_deleted"), {}, 200),
        "admin-forbidden": (reverse("admin:auth_user_changelist"), {}, 403),  # templates/403.html
    }


def rendered_pages(editor_client):
    """{name: (address, HTML)} of every page type."""
    letter = Letter.objects.get(slug=NATO)
    claim = letter.claims.filter(status__slug="disputed").first()
    assessed = editors_assessment(User.objects.get(username="editor"))
    pages = {}
    for client, addresses in (
        (Client(), public_pages(letter, claim, assessed)),
        (editor_client, editor_pages(letter, claim)),
    ):
        for name, (address, query, expected) in addresses.items():
            response = client.get(address, query)
            assert response.status_code == expected, (name, address, response.status_code)
            pages[name] = (response.request["PATH_INFO"], response.content.decode())

    # What answers a form: a refused sign-in, the admin's "set status" step, a stale form (403).
    response = Client().post(reverse("login"), {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    pages["login-refused"] = (reverse("login"), response.content.decode())
    claim_list = reverse("admin:claims_claim_changelist")
    response = editor_client.post(
        claim_list, {"action": "set_status_action", ACTION_CHECKBOX_NAME: [claim.pk]}
    )
    assert response.status_code == 200
    pages["admin-set-status"] = (claim_list, response.content.decode())
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "editor"})
    assert response.status_code == 403
    pages["csrf-failure"] = (reverse("login"), response.content.decode())

    # Error pages shown without a view of ours to reach them in a test: rendered as Django does.
    request = RequestFactory().get("/")
    for template in ("400.html", "429.html", "500.html", "503.html"):
        pages[f"error-{template.removesuffix('.html')}"] = (
            f"templates/{template}",
            render_to_string(template, request=request),
        )
    return pages


# --- The checker --------------------------------------------------------------------


def errors_in(pages, folder, command):
    """The checker's errors in every page, each as "page (address) line N: message", one Java run."""
    for name, (_, html) in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(
        [*command, *(str(folder / f"{name}.html") for name in pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The checker did not answer in JSON:\n{result.stdout}\n{result.stderr}")
    errors = []
    for message in messages:
        name = message.get("url", "?").rsplit("/", 1)[-1].removesuffix(".html")
        address = pages[name][0] if name in pages else "?"
        extract = message.get("extract", "").replace("\n", " ")
        errors.append(
            f"{name}.html ({address}) line {message.get('lastLine', '?')}: "
            f"{message.get('message')}\n    {extract}"
        )
    return errors


@pytest.fixture
def editor_client(client):
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_every_page_type_is_valid_html(shipped_letters, editor_client, tmp_path):
    command = checker()  # before rendering: a skip should not cost the rendering
    pages = rendered_pages(editor_client)
    errors = errors_in(pages, tmp_path, command)
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(errors)
