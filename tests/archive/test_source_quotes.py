"""A source's text in the admin with every quote resting on it highlighted, each linked to its row."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from archive.models import RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus

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


# --- Annotating by selection: what the page gives the workbench's script -----------------------


def text_of(html):
    """The text a browser makes of the element: tags gone, entities read."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_the_text_s_characters_are_the_source_s_alone_so_a_selection_counts_in_them(
    reviewer, shipped_letters
):
    source = Source.objects.get(slug=Claim.objects.first().source.slug)
    page = quotes_page(reviewer, source)
    inner = re.search(r'<div class="source-text" id="source-text"[^>]*>(.*?)</div>', page, re.S)

    assert text_of(inner.group(1)) == source.text
    claim = Claim.objects.filter(source=source).first()
    label = f"Claim {claim.pk}"
    assert f'aria-label="{label}" data-label="{label}"></a>' in inner.group(1)


def test_an_editor_is_offered_every_kind_of_quote_claims_first_with_the_letter_filled_in(
    editor_in_admin, letter
):
    source = letter.sources.get()
    page = quotes_page(editor_in_admin, source)

    links = re.findall(r'<a class="button" href="([^"]+)" data-new-quote="1">([^<]+)</a>', page)
    assert [label for _, label in links] == [
        "New claim",
        "New requested action",
        "New response",
        "New evidence",
    ]
    query = {label: parse_qs(urlsplit(unescape(url)).query) for url, label in links}
    assert query["New claim"]["letter"] == [str(letter.pk)]
    assert query["New requested action"]["letter"] == [str(letter.pk)]
    assert "letter" not in query["New response"]  # to a claim or to the letter: the editor says
    assert all(q["source"] == [str(source.pk)] and q["_workbench"] == ["1"] for q in query.values())


def test_a_reviewer_is_offered_only_what_reviewers_may_add(reviewer, letter):
    page = quotes_page(reviewer, letter.sources.get())

    assert re.findall(r'data-new-quote="1">([^<]+)</a>', page) == ["New response"]


def test_a_claim_opened_from_the_workbench_comes_filled_in_and_next_in_the_letter(
    editor_in_admin, letter, make_claim
):
    claim = make_claim(position=4)
    source = letter.sources.get()
    quote = source.text[5:25]
    url = (
        reverse("admin:claims_claim_add")
        + "?"
        + urlencode(
            {"source": source.pk, "letter": letter.pk, "quote_exact": quote, "_workbench": "1"}
        )
    )

    form = editor_in_admin.get(url).context["adminform"].form

    assert form.initial["quote_exact"] == quote
    assert form.initial["position"] == claim.position + 1
    assert form.initial["status"] == VerificationStatus.objects.get(slug="unassessed").pk


def test_saving_a_quote_opened_from_the_workbench_returns_to_the_text_at_its_highlight(
    editor_in_admin, letter
):
    source = letter.sources.get()
    words = source.text.split()
    quote = " ".join(words[:3])
    url = (
        reverse("admin:archive_requestedaction_add")
        + "?"
        + urlencode({"source": source.pk, "letter": letter.pk, "_workbench": "1"})
    )
    data = {
        "letter": letter.pk,
        "position": 1,
        "summary": "for a review.",
        "source": source.pk,
        "quote_exact": quote,
        "quote_prefix": "",
        "quote_suffix": "",
        "outcome": RequestedAction.Outcome.NOT_REPORTED,
    }

    saved = editor_in_admin.post(url, data)

    action = RequestedAction.objects.get(letter=letter)
    quotes = reverse("admin:archive_source_quotes", args=[source.pk])
    assert saved.status_code == 302
    assert saved["Location"] == f"{quotes}#requestedaction-{action.pk}"
    assert action.history.first().history_user.username == "editors"


def test_the_statement_preview_attributes_the_statement_as_the_public_pages_will(
    editor_in_admin, letter
):
    url = reverse("admin:claims_claim_attribution_preview")  # the form's own field names

    answer = editor_in_admin.get(url, {"letter": letter.pk, "statement": "the sea <b>rose</b>."})
    unknown = editor_in_admin.get(url, {"letter": "1e9; DROP", "statement": ""})

    assert answer.json() == {
        "preview": f"Reads: “The letter from {letter.sender.name} claims that the sea <b>rose</b>.”"
    }
    assert unknown.status_code == 200
    assert unknown.json() == {"preview": "Reads: “The letter from … claims that …”"}


def test_the_statement_preview_is_for_signed_in_staff_only(client, letter):
    answer = client.get(reverse("admin:claims_claim_attribution_preview"), {"letter": letter.pk})
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
