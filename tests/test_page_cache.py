"""Cached pages are never older than the data: an edit shows on the very next request."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone

from archive.models import Actor, Source
from claims.models import Claim, Evidence, VerificationStatus
from claims.statuses import set_status
from claims.views import with_claim_counts
from core.models import Revision
from core.page_cache import per_revision

# Real commits, as in production: pages rendered inside a transaction are never cached.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


@pytest.fixture
def claim(shipped_letters):
    return Claim.objects.select_related("letter").order_by("pk").first()


def contradicting_evidence(claim):
    """What the editors' own "contradicted" rests on: evidence that contradicts the claim."""
    Evidence.objects.create(
        claim=claim,
        relation=Evidence.Relation.CONTRADICTS,
        source=claim.source,
        quote_exact=claim.quote_exact,
    )


def revision():
    return Revision.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def test_a_page_is_served_from_the_cache_with_one_query(client, claim, django_assert_num_queries):
    url = claim.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(1):  # the revision number, nothing else
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_page_reads_the_revision_once_however_many_figures_it_shows(client, claim):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cached in (True, False):  # the benchmark's cold pages run with the page cache off
        caches["pages"].clear()
        with (
            override_settings(MISSIVE_PAGE_CACHE=cached),
            CaptureQueriesContext(connection) as queries,
        ):
            assert Client().get("/claims/").status_code == 200  # two actor menus, each per revision
        assert sum('"archive_revision"' in query["sql"] for query in queries) == 1, cached


def test_an_editors_save_shows_on_the_next_request(client, claim):
    url = claim.get_absolute_url()
    assert b"a new statement" not in client.get(url).content
    claim.statement = "a new statement"
    claim.save()
    assert b"a new statement" in client.get(url).content


def test_a_related_change_shows_on_every_page_that_shows_it(client, claim):
    pages = [
        claim.get_absolute_url(),
        claim.letter.get_absolute_url(),
        "/claims/",
        "/letters/",
        "/",
    ]
    for page in pages:
        client.get(page)
    letter = claim.letter
    letter.title = "A retitled letter"
    letter.save()
    for page in pages:
        assert b"A retitled letter" in client.get(page).content, page


def test_a_bulk_status_change_shows_on_the_next_request(client, claim):
    editor = get_user_model().objects.create_user("editor")
    contradicted = VerificationStatus.objects.get(slug="contradicted")
    url = "/claims/?status=contradicted"
    assert f"/claims/{claim.pk}/".encode() not in client.get(url).content
    contradicting_evidence(claim)
    set_status(Claim.objects.filter(pk=claim.pk), contradicted, "new evidence", editor)
    assert f"/claims/{claim.pk}/".encode() in client.get(url).content


def test_a_change_to_what_a_status_rests_on_shows_on_every_page_that_shows_it(client, claim):
    """A status's source is named wherever the status is shown: retitled, it is retitled there at once."""
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    sourced = Claim.objects.filter(status_source=report).select_related("letter").first()
    pages = [
        sourced.get_absolute_url(),
        sourced.letter.get_absolute_url(),
        "/claims/?status=unverified",
        f"/actors/{sourced.about.first().slug}/",
    ]
    for page in pages:
        assert f"according to “{report.title}”".encode() in client.get(page).content, page
    report.title = "A retitled report"
    report.save()
    for page in pages:
        assert "according to “A retitled report”".encode() in client.get(page).content, page


def test_the_reviewing_editors_new_name_shows_on_the_next_request(client, claim):
    editor = get_user_model().objects.create_user("editor", first_name="Ada", last_name="Reviewer")
    contradicting_evidence(claim)
    set_status(
        Claim.objects.filter(pk=claim.pk),
        VerificationStatus.objects.get(slug="contradicted"),
        "new evidence",
        editor,
    )
    pages = [
        claim.get_absolute_url(),
        claim.letter.get_absolute_url(),
        "/claims/?status=contradicted",
    ]
    for page in pages:
        assert b"reviewed by Ada Reviewer" in client.get(page).content, page
    editor.last_name = "Renamed"
    editor.save()
    for page in pages:
        assert b"reviewed by Ada Renamed" in client.get(page).content, page
    before = revision()
    client.force_login(editor)  # a login saves the editor's last_login: no page changes
    assert revision() == before


def test_a_deletion_and_a_many_to_many_change_bump_the_revision(claim):
    before = revision()
    claim.about.clear()
    after_m2m = revision()
    claim.delete()
    assert before < after_m2m < revision()


def test_a_transaction_bumps_once_and_a_rolled_back_one_not_at_all(shipped_letters):
    from django.db import transaction

    before = revision()
    with transaction.atomic():
        for claim in Claim.objects.all()[:3]:
            claim.status_note = "checked"
            claim.save()
    assert revision() == before + 1
    try:
        with transaction.atomic():
            Claim.objects.first().delete()
            raise RuntimeError
    except RuntimeError:
        pass
    assert revision() == before + 1


def test_logged_in_requests_and_errors_are_not_cached(client, claim):
    client.get("/claims/?after=abc")  # a 400
    client.get("/no-such-page/")
    assert not caches["pages"]._cache
    editor = get_user_model().objects.create_user("editor", password="x")
    client.force_login(editor)
    client.get(claim.get_absolute_url())
    assert not caches["pages"]._cache


def test_archive_wide_figures_are_computed_once_per_revision(claim):
    computed = []

    def figure():
        computed.append(revision())
        return len(computed)

    assert per_revision("figure", figure) == per_revision("figure", figure) == 1
    claim.save()  # any edit
    assert per_revision("figure", figure) == 2
    first, second = computed
    assert second > first  # computed again under the new revision, and only then


def test_inside_a_transaction_figures_are_computed_afresh_and_not_kept(claim):
    from django.db import transaction

    with transaction.atomic():
        assert per_revision("figure", lambda: "uncommitted") == "uncommitted"
    assert per_revision("figure", lambda: "committed") == "committed"


def test_status_counts_follow_a_bulk_status_change(claim):
    def contradicted_count():
        return {
            status.slug: status.claim_count
            for status in with_claim_counts(VerificationStatus.objects.all())
        }["contradicted"]

    before = contradicted_count()
    editor = get_user_model().objects.create_user("editor")
    contradicting_evidence(claim)
    set_status(
        Claim.objects.filter(pk=claim.pk),
        VerificationStatus.objects.get(slug="contradicted"),
        "new evidence",
        editor,
    )
    assert contradicted_count() == before + 1


def test_a_party_newly_named_in_a_claim_joins_the_menu_on_every_page(client, claim):
    assert b"Newly Named Ministry" not in client.get("/claims/").content
    claim.about.add(
        Actor.objects.create(
            name="Newly Named Ministry", slug="newly-named-ministry", kind=Actor.Kind.choices[0][0]
        )
    )
    for page in ("/claims/", "/claims/?sort=oldest"):
        assert (
            b'<option value="newly-named-ministry">Newly Named Ministry</option>'
            in client.get(page).content
        )


def test_made_up_query_parameters_never_fill_the_cache(client, claim):
    caches["pages"].clear()
    for number in range(12):
        assert client.get(f"/claims/?x={number}").status_code == 200
        assert client.get(f"{claim.get_absolute_url()}?utm_source={number}").status_code == 200
        assert client.get(f"/?{number}=").status_code == 200
    assert not caches["pages"]._cache


def test_the_parameters_a_page_reads_are_cached(client, claim):
    caches["pages"].clear()
    for url in [
        "/claims/?status=disputed&q=Pakistan",
        f"/letters/?sender={claim.letter.sender.slug}",
        f"{claim.get_absolute_url()}?as_of={timezone.localdate().isoformat()}",
        "/changes/?before=2026-11-01T00:00:00%2B00:00",
    ]:
        caches["pages"].clear()
        assert client.get(url).status_code == 200, url
        assert len(caches["pages"]._cache) == 1, url


def test_a_page_larger_than_the_limit_is_served_but_not_kept(client, claim, settings):
    caches["pages"].clear()
    settings.MISSIVE_PAGE_CACHE_PAGE_KB = 1
    assert len(client.get(claim.get_absolute_url()).content) > 1024
    assert not caches["pages"]._cache
    settings.MISSIVE_PAGE_CACHE_PAGE_KB = 256
    client.get(claim.get_absolute_url())
    assert len(caches["pages"]._cache) == 1


def test_the_cache_holds_at_most_its_budget_in_bytes(settings):
    """MISSIVE_PAGE_CACHE_MB (64) at MISSIVE_PAGE_CACHE_PAGE_KB (256) a page at most: 256 pages."""
    assert settings.CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"] == 64 * 1024 // 256
    assert settings.MISSIVE_PAGE_CACHE_PAGE_KB == 256
