"""Recurring assertions: claims of different letters that editors confirmed as the same assertion.

Each confirmation says who made it, when and why; the public page lists every letter making
the assertion in order of date, each claim with its quote, its status and basis and the
responses to it, and attributes the assertion to the letters, never to the archive.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from archive.models import Letter, Source
from claims.models import Claim, Recurrence, RecurringAssertion, Response, VerificationStatus
from claims.statuses import set_status
from interchange.archive_export import write_archive
from interchange.importing import ImportFailed, import_document
from tests.archive.test_charts import figures_of
from tests.interchange.test_importer import claim as claim_entry
from tests.interchange.test_importer import letter as letter_entry
from tests.interchange.test_importer import valid_document

pytestmark = pytest.mark.django_db

UNSC = "balochistan-to-unsc-p5-un-oic-02-11"
NATO = "balochistan-to-nato-2026-01-04"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- The shipped letters ----------------------------------------------------------------


def test_the_shipped_letters_genuine_recurrences_are_confirmed_each_with_a_reason(
    shipped_letters,
):
    made_by = {
        assertion.slug: {
            (recurrence.claim.letter.slug, recurrence.claim.key)
            for recurrence in assertion.recurrences.select_related("claim__letter")
        }
        for assertion in RecurringAssertion.objects.all()
    }
    assert made_by == {
        "pakistan-fosters-militancy": {
            (UNSC, "pakistan-militant-proxies"),
            (UNSC, "sponsorship-of-militant-activity"),
            (NATO, "fostering-radicalisation"),
        },
        "independent-balochistan-as-alternative": {
            (UNSC, "recognition-principled-alternative"),
            (NATO, "independent-balochistan-partner"),
        },
        "pakistan-destabilises-the-region": {
            (UNSC, "actions-undermine-stability"),
            (NATO, "control-led-to-instability"),
        },
    }
    for recurrence in Recurrence.objects.all():
        assert len(recurrence.reason.split()) >= 10  # a reason a reader can weigh, not a tick


def test_the_page_attributes_the_assertion_to_the_letters_and_lists_them_in_date_order(
    client, shipped_letters
):
    html = page(client, reverse("claims:recurring-detail", args=["pakistan-fosters-militancy"]))

    assert (
        "<h1>2 letters from “Republic of Balochistan” (self-declared) claim that "
        "Pakistan fosters militancy and radicalisation</h1>" in html
    )
    # Earliest possible date first: the February letter's year is unknown, so it may be the earlier.
    assert html.index("use of militant proxies") < html.index("foster radicalisation")
    assert "Pakistan’s longstanding involvement in the use of militant proxies" in html  # quote
    assert "Not yet assessed" in html  # each claim beside its status and basis
    assert "Linked to this assertion by the editors on" in html  # whose judgement, and why
    # The NATO letter as a whole: NATO, Pakistan and Iran have not publicly responded.
    assert html.count("no public response") >= 3


def test_a_claim_page_links_to_the_recurring_assertion_it_makes(client, shipped_letters):
    claim = Claim.objects.get(letter__slug=NATO, key="fostering-radicalisation")
    html = page(client, claim.get_absolute_url())

    assertion = RecurringAssertion.objects.get(slug="pakistan-fosters-militancy")
    assert f'href="{assertion.get_absolute_url()}"' in html
    assert "which 2 other claims make too" in html
    unrelated = Claim.objects.get(letter__slug=NATO, key="iran-executions")
    assert "Made in other letters too" not in page(client, unrelated.get_absolute_url())


def test_the_list_quotes_each_assertion_with_how_many_letters_make_it(client, shipped_letters):
    html = page(client, reverse("claims:recurring-list"))

    assert (
        "Asserted in 2 letters: "
        '<a href="/recurring/pakistan-fosters-militancy/">'
        "“Pakistan fosters militancy and radicalisation”</a>" in html
    )
    assert html.count("Asserted in 2 letters") == 3


# --- Drafts, escaping, unknown addresses -------------------------------------------------------


def test_a_drafts_claims_are_not_shown_and_an_assertion_only_drafts_make_is_not_found(
    client, shipped_letters
):
    Letter.objects.filter(slug=UNSC).update(published=False)
    html = page(client, reverse("claims:recurring-detail", args=["pakistan-fosters-militancy"]))
    assert "Pakistan’s longstanding involvement" not in html  # the draft's quote
    assert "<h1>The letter from “Republic of Balochistan” (self-declared) claims that" in html

    Letter.objects.filter(slug=NATO).update(published=False)
    url = reverse("claims:recurring-detail", args=["pakistan-fosters-militancy"])
    assert client.get(url).status_code == 404
    assert "Asserted in" not in page(client, reverse("claims:recurring-list"))
    assert client.get(reverse("claims:recurring-detail", args=["no-such-thing"])).status_code == 404


def test_editors_words_are_escaped(client, shipped_letters):
    RecurringAssertion.objects.filter(slug="pakistan-fosters-militancy").update(
        title="<script>alert(1)</script>", note="<b>bold</b>"
    )
    Recurrence.objects.update(reason="<img src=x onerror=alert(1)>")
    for url in (
        reverse("claims:recurring-list"),
        reverse("claims:recurring-detail", args=["pakistan-fosters-militancy"]),
        Claim.objects.get(key="fostering-radicalisation").get_absolute_url(),
    ):
        html = page(client, url)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html


# --- Editors confirm in the admin ---------------------------------------------------------


def admin_form(client, url):
    """The admin form at url as a browser would submit it: every field with its current value."""
    from tests.claims.test_admin import change_form_data

    return change_form_data(client.get(url))


def test_an_editor_confirms_a_claim_as_making_an_assertion_with_a_reason_kept_in_history(
    editor_in_admin, shipped_letters
):
    from django.contrib.auth.models import User

    claim = Claim.objects.get(letter__slug=NATO, key="networks-attacks-in-europe")
    assertion = RecurringAssertion.objects.get(slug="pakistan-fosters-militancy")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = admin_form(editor_in_admin, url)
    data.update(
        {
            "recurrence-TOTAL_FORMS": "1",
            "recurrence-0-assertion": str(assertion.pk),
            "recurrence-0-reason": "Extremist networks are the militancy the UN letter describes.",
            "change_reason": "Linked to the recurring assertion on militancy",
        }
    )

    response = editor_in_admin.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    recurrence = Recurrence.objects.get(claim=claim)
    assert recurrence.assertion == assertion
    assert recurrence.confirmed_by == User.objects.get(username="editors")
    version = recurrence.history.get()
    assert version.history_change_reason == "Linked to the recurring assertion on militancy"
    assert version.history_user == recurrence.confirmed_by
    # The public change record says so, with the reason.
    changes = editor_in_admin.get(reverse("claims:change-list")).content.decode()
    assert f"Claim {claim.pk} linked to a recurring assertion" in changes
    assert "Linked to the recurring assertion on militancy" in changes


def test_a_confirmation_needs_a_reason(editor_in_admin, shipped_letters):
    claim = Claim.objects.get(letter__slug=NATO, key="networks-attacks-in-europe")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = admin_form(editor_in_admin, url)
    data.update(
        {
            "recurrence-TOTAL_FORMS": "1",
            "recurrence-0-assertion": str(RecurringAssertion.objects.first().pk),
            "recurrence-0-reason": "",
        }
    )

    response = editor_in_admin.post(url, data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Recurrence.objects.filter(claim=claim).exists()


# --- In and out of the letters file --------------------------------------------------------------


def document_with_recurrence(**recurs_as):
    document = valid_document()
    document["recurring_assertions"] = [{"slug": "the-bridge", "title": "the bridge fell"}]
    entry = claim_entry()
    entry["recurs_as"] = {"assertion": "the-bridge", "reason": "The same fall, told again."}
    entry["recurs_as"].update(recurs_as)
    document["letters"] = [letter_entry(claims=[entry])]
    return document


def test_an_import_confirms_recurrences_and_a_second_import_writes_nothing():
    report = import_document(document_with_recurrence())

    assert report.created["recurrences"] == 1 and report.created["recurring assertions"] == 1
    recurrence = Recurrence.objects.get()
    assert (recurrence.assertion.slug, recurrence.reason) == (
        "the-bridge",
        "The same fall, told again.",
    )
    assert recurrence.confirmed_by is None  # "the editors": no one signed in named
    assert (
        import_document(document_with_recurrence())
        .summary()
        .startswith("created nothing; updated nothing")
    )


@pytest.mark.parametrize(
    "recurs_as, error",
    [
        (
            {"assertion": "elsewhere"},
            "letters[0].claims[0].recurs_as.assertion: unknown recurring assertion 'elsewhere'",
        ),
        ({"reason": "  "}, "letters[0].claims[0].recurs_as.reason: must not be empty"),
        (
            {"confirmed_by": "nobody"},
            "letters[0].claims[0].recurs_as.confirmed_by: no editor 'nobody' in this archive",
        ),
        (
            {"confirmed_at": "yesterday"},
            "letters[0].claims[0].recurs_as.confirmed_at: 'yesterday' is not a date and time",
        ),
        ({"why": "x"}, "letters[0].claims[0].recurs_as.why: unknown field"),
    ],
)
def test_a_wrong_recurrence_is_refused_with_its_place_and_nothing_is_written(recurs_as, error):
    with pytest.raises(ImportFailed) as failure:
        import_document(document_with_recurrence(**recurs_as))

    assert any(message.startswith(error) for message in failure.value.errors), failure.value.errors
    assert not Claim.objects.exists() and not RecurringAssertion.objects.exists()


def test_export_letters_keeps_recurring_assertions_and_who_confirmed_them(shipped_letters):
    from io import StringIO

    out = StringIO()
    write_archive(out)
    exported = json.loads(out.getvalue())

    assert [a["slug"] for a in exported["recurring_assertions"]] == [
        "independent-balochistan-as-alternative",
        "pakistan-destabilises-the-region",
        "pakistan-fosters-militancy",
    ]
    nato = next(letter for letter in exported["letters"] if letter["slug"] == NATO)
    fostering = next(c for c in nato["claims"] if c["key"] == "fostering-radicalisation")
    assert fostering["recurs_as"]["assertion"] == "pakistan-fosters-militancy"
    assert fostering["recurs_as"]["reason"].startswith("Asserts that Pakistan (with Iran)")
    # Restored, the archive is unchanged: the export is a backup.
    assert import_document(exported).summary().startswith("created nothing; updated nothing")


def test_an_assertion_titled_with_no_words_is_refused_in_the_file_as_in_the_admin():
    document = document_with_recurrence()
    document["recurring_assertions"][0]["title"] = "2026-13-45"

    with pytest.raises(ImportFailed) as failure:
        import_document(document)

    assert any(
        error.startswith("recurring_assertions[0].title: Word the assertion so that it follows")
        for error in failure.value.errors
    ), failure.value.errors


def test_editors_find_an_assertions_claims_from_the_claim_list_and_count_them_on_its_own(
    editor_in_admin, shipped_letters
):
    assertion = RecurringAssertion.objects.get(slug="pakistan-fosters-militancy")
    claims = editor_in_admin.get(
        reverse("admin:claims_claim_changelist"), {"recurrence__assertion__id__exact": assertion.pk}
    )
    assert claims.status_code == 200
    assert {claim.key for claim in claims.context["cl"].result_list} == {
        "pakistan-militant-proxies",
        "sponsorship-of-militant-activity",
        "fostering-radicalisation",
    }

    listed = editor_in_admin.get(reverse("admin:claims_recurringassertion_changelist"))
    counts = {row.slug: row.claim_count for row in listed.context["cl"].result_list}
    assert counts == {
        "pakistan-fosters-militancy": 3,
        "independent-balochistan-as-alternative": 2,
        "pakistan-destabilises-the-region": 2,
    }


def test_claim_exports_name_the_recurring_assertion_by_its_address_only(client, shipped_letters):
    import csv
    import io

    streamed = client.get(reverse("claims:claim-export-json")).streaming_content
    document = json.loads(b"".join(streamed))
    by_key = {claim["permalink"]: claim for claim in document["claims"]}
    fostering = Claim.objects.get(key="fostering-radicalisation")
    record = next(c for url, c in by_key.items() if url.endswith(f"/claims/{fostering.pk}/"))
    assert record["recurring_assertion"] == "pakistan-fosters-militancy"
    assert (
        record["recurring_assertion_url"]
        == "http://testserver/recurring/pakistan-fosters-militancy/"
    )
    assert sum(1 for c in document["claims"] if c["recurring_assertion"]) == 7

    response = client.get(reverse("claims:claim-export-csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["recurring_assertion"] for row in rows if row["recurring_assertion"]) == [
        "independent-balochistan-as-alternative",
        "independent-balochistan-as-alternative",
        "pakistan-destabilises-the-region",
        "pakistan-destabilises-the-region",
        "pakistan-fosters-militancy",
        "pakistan-fosters-militancy",
        "pakistan-fosters-militancy",
    ]


# --- Its standing over time -------------------------------------------------------------


def test_an_assertions_timeline_draws_and_tabulates_each_status_and_dated_response(
    client, shipped_letters
):
    assertion = RecurringAssertion.objects.get(slug="pakistan-destabilises-the-region")
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    editor = User.objects.create_user("ed", first_name="Edith", last_name="Editor")
    words = "These claims could not be independently verified."
    set_status(
        Claim.objects.filter(key="control-led-to-instability"),
        VerificationStatus.objects.get(slug="unverified"),
        "The report says so.",
        editor,
        source=report,
        words=words,
    )
    executions = Claim.objects.get(key="iran-executions")
    Recurrence.objects.create(claim=executions, assertion=assertion, reason="For this test.")
    Response.objects.filter(claim=executions).update(responded_on=datetime.date(2026, 2, 12))

    figures = figures_of(page(client, assertion.get_absolute_url()), "assertion-timeline")
    drawn_statuses = sorted(
        (attrs["data-since"], attrs["data-status"])
        for tag, attrs in figures.elements
        if tag == "rect" and "data-status" in attrs
    )
    tabulated_statuses = sorted(
        (attrs["data-since"], attrs["data-status"])
        for tag, attrs in figures.elements
        if tag == "span" and "data-status" in attrs
    )
    assert drawn_statuses == tabulated_statuses
    today = timezone.localdate().isoformat()
    assert (today, "Could not be independently verified (a source's report)") in drawn_statuses
    assert len(drawn_statuses) == 4  # three claims' first statuses, and the one change

    drawn_responses = [
        (attrs["data-on"], attrs["data-party"])
        for tag, attrs in figures.elements
        if tag == "path" and "data-on" in attrs
    ]
    tabulated_responses = [
        (attrs["data-on"], attrs["data-party"])
        for tag, attrs in figures.elements
        if tag == "span" and "data-on" in attrs
    ]
    assert drawn_responses == tabulated_responses == [("2026-02-12", "Iran")]


def test_a_status_is_drawn_up_to_today_even_when_a_letter_may_date_from_later(
    client, shipped_letters
):
    nato = Letter.objects.get(slug=NATO)
    nato.date_edtf = "2026?-01-04"  # any day from 2025 to 2027: past today
    nato.save()
    assertion = RecurringAssertion.objects.get(slug="pakistan-destabilises-the-region")
    figures = figures_of(page(client, assertion.get_absolute_url()), "assertion-timeline")
    today = [attrs for tag, attrs in figures.elements if attrs.get("class") == "today"]
    assert today, "the axis runs past today: today is marked"
    today_x = float(today[0]["x1"])
    segments = [
        attrs for tag, attrs in figures.elements if tag == "rect" and "data-status" in attrs
    ]
    assert segments
    assert all(
        float(s["x"]) <= today_x and float(s["x"]) + float(s["width"]) <= today_x + 4
        for s in segments
    )
