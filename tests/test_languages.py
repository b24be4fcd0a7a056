"""Sources in any language and script: an Urdu and a Persian report are taken in, their quotes
anchored, shown right to left with the highlight in place, and found by search."""

import json

import pytest
from django.urls import reverse

from archive.languages import direction
from claims.models import Claim
from interchange.format import ImportFailed
from interchange.importing import import_document
from interchange.ingest import extract

pytestmark = pytest.mark.django_db

URDU = (
    "بلوچستان کی خود ساختہ جمہوریہ نے نیٹو کو خط لکھا ہے۔ "
    "خط میں کہا گیا ہے کہ پاکستان عسکریت پسندوں کو استعمال کرتا ہے۔ "
    "پاکستان نے ان الزامات کو مسترد کر دیا ہے۔"
)
URDU_QUOTE = "پاکستان عسکریت پسندوں کو استعمال کرتا ہے"
# With a zero-width non-joiner (U+200C) in نامه‌ای, as Persian is written.
PERSIAN = (
    "جمهوری خودخوانده بلوچستان در نامه\u200cای به ناتو خواستار به رسمیت شناختن استقلال خود شد "
    "و ایران را به اعدام مخالفان متهم کرد. ایران این ادعا را رد کرده است."
)
PERSIAN_QUOTE = "ایران را به اعدام مخالفان متهم کرد"


def source(slug, text, language):
    return {"slug": slug, "title": slug, "text": text, "language": language}


def letter(slug, source_slug, quote, statement):
    return {
        "slug": slug,
        "title": slug,
        "date": "2026-01-04",
        "sender": "republic",
        "summary": "A letter known through a report.",
        "sources": [source_slug],
        "recipients": [{"actor": "nato", "role": "to"}],
        "requested_actions": [],
        "claims": [
            {
                "key": f"{slug}-claim",
                "statement": statement,
                "kind": "factual",
                "status": "unassessed",
                "quote": {"source": source_slug, "exact": quote},
            }
        ],
    }


def document():
    return {
        "format": "missive-letters",
        "version": 1,
        "actors": [
            {"slug": "republic", "name": "Republic of Balochistan", "kind": "group"},
            {"slug": "nato", "name": "NATO", "kind": "organisation"},
        ],
        "sources": [source("urdu-report", URDU, "ur"), source("persian-report", PERSIAN, "fa")],
        "letters": [
            letter("urdu-letter", "urdu-report", URDU_QUOTE, "Pakistan uses militant proxies."),
            letter("persian-letter", "persian-report", PERSIAN_QUOTE, "Iran executes opponents."),
        ],
    }


@pytest.fixture
def imported(vocabulary):
    import_document(document(), reason="Urdu and Persian reports")
    return {claim.source.slug: claim for claim in Claim.objects.select_related("source", "letter")}


@pytest.mark.parametrize("text, language", [(URDU, "ur"), (PERSIAN, "fa")], ids=["urdu", "persian"])
def test_an_urdu_or_persian_file_is_taken_in_with_its_language_detected(text, language):
    extracted = extract(text.encode(), "report.txt")

    assert (extracted.language, direction(extracted.language)) == (language, "rtl")
    assert extracted.text == text


def test_the_quotes_are_anchored_in_the_text(imported):
    urdu, persian = imported["urdu-report"], imported["persian-report"]

    assert (urdu.quote_start, urdu.is_orphan) == (URDU.index(URDU_QUOTE), False)
    assert (persian.quote_start, persian.is_orphan) == (PERSIAN.index(PERSIAN_QUOTE), False)


@pytest.mark.parametrize("slug, language", [("urdu-report", "ur"), ("persian-report", "fa")])
def test_the_letter_page_shows_the_source_right_to_left_with_the_quote_highlighted(
    client, imported, slug, language
):
    claim = imported[slug]

    page = client.get(claim.letter.get_absolute_url()).content.decode()

    assert f'<div class="source-text" lang="{language}" dir="rtl">' in page
    assert f">{claim.quote_exact}</mark>" in page
    # The link naming the claim is the site's English, kept apart from the text around it.
    assert f'href="{claim.get_absolute_url()}" lang="en-gb" dir="auto">' in page


def test_the_claim_page_quotes_the_source_in_its_language(client, imported):
    claim = imported["persian-report"]

    page = client.get(claim.get_absolute_url()).content.decode()

    assert '<blockquote class="quote-in-context" lang="fa" dir="rtl">' in page
    assert f"<mark>{PERSIAN_QUOTE}</mark>" in page


@pytest.mark.parametrize("word, slug", [("عسکریت", "urdu-report"), ("اعدام", "persian-report")])
def test_search_finds_a_claim_by_a_word_of_its_quote(client, imported, word, slug):
    response = client.get(reverse("claims:claim-list"), {"q": word})

    assert response.status_code == 200
    assert [claim.pk for claim in response.context["object_list"]] == [imported[slug].pk]


def test_the_annotation_names_the_quote_s_language(client, imported):
    claim = imported["urdu-report"]

    annotation = json.loads(client.get(reverse("claims:claim-annotation", args=[claim.pk])).content)

    assert annotation["target"]["source"]["language"] == "ur"


def test_a_language_that_is_not_a_tag_is_refused_on_import(vocabulary):
    bad = document()
    bad["sources"][0]["language"] = "Urdu (Pakistan)"

    with pytest.raises(ImportFailed) as refused:
        import_document(bad)

    assert any("sources[0].language" in e and "BCP 47" in e for e in refused.value.errors)
