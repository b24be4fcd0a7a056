"""ClaimReview embedded in claim pages, and the Web Annotation of every claim, read as JSON-LD."""
import json
import re

import pytest
from django.urls import reverse
from pyld import jsonld

from claims.linked_data import shorten
from claims.models import Claim, VerificationStatus

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
# The archive works offline, and so do its tests: each context is read from here, never fetched.
CONTEXTS = {
    "https://schema.org": {"@context": {"@vocab": SCHEMA}},
    "http://www.w3.org/ns/anno.jsonld": {"@context": {
        "oa": "http://www.w3.org/ns/oa#", "@vocab": "http://www.w3.org/ns/oa#",
        "id": "@id", "type": "@type",
        "source": {"@id": "oa:hasSource", "@type": "@id"}, "selector": {"@id": "oa:hasSelector"},
        "target": {"@id": "oa:hasTarget"}, "body": {"@id": "oa:hasBody"},
        "value": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
        "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
        "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"},
        "exact": "oa:exact", "prefix": "oa:prefix", "suffix": "oa:suffix", "start": "oa:start", "end": "oa:end",
    }},
}


def offline_loader(url, options=None):
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXTS[url]}


def expand(data):
    return jsonld.expand(data, {"documentLoader": offline_loader})


def claim_review(client, claim):
    html = client.get(claim.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def iran_claim():
    return Claim.objects.get(responses__actor__slug="iran", responses__stance="denies")


def test_the_claim_review_of_the_iran_claim(client, shipped_letters):
    claim = iran_claim()
    review = claim_review(client, claim)
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert review["claimReviewed"] == "The letter claims that Iran executes large numbers of ethnic Baloch…"
    assert review["datePublished"] == claim.status_changed_at.date().isoformat()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "“Republic of Balochistan” (self-declared)"
    assert item["datePublished"] == "2026-01-04"
    assert item["appearance"]["headline"] == claim.source.title
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1, "alternateName": "Disputed",
    }


def test_it_is_json_ld_in_the_schema_org_vocabulary(client, shipped_letters):
    (expanded,) = expand(claim_review(client, iran_claim()))
    assert expanded["@type"] == [SCHEMA + "ClaimReview"]
    assert expanded[SCHEMA + "claimReviewed"][0]["@value"].startswith("The letter claims that Iran")
    (rating,) = expanded[SCHEMA + "reviewRating"]
    assert rating[SCHEMA + "alternateName"] == [{"@value": "Disputed"}]
    assert rating[SCHEMA + "ratingValue"] == [{"@value": 3}]
    (item,) = expanded[SCHEMA + "itemReviewed"]
    assert item["@type"] == [SCHEMA + "Claim"]


def test_a_letter_whose_date_is_inferred_gives_no_publication_date(client, shipped_letters):
    claim = Claim.objects.filter(letter__date_inferred=True).first()
    assert "datePublished" not in claim_review(client, claim)["itemReviewed"]


@pytest.mark.parametrize("slug", ["unassessed", "not-checkable"])
def test_statuses_that_are_not_verdicts_carry_no_rating(client, shipped_letters, slug):
    claim = Claim.objects.filter(status__slug=slug).first()
    review = claim_review(client, claim)
    assert "reviewRating" not in review
    assert VerificationStatus.objects.get(slug=slug).rating_value is None


def test_every_verdict_status_maps_to_its_rating(client, shipped_letters):
    for claim in Claim.objects.filter(status__rating_value__isnull=False).select_related("status"):
        rating = claim_review(client, claim)["reviewRating"]
        assert (rating["ratingValue"], rating["alternateName"]) == (claim.status.rating_value, claim.status.label)


def test_a_statement_cannot_break_out_of_the_data_block(client, make_claim):
    claim = make_claim(statement='it said "</script><script>alert(1)</script>" & <b>more</b>.')
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    review = claim_review(client, claim)
    assert review["claimReviewed"].startswith('The letter claims that it said "</script><script>alert(1)')


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Short enough.", "Short enough."),
        ("word " * 30, ("word " * 15).strip() + "…"),
        ("x" * 100, "x" * 74 + "…"),
    ],
)
def test_shorten_keeps_under_75_characters(text, expected):
    assert shorten(text) == expected
    assert len(shorten(text)) <= 75


# --- Web Annotation ------------------------------------------------------------------------


def annotation(client, claim):
    response = client.get(reverse("claims:claim-annotation", args=[claim.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return response.json()


def test_the_annotation_targets_the_quote_in_the_source_text_it_names(client, shipped_letters):
    claim = iran_claim()
    data = annotation(client, claim)
    assert data["type"] == "Annotation"
    assert data["id"] == f"http://testserver/claims/{claim.pk}/annotation.json"
    quote, position = data["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    text = client.get(data["target"]["source"].removeprefix("http://testserver")).content.decode()
    assert text[position["start"]:position["end"]] == quote["exact"] == claim.quote_exact
    assert text[: position["start"]].endswith(quote["prefix"])
    assert text[position["end"]:].startswith(quote["suffix"])
    bodies = {body.get("purpose"): body for body in data["body"]}
    assert bodies["assessing"]["value"] == "Disputed"
    assert bodies["describing"]["value"].startswith("The letter from “Republic of Balochistan” (self-declared) claims that Iran")


def test_the_annotation_is_json_ld_in_the_web_annotation_vocabulary(client, shipped_letters):
    (expanded,) = expand(annotation(client, iran_claim()))
    oa = "http://www.w3.org/ns/oa#"
    assert expanded["@type"] == [oa + "Annotation"]
    (target,) = expanded[oa + "hasTarget"]
    assert {selector["@type"][0] for selector in target[oa + "hasSelector"]} == {
        oa + "TextQuoteSelector", oa + "TextPositionSelector"
    }


def test_an_orphaned_quote_is_annotated_by_its_words_alone(client, make_claim, source):
    claim = make_claim()
    source.text = source.text.replace("asked for an inquiry", "asked for nothing")
    source.save()
    claim.refresh_from_db()
    assert claim.is_orphan
    selector = annotation(client, claim)["target"]["selector"]
    assert selector["type"] == "TextQuoteSelector" and selector["exact"] == "asked for an inquiry"


def test_no_annotation_for_a_claim_that_does_not_exist(client, db):
    assert client.get(reverse("claims:claim-annotation", args=[999999])).status_code == 404


def test_the_source_text_is_served_exactly_as_stored(client, source):
    response = client.get(reverse("archive:source-text", args=[source.slug]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == source.text
    assert client.get(reverse("archive:source-text", args=["no-such-source"])).status_code == 404
