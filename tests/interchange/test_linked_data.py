"""ClaimReview embedded in claim pages, and the Web Annotation of every claim, read as JSON-LD."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from pyld import jsonld

from archive.models import Letter, Source
from claims.models import Claim, Evidence, VerificationStatus
from interchange import linked_data

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
# The archive works offline, and so do its tests: each context is read from here, never fetched.
CONTEXTS = {
    "https://schema.org": {"@context": {"@vocab": SCHEMA}},
    "http://www.w3.org/ns/anno.jsonld": {
        "@context": {
            "oa": "http://www.w3.org/ns/oa#",
            "@vocab": "http://www.w3.org/ns/oa#",
            "id": "@id",
            "type": "@type",
            "source": {"@id": "oa:hasSource", "@type": "@id"},
            "selector": {"@id": "oa:hasSelector"},
            "target": {"@id": "oa:hasTarget"},
            "body": {"@id": "oa:hasBody"},
            "value": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
            "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
            "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"},
            "exact": "oa:exact",
            "prefix": "oa:prefix",
            "suffix": "oa:suffix",
            "start": "oa:start",
            "end": "oa:end",
        }
    },
}


def offline_loader(url, options=None):
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXTS[url]}


def expand(data):
    return jsonld.expand(data, {"documentLoader": offline_loader})


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
INDEPENDENT_TEXT = "The registry records the event. The registry has no record of it."


def json_ld_blocks(client, claim):
    return JSON_LD.findall(client.get(claim.get_absolute_url()).content.decode())


def claim_review(client, claim):
    blocks = json_ld_blocks(client, claim)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def iran_claim():
    return Claim.objects.get(responses__actor__slug="iran", responses__stance="denies")


def assess(claim, slug="corroborated", note="The registry's own record."):
    """The editors' own assessment of a claim: evidence from an independent record, and the reviewer's name."""
    reviewer = get_user_model().objects.create_user(
        "ada-login", first_name="Ada", last_name="Reviewer"
    )
    record, _ = Source.objects.get_or_create(
        slug="registry",
        defaults={"title": "The registry", "kind": Source.Kind.OTHER, "text": INDEPENDENT_TEXT},
    )
    relation, quote = (
        ("supports", "The registry records the event.")
        if slug == "corroborated"
        else ("contradicts", "The registry has no record of it.")
    )
    with transaction.atomic():
        claim.status, claim.reviewed_by = VerificationStatus.objects.get(slug=slug), reviewer
        claim._change_reason = "Checked against the registry"
        claim.save()
        Evidence.objects.create(
            claim=claim, relation=relation, note=note, source=record, quote_exact=quote
        )
    return claim


@pytest.fixture
def assessed(shipped_letters):
    """A claim of the NATO letter that the editors corroborated themselves, as a test supposes."""
    return assess(Claim.objects.get(key="control-led-to-instability"))


def test_the_claim_review_of_an_assessed_claim(client, assessed, settings):
    review = claim_review(client, assessed)
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver{assessed.get_absolute_url()}"
    assert (
        review["claimReviewed"] == assessed.attributed_statement
    )  # whole: cut, only the attribution was left
    assert review["claimReviewed"].startswith(
        "The letter from “Republic of Balochistan” (self-declared) claims that"
    )
    assert review["datePublished"] == assessed.status_changed_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.MISSIVE_PUBLISHER,
        "url": "http://testserver/",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "“Republic of Balochistan” (self-declared)"
    assert item["datePublished"] == "2026-01-04"
    assert item["appearance"]["headline"] == assessed.source.title
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Corroborated",
    }  # no number nobody chose


def test_the_review_body_is_the_assessment_with_its_reviewer_and_evidence(client, assessed):
    body = claim_review(client, assessed)["reviewBody"].splitlines()
    assert body[0] == (
        "Corroborated: the editors' own assessment, reviewed by Ada Reviewer, "
        "on the evidence listed with the claim."
    )
    assert (
        "Supports: “The registry records the event.” (“The registry”). The registry's own record."
        in body
    )
    assert "ada-login" not in client.get(assessed.get_absolute_url()).content.decode()


def test_the_claim_review_names_the_configured_publisher(client, assessed, settings):
    settings.MISSIVE_PUBLISHER, settings.MISSIVE_PUBLISHER_URL = (
        "The Example Desk",
        "https://desk.example/",
    )
    review = claim_review(client, assessed)
    assert review["author"] == {
        "@type": "Organization",
        "name": "The Example Desk",
        "url": "https://desk.example/",
    }


def test_a_rating_appears_only_where_the_editors_chose_one(client, shipped_letters):
    claim = assess(Claim.objects.get(key="china-ai-training"), slug="contradicted")
    assert claim_review(client, claim)["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Contradicted",
    }
    VerificationStatus.objects.filter(slug="contradicted").update(rating_value=1)
    assert claim_review(client, claim)["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Contradicted",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_it_is_json_ld_in_the_schema_org_vocabulary(client, assessed):
    (expanded,) = expand(claim_review(client, assessed))
    assert expanded["@type"] == [SCHEMA + "ClaimReview"]
    assert expanded[SCHEMA + "claimReviewed"][0]["@value"].startswith(
        "The letter from “Republic of Balochistan”"
    )
    (rating,) = expanded[SCHEMA + "reviewRating"]
    assert rating[SCHEMA + "alternateName"] == [{"@value": "Corroborated"}]
    assert SCHEMA + "ratingValue" not in rating
    (item,) = expanded[SCHEMA + "itemReviewed"]
    assert item["@type"] == [SCHEMA + "Claim"]


def test_a_letter_whose_date_is_inferred_gives_no_publication_date(client, make_claim, letter):
    Letter.objects.filter(pk=letter.pk).update(date_inferred=True)
    claim = assess(make_claim())
    assert "datePublished" not in claim_review(client, claim)["itemReviewed"]


def test_a_letter_whose_year_is_unknown_gives_no_publication_date(client, shipped_letters):
    claim = assess(Claim.objects.get(key="pakistan-militant-proxies"))
    assert claim.letter.date_edtf == "XXXX-02-11"
    assert "datePublished" not in claim_review(client, claim)["itemReviewed"]


def test_no_status_but_the_editors_own_assessment_gives_a_claim_review(client, shipped_letters):
    shown = set()
    for claim in Claim.objects.select_related("status", "letter__sender", "source"):
        assert claim.status.basis != VerificationStatus.Basis.EDITORS
        assert linked_data.claim_review(claim, lambda path: f"http://testserver{path}") is None, (
            claim.key
        )
        shown.add(claim.status.slug)
    assert shown == {"unassessed", "unverified", "disputed", "not-checkable"}
    for slug in shown:
        claim = Claim.objects.filter(status__slug=slug).first()
        assert json_ld_blocks(client, claim) == [], slug


def test_an_editors_status_of_their_own_making_gives_a_claim_review(client, make_claim):
    VerificationStatus.objects.create(
        slug="misleading",
        label="Misleading",
        description="d",
        basis="editors",
        rating_value=2,
        position=70,
    )
    claim = assess(make_claim(), slug="contradicted")
    claim.status = VerificationStatus.objects.get(slug="misleading")
    claim.save()
    assert claim_review(client, claim)["reviewRating"]["alternateName"] == "Misleading"
    assert claim_review(client, claim)["reviewRating"]["ratingValue"] == 2


def test_a_statement_or_note_cannot_break_out_of_the_data_block(client, make_claim):
    claim = assess(
        make_claim(statement='x "</script><script>alert(1)" &.'),
        note="</script><script>alert(2)</script>",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<script>alert(2)" not in html
    review = claim_review(client, claim)
    assert (
        review["claimReviewed"]
        == 'The letter from Sender claims that x "</script><script>alert(1)" &.'
    )
    assert review["reviewBody"].endswith("</script><script>alert(2)</script>")


# --- Web Annotation ------------------------------------------------------------------------


def annotation(client, claim):
    response = client.get(reverse("claims:claim-annotation", args=[claim.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    return response.json()


def test_the_annotation_targets_the_quote_in_the_source_text_it_names(client, shipped_letters):
    claim = iran_claim()
    data = annotation(client, claim)
    assert data["type"] == "Annotation"
    assert data["id"] == f"http://testserver/claims/{claim.pk}/annotation.json"
    quote, position = data["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert data["target"]["type"] == "SpecificResource"
    source = data["target"]["source"]
    assert (source["type"], source["format"], source["language"]) == ("Text", "text/plain", "en")
    text = client.get(source["id"].removeprefix("http://testserver")).content.decode()
    assert text[position["start"] : position["end"]] == quote["exact"] == claim.quote_exact
    assert text[: position["start"]].endswith(quote["prefix"])
    assert text[position["end"] :].startswith(quote["suffix"])
    bodies = {body.get("purpose"): body for body in data["body"]}
    assert bodies["assessing"]["value"] == "Disputed: Iran denies it"
    assert bodies["describing"]["value"].startswith(
        "The letter from “Republic of Balochistan” (self-declared) claims that Iran"
    )


@pytest.mark.parametrize(
    "key, assessing",
    [
        (
            "security-operations-2025",
            "Could not be independently verified, according to “News report on the "
            "“Republic of Balochistan” letter of 4 January 2026 to NATO member states”: “These claims could not be "
            "independently verified.”",
        ),
        ("sovereign-before-1947", "Disputed: Pakistan rejects it"),
        (
            "worsening-crisis",
            "Not checkable: the editors classify it as a characterisation, which no record could settle",
        ),
        (
            "proliferation-risk",
            "Not checkable: the editors classify it as a prediction or warning, which no record "
            "could settle",
        ),
        ("china-ai-training", "Not yet assessed: no source, party or editor has assessed it"),
    ],
)
def test_the_annotation_says_whose_the_status_is(client, shipped_letters, key, assessing):
    bodies = {
        body.get("purpose"): body for body in annotation(client, Claim.objects.get(key=key))["body"]
    }
    assert bodies["assessing"]["value"] == assessing


def test_the_annotation_of_an_assessment_names_its_reviewer_not_the_login(client, assessed):
    bodies = {body.get("purpose"): body for body in annotation(client, assessed)["body"]}
    assert bodies["assessing"]["value"] == (
        "Corroborated: the editors' own assessment, reviewed by Ada Reviewer, "
        "on the evidence listed with the claim"
    )


def test_the_annotation_is_json_ld_in_the_web_annotation_vocabulary(client, shipped_letters):
    (expanded,) = expand(annotation(client, iran_claim()))
    oa = "http://www.w3.org/ns/oa#"
    assert expanded["@type"] == [oa + "Annotation"]
    (target,) = expanded[oa + "hasTarget"]
    assert {selector["@type"][0] for selector in target[oa + "hasSelector"]} == {
        oa + "TextQuoteSelector",
        oa + "TextPositionSelector",
    }


def test_an_orphaned_quote_is_annotated_by_its_words_alone(client, make_claim, source):
    claim = make_claim()
    source.text = source.text.replace("asked for an inquiry", "asked for nothing")
    source.save()
    claim.refresh_from_db()
    assert claim.is_orphan
    data = annotation(client, claim)
    selector = data["target"]["selector"]
    assert selector["type"] == "TextQuoteSelector" and selector["exact"] == "asked for an inquiry"
    (comment,) = [body for body in data["body"] if body.get("purpose") == "commenting"]
    assert comment["value"].startswith("The quoted words are no longer found in the source's")


def test_no_annotation_for_a_claim_that_does_not_exist(client, db):
    assert client.get(reverse("claims:claim-annotation", args=[999999])).status_code == 404


def test_the_source_text_is_served_exactly_as_stored(client, shipped_letters):
    source = Source.objects.first()
    response = client.get(reverse("archive:source-text", args=[source.slug]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == source.text
    assert client.get(reverse("archive:source-text", args=["no-such-source"])).status_code == 404


def test_the_annotation_and_each_of_its_bodies_say_who_made_them_and_when(client, shipped_letters):
    data = annotation(client, iran_claim())
    creator = data["creator"]
    assert creator["id"] == "http://testserver/" and creator["type"] == "Organization"
    for body in data["body"]:
        if body["type"] == "TextualBody":
            assert body["creator"] == creator["id"]
            assert body["created"] >= data["created"]


def annotations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert (
        response["Content-Type"]
        == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    return response.json()


def test_a_letters_annotations_are_a_collection_a_tool_can_harvest(client, shipped_letters):
    from archive.models import Letter

    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    url = reverse("archive:letter-annotations", args=[letter.slug])
    collection = annotations(client, url)
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"] == f"http://testserver{url}"
    claims = list(letter.claims.order_by("position", "pk"))
    assert collection["total"] == len(claims) == len(collection["first"]["items"])
    page = collection["first"]
    assert (page["type"], page["partOf"], page["startIndex"]) == (
        "AnnotationPage",
        collection["id"],
        0,
    )
    for claim, item in zip(claims, page["items"], strict=True):
        assert item == annotation(client, claim)  # the same annotation as the claim's own


def test_the_archives_annotations_are_paged_and_every_claim_is_on_one_page(
    client, shipped_letters, settings
):
    from interchange import views

    views.ANNOTATIONS_PER_PAGE, before = 10, views.ANNOTATIONS_PER_PAGE
    try:
        collection = annotations(client, reverse("claims:claim-annotations"))
        assert collection["total"] == Claim.objects.count() == 41
        assert collection["last"].endswith("?page=5")
        seen, url = [], collection["first"]
        while url:
            page = annotations(client, url.removeprefix("http://testserver"))
            assert page["partOf"] == collection["id"] and page["startIndex"] == len(seen)
            seen += [item["id"] for item in page["items"]]
            url = page.get("next")
        expected = [
            f"http://testserver{reverse('claims:claim-annotation', args=[pk])}"
            for pk in Claim.objects.order_by("pk").values_list("pk", flat=True)
        ]
        assert seen == expected
    finally:
        views.ANNOTATIONS_PER_PAGE = before


@pytest.mark.parametrize("page", ["0", "6000", "abc", "-1", "1.5", "\u0661"])
def test_a_page_of_annotations_that_is_not_there_is_a_400_that_says_so(
    client, shipped_letters, page
):
    response = client.get(reverse("claims:claim-annotations"), {"page": page})
    assert response.status_code == 400
    assert response.json()["errors"]["page"] == ["page: give a whole number from 1 to 1."]


def test_a_page_of_annotations_costs_the_same_queries_for_1_or_100_claims(
    client, make_claim, django_assert_max_num_queries
):
    make_claim()
    url = reverse("claims:claim-annotations") + "?page=1"
    with django_assert_max_num_queries(8) as one:
        client.get(url)
    for number in range(30):
        make_claim(key=f"claim-{number}", position=number + 2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["items"]) == 31
