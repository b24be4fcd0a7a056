"""A claim in the vocabularies of its neighbours: ClaimReview for fact-check tools, W3C Web
Annotation for annotation tools. Both are plain dicts, serialised as JSON-LD by the caller.

`absolute_url(path)` turns a site path into the full URL the data must carry.
"""
from django.conf import settings
from django.urls import reverse

from archive.cmif import CMIF_WHEN
from archive.models import Actor

CLAIM_REVIEWED_LENGTH = 75  # Google's ClaimReview guidelines: a short summary of the claim


def shorten(text, length=CLAIM_REVIEWED_LENGTH):
    """text if it fits in `length` characters, else cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if text[length - 1] != " " and " " in cut:  # the cut fell inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def plain_date(letter):
    """The letter's date as ISO 8601 when the sources state it plainly (no uncertainty, no range)."""
    edtf = letter.date_edtf.strip()
    return edtf if not letter.date_inferred and CMIF_WHEN.match(edtf) else None


def agent(actor):
    data = {"@type": "Person" if actor.kind == Actor.Kind.PERSON else "Organization", "name": actor.name}
    uris = [identifier.uri for identifier in actor.identifiers.all()]
    if uris:
        data["sameAs"] = uris
    return data


def publisher(absolute_url):
    return {"@type": "Organization", "name": settings.MISSIVE_PUBLISHER, "url": absolute_url("/")}


def appearance(source):
    work = {"@type": "NewsArticle" if source.kind == source.Kind.NEWS_REPORT else "CreativeWork",
            "headline": source.title}
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    return work


def claim_review(claim, absolute_url):
    """schema.org ClaimReview for a claim page. Statuses that are not verdicts carry no rating."""
    letter, status = claim.letter, claim.status
    item = {
        "@type": "Claim",
        "author": agent(letter.sender),
        "appearance": appearance(claim.source),
    }
    if date := plain_date(letter):
        item["datePublished"] = date
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url()),
        "claimReviewed": shorten(claim.attributed_statement),
        "itemReviewed": item,
        "author": publisher(absolute_url),
        "datePublished": claim.status_changed_at.date().isoformat(),
        "reviewBody": claim.status_note or status.description,
    }
    if status.rating_value is not None:
        review["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": status.rating_value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": status.label,
        }
    return review


def source_text_url(source, absolute_url):
    return absolute_url(reverse("archive:source-text", args=[source.slug]))


def annotation(claim, absolute_url, created, modified):
    """The claim as a W3C Web Annotation on its quote in the source text it was anchored to."""
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": claim.quote_exact,
            "prefix": claim.quote_prefix,
            "suffix": claim.quote_suffix,
        }
    ]
    if not claim.is_orphan:
        selectors.append({"type": "TextPositionSelector", "start": claim.quote_start, "end": claim.quote_end})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": absolute_url(reverse("claims:claim-annotation", args=[claim.pk])),
        "type": "Annotation",
        "motivation": "describing",
        "created": created.isoformat(timespec="seconds"),
        "modified": modified.isoformat(timespec="seconds"),
        "creator": {"type": "Organization", "name": settings.MISSIVE_PUBLISHER, "homepage": absolute_url("/")},
        "body": [
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": f"The letter from {claim.letter.sender.name} claims that {claim.statement}",
                "format": "text/plain",
                "language": "en",
            },
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": claim.status.label,
                "format": "text/plain",
                "language": "en",
            },
            {"type": "TextualBody", "purpose": "classifying", "value": claim.get_kind_display()},
            {"id": absolute_url(claim.get_absolute_url()), "type": "Text", "format": "text/html"},
        ],
        "target": {
            "source": source_text_url(claim.source, absolute_url),
            "type": "Text",
            "format": "text/plain",
            "selector": selectors if len(selectors) > 1 else selectors[0],
        },
    }
