"""The minimal public pages: they render the shipped letters and escape what they show."""
import pytest
from django.urls import reverse

from archive.models import Letter, Source
from claims.models import Claim

pytestmark = pytest.mark.django_db


def test_every_page_renders_the_shipped_archive(client, shipped_letters, django_assert_max_num_queries):
    annexation = Claim.objects.get(key="forcibly-annexed-1948")
    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    for url in (
        "/",
        reverse("archive:letter-list"),
        letter.get_absolute_url(),
        reverse("claims:claim-list"),
        annexation.get_absolute_url(),
        reverse("archive:actor-list"),
        reverse("archive:actor-detail", args=["pakistan"]),
        reverse("claims:status-list"),
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200, url


def test_a_claim_page_attributes_the_claim_and_shows_who_disputes_it(client, shipped_letters):
    annexation = Claim.objects.get(key="forcibly-annexed-1948")
    page = client.get(annexation.get_absolute_url()).content.decode()
    assert "claims that Balochistan was “forcibly annexed”" in page
    assert "Disputed" in page
    assert "Pakistan</a>: rejects" in page


def test_markup_in_a_source_or_statement_is_shown_as_text(client, make_claim, source):
    source.text = source.text + " <script>alert(1)</script>"
    source.save()
    claim = make_claim(statement="<script>alert(2)</script>", quote="<script>alert(1)</script>")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(2)" in page
    assert "&lt;script&gt;alert(1)" in page


def test_an_unknown_letter_is_a_404(client, db):
    assert client.get("/letters/no-such-letter/").status_code == 404
    assert client.get("/claims/999999/").status_code == 404
