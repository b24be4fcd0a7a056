"""Draft, then publish: a letter being tagged is the editors' and reviewers' alone, in the
admin, until an editor publishes it with a reason; then every public output shows it, and
returning it to draft withdraws it from all of them again, its past versions included."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from archive.models import Letter, Source
from claims.models import Claim, RecurringAssertion
from interchange.importing import import_document
from tests.claims.test_admin import change_form_data

pytestmark = pytest.mark.django_db

# Words found nowhere in the shipped letters, so that any public output naming the draft shows.
MARKERS = ("Quokka", "Zanzibarite", "guard the harbour")  # searches below ask in lower case
TEXT = "The Zanzibarite council wrote that quokkas guard the harbour at night."


def draft_document(published=False):
    return {
        "format": "missive-letters",
        "version": 1,
        "sources": [{"slug": "zanzibarite-report", "title": "Zanzibarite report", "text": TEXT}],
        "letters": [
            {
                "slug": "quokka-letter",
                "title": "Quokka letter",
                "date": "2026-03-01",
                "sender": "republic-of-balochistan",
                "summary": "The Quokka letter says quokkas guard the harbour.",
                "published": published,
                "sources": ["zanzibarite-report"],
                "recipients": [{"actor": "nato", "role": "to"}],
                "requested_actions": [
                    {
                        "summary": "that quokkas be counted",
                        "quote": {"source": "zanzibarite-report", "exact": "quokkas guard"},
                    }
                ],
                "claims": [
                    {
                        "key": "quokkas-guard",
                        "statement": "Quokkas guard the harbour at night.",
                        "kind": "factual",
                        "status": "unassessed",
                        "about": ["pakistan"],
                        "quote": {
                            "source": "zanzibarite-report",
                            "exact": "quokkas guard the harbour",
                        },
                        # A draft's claim confirmed as making a published recurring assertion.
                        "recurs_as": {
                            "assertion": "pakistan-fosters-militancy",
                            "reason": "Quokka militancy, as the Zanzibarite report tells it.",
                        },
                        "responses": [
                            {
                                "actor": "pakistan",
                                "stance": "denies",
                                "quote": {"source": "zanzibarite-report", "exact": "at night"},
                            }
                        ],
                    }
                ],
            }
        ],
    }


@pytest.fixture
def draft(shipped_letters):
    import_document(draft_document(), reason="A draft being tagged")
    return Letter.objects.get(slug="quokka-letter")


def public_urls():
    """Every public page type and export, for every published letter, claim and actor."""
    today = timezone.localdate().isoformat()
    urls = [
        "/",
        "/letters/",
        "/letters/?q=quokka",
        "/letters/?q=zanzibarite",
        "/letters/correspondence/",
        "/letters/correspondence/?q=quokka",
        "/claims/",
        "/claims/?q=quokkas",
        "/actors/",
        "/statuses/",
        "/recurring/",
        "/changes/",
        "/changes/feed/",
        "/letters/cmif.xml",
        "/claims/export.csv",
        "/claims/export.json",
        "/claims/export.csv?q=quokkas",
        "/claims/annotations.json",
        "/claims/annotations.json?page=1",
        "/api/v1/letters/?page_size=200",
        "/api/v1/letters/?q=quokka",
        "/api/v1/claims/?page_size=200",
        "/api/v1/claims/?q=quokkas",
        "/api/v1/actors/?page_size=200",
        "/api/v1/statuses/",
        "/api/v1/responses/?page_size=200",
        "/api/v1/requested-actions/?page_size=200",
        "/api/v1/recurring-assertions/?page_size=200",
    ]
    for letter in Letter.objects.published():
        urls += [letter.get_absolute_url(), f"{letter.get_absolute_url()}?as_of={today}"]
        urls.append(reverse("api:letter-detail", args=[letter.slug]))
    for claim in Claim.objects.published():
        urls += [claim.get_absolute_url(), reverse("claims:claim-annotation", args=[claim.pk])]
        urls.append(reverse("api:claim-detail", args=[claim.pk]))
    for assertion in RecurringAssertion.objects.all():
        urls += [
            assertion.get_absolute_url(),
            reverse("api:recurring-assertion-detail", args=[assertion.slug]),
        ]
    urls += [actor.get_absolute_url() for actor in draft_actors()]
    return urls


def draft_actors():
    from archive.models import Actor

    return Actor.objects.filter(slug__in=["republic-of-balochistan", "nato", "pakistan"])


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def draft_addresses(letter):
    claim = letter.claims.get()
    today = timezone.localdate().isoformat()
    return [
        letter.get_absolute_url(),
        f"{letter.get_absolute_url()}?as_of={today}",
        reverse("archive:letter-annotations", args=[letter.slug]),
        claim.get_absolute_url(),
        f"{claim.get_absolute_url()}?as_of={today}",
        reverse("claims:claim-annotation", args=[claim.pk]),
        reverse("archive:source-text", args=["zanzibarite-report"]),
    ]


def test_a_draft_is_absent_from_every_public_output(client, draft):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for marker in MARKERS:
            assert marker not in text, f"{url} shows the draft ({marker})"


def test_a_draft_s_own_addresses_are_not_found(client, draft):
    for url in draft_addresses(draft):
        assert client.get(url).status_code == 404, url


def test_the_claim_list_answers_for_a_draft_s_slug_as_for_a_letter_that_does_not_exist(
    client, draft
):
    draft_answer = client.get("/claims/", {"letter": "quokka-letter"})
    unknown = client.get("/claims/", {"letter": "no-such-letter"})

    assert draft_answer.status_code == unknown.status_code == 400
    assert "There is no letter with that address name." in draft_answer.content.decode()


def test_a_draft_is_not_counted(client, shipped_letters):
    def counts():
        home, statuses = client.get("/").context, client.get("/statuses/").context
        return home["letter_count"], [status.claim_count for status in statuses["object_list"]]

    before = counts()
    import_document(draft_document(), reason="A draft being tagged")

    assert counts() == before


def test_publishing_shows_the_letter_everywhere_and_keeps_the_reason(client, draft):
    draft.published = True
    draft._change_reason = "Tagged and checked against the report"
    draft.save()

    for url in draft_addresses(draft):
        assert client.get(url).status_code == 200, url
    assert "Quokka letter" in body(client.get("/letters/"))
    assert "Quokkas guard the harbour" in body(client.get("/claims/export.csv"))
    changes = body(client.get("/changes/"))
    assert "Tagged and checked against the report" in changes
    latest = draft.history.first()
    assert (latest.published, latest.history_change_reason) == (
        True,
        "Tagged and checked against the report",
    )


def test_returning_a_letter_to_draft_withdraws_it_and_its_past_versions(client, shipped_letters):
    import_document(draft_document(published=True), reason="Published at once")
    letter = Letter.objects.get(slug="quokka-letter")
    assert client.get(letter.get_absolute_url()).status_code == 200

    letter.published = False
    letter._change_reason = "A quote was found to be misread"
    letter.save()

    for url in draft_addresses(letter):
        assert client.get(url).status_code == 404, url
    for marker in MARKERS:
        assert marker not in body(client.get("/changes/"))


def test_a_draft_deleted_before_it_was_published_leaves_no_trace_in_the_change_record(
    client, draft
):
    draft._change_reason = "Not a letter after all"
    draft.delete()

    changes = body(client.get("/changes/")) + body(client.get("/changes/feed/"))

    for marker in MARKERS:
        assert marker not in changes


def test_a_letter_published_after_a_day_was_not_there_on_that_day(client, draft):
    """The letter's past view shows it as it stood; a draft then is not shown as published."""
    draft.history.update(history_date=timezone.now() - timezone.timedelta(days=3))
    draft.published = True
    draft._change_reason = "Published"
    draft.save()
    three_days_ago = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()

    then = client.get(f"{draft.get_absolute_url()}?as_of={three_days_ago}")

    assert then.status_code == 404
    assert client.get(f"{draft.get_absolute_url()}?as_of={timezone.localdate()}").status_code == 200


def test_a_published_letter_deleted_since_is_still_read_as_it_stood_but_a_deleted_draft_is_not(
    client, draft
):
    from tests.test_past_versions import HISTORIES

    three_days_ago = timezone.now() - timezone.timedelta(days=3)
    for model in HISTORIES:
        model.history.update(history_date=three_days_ago)
    two_days_ago = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    published = Letter.objects.exclude(pk=draft.pk).first()
    urls = {
        letter.slug: [
            f"{letter.get_absolute_url()}?as_of={two_days_ago}",
            f"{letter.claims.first().get_absolute_url()}?as_of={two_days_ago}",
        ]
        for letter in (published, draft)
    }
    for letter in (published, draft):
        letter._change_reason = "Deleted"
        letter.delete()

    for url in urls[published.slug]:
        assert client.get(url).status_code == 200, url
    for url in urls[draft.slug]:
        assert client.get(url).status_code == 404, url


def test_the_page_cache_follows_publication(client, draft):
    assert "Quokka letter" not in body(client.get("/letters/"))  # cached now

    draft.published = True
    draft.save()

    assert "Quokka letter" in body(client.get("/letters/"))


def test_a_source_only_a_draft_uses_is_withheld_until_the_draft_is_published(client, draft):
    url = reverse("archive:source-text", args=["zanzibarite-report"])
    assert client.get(url).status_code == 404
    shipped = Source.objects.exclude(slug="zanzibarite-report").first()
    assert client.get(reverse("archive:source-text", args=[shipped.slug])).status_code == 200

    Letter.objects.filter(pk=draft.pk).update(published=True)

    assert client.get(url).content.decode() == TEXT


# --- Import and export -------------------------------------------------------------


def test_a_letter_a_file_brings_is_published_unless_the_file_says_draft(shipped_letters):
    assert Letter.objects.filter(published=False).count() == 0
    import_document(draft_document(), reason="A draft")
    assert Letter.objects.get(slug="quokka-letter").published is False


def test_a_file_that_does_not_say_leaves_a_withdrawn_letter_withdrawn(shipped_letters):
    from tests.conftest import SHIPPED_LETTERS

    letter = Letter.objects.first()
    Letter.objects.filter(pk=letter.pk).update(published=False)

    import_document(json.loads(SHIPPED_LETTERS.read_text()), reason="The shipped file again")

    assert Letter.objects.get(pk=letter.pk).published is False
    new = draft_document()
    del new["letters"][0]["published"]
    import_document(new, reason="A new letter, the file silent")
    assert Letter.objects.get(slug="quokka-letter").published is True


def test_a_backup_keeps_its_drafts_as_drafts(tmp_path, draft):
    path = tmp_path / "letters.json"
    call_command("export_letters", str(path))
    letters = {letter["slug"]: letter for letter in json.loads(path.read_text())["letters"]}

    assert letters["quokka-letter"]["published"] is False
    assert all(letter["published"] for slug, letter in letters.items() if slug != "quokka-letter")


def test_published_must_be_true_or_false_in_an_import(shipped_letters):
    from interchange.format import ImportFailed

    document = draft_document()
    document["letters"][0]["published"] = "no"
    with pytest.raises(ImportFailed) as refused:
        import_document(document)
    assert any("letters[0].published" in error for error in refused.value.errors)


# --- The admin ---------------------------------------------------------------------


def test_a_letter_added_in_the_admin_starts_as_a_draft(editor_in_admin):
    form = editor_in_admin.get(reverse("admin:archive_letter_add")).context["adminform"].form
    assert form.initial["published"] is False


def test_publishing_in_the_admin_asks_for_a_reason(editor_in_admin, draft):
    url = reverse("admin:archive_letter_change", args=[draft.pk])
    data = change_form_data(editor_in_admin.get(url)) | {"published": "on"}

    refused = editor_in_admin.post(url, data)
    assert refused.status_code == 200
    assert "Say why you publish this letter" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.published is False

    saved = editor_in_admin.post(url, data | {"change_reason": "Tagged and checked"})
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.published is True
    assert draft.history.first().history_change_reason == "Tagged and checked"


def test_returning_to_draft_in_the_admin_asks_for_a_reason_too(editor_in_admin, shipped_letters):
    letter = Letter.objects.first()
    url = reverse("admin:archive_letter_change", args=[letter.pk])
    data = change_form_data(editor_in_admin.get(url))
    del data["published"]

    refused = editor_in_admin.post(url, data)

    assert "Say why you return this letter to draft" in refused.content.decode()
    assert Letter.objects.get(pk=letter.pk).published is True


def test_a_reviewer_sees_drafts_in_the_admin(reviewer_in_admin, draft):
    page = reviewer_in_admin.get(reverse("admin:archive_letter_changelist") + "?published__exact=0")
    assert page.status_code == 200
    assert "Quokka letter" in page.content.decode()
