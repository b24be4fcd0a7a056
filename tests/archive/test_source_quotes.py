"""A source's text in the admin with every quote resting on it highlighted, each linked to its row."""

import pytest
from django.urls import reverse

from archive.models import RequestedAction, Source
from claims.models import Claim, Evidence, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(reviewer_in_admin):
    return reviewer_in_admin


def quotes_page(client, source):
    response = client.get(reverse("admin:archive_source_quotes", args=[source.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_kind_of_quote_is_highlighted_and_links_to_its_row(reviewer, shipped_letters):
    source = Source.objects.get(slug=Claim.objects.first().source.slug)

    page = quotes_page(reviewer, source)

    for model, admin_name in [
        (Claim, "claims_claim"),
        (RequestedAction, "archive_requestedaction"),
        (Response, "claims_response"),
        (Evidence, "claims_evidence"),
    ]:
        rows = model.objects.filter(source=source, is_orphan=False)
        for row in rows:
            url = reverse(f"admin:{admin_name}_change", args=[row.pk])
            assert f'class="quote-ref kind-{model._meta.model_name}" href="{url}"' in page, (
                model,
                row.pk,
            )
        assert f"{rows.count()} {model._meta.verbose_name_plural}" in page
    assert page.count('<mark class="quote depth-') >= Claim.objects.filter(source=source).count()


def test_the_page_s_queries_do_not_grow_with_its_quotes(
    reviewer, shipped_letters, django_assert_max_num_queries
):
    source = Source.objects.get(slug=Claim.objects.first().source.slug)
    assert Claim.objects.filter(source=source).count() > 10

    with django_assert_max_num_queries(12):
        quotes_page(reviewer, source)


def test_the_text_and_quotes_are_escaped(reviewer, letter):
    source = letter.sources.get()
    source.text = "<script>alert(1)</script> " + source.text
    source.save()

    page = quotes_page(reviewer, source)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_source_page_links_to_its_quotes(reviewer, letter):
    source = letter.sources.get()

    page = reviewer.get(reverse("admin:archive_source_change", args=[source.pk])).content.decode()

    assert reverse("admin:archive_source_quotes", args=[source.pk]) in page


def test_only_signed_in_staff_see_it_and_a_bad_id_is_a_404(client, reviewer, letter):
    source = letter.sources.get()
    url = reverse("admin:archive_source_quotes", args=[source.pk])

    assert reviewer.get(reverse("admin:archive_source_quotes", args=["x9"])).status_code == 404
    assert reviewer.get(reverse("admin:archive_source_quotes", args=[999999])).status_code == 404
    reviewer.logout()
    assert client.get(url).status_code == 302
