"""A claim in the vocabularies of its neighbours: ClaimReview for fact-check tools, W3C Web
Annotation for annotation tools. Both are plain dicts, serialised as JSON-LD by the caller.

A ClaimReview is a review by its author: so there is one only for the editors' own
assessments, authored by the configured publisher, and never for what a source or a
party said, nor for a claim nobody assessed or that no record could settle.

`absolute_url(path)` turns a site path into the full URL the data must carry.
"""

from django.conf import settings
from django.urls import reverse

from archive.models import Actor
from claims.basis import status_sentence
from claims.models import VerificationStatus
from interchange.cmif.write import CMIF_WHEN


def plain_date(letter):
    """The letter's date as ISO 8601 when the sources state it plainly (no uncertainty, no range)."""
    edtf = letter.date_edtf.strip()
    return edtf if not letter.date_inferred and CMIF_WHEN.match(edtf) else None


def agent(actor):
    data = {
        "@type": "Person" if actor.kind == Actor.Kind.PERSON else "Organization",
        "name": actor.name,
    }
    uris = [identifier.uri for identifier in actor.identifiers.all()]
    if uris:
        data["sameAs"] = uris
    return data


def publisher(absolute_url):
    """The organisation that publishes the editors' reviews (MISSIVE_PUBLISHER, MISSIVE_PUBLISHER_URL)."""
    return {
        "@type": "Organization",
        "name": settings.MISSIVE_PUBLISHER,
        "url": settings.MISSIVE_PUBLISHER_URL or absolute_url("/"),
    }


def review_body(claim):
    """The editors' assessment in words: whose it is, then each piece of evidence with its source."""
    lines = [status_sentence(claim, quoted=False) + "."]
    if claim.status_note:
        lines.append(claim.status_note)
    for item in claim.evidence.all():
        note = f" {item.note}" if item.note else ""
        lines.append(
            f"{item.get_relation_display()}: “{item.quote_exact}” (“{item.source.title}”).{note}"
        )
    return "\n".join(lines)


def appearance(source):
    work = {
        "@type": "NewsArticle" if source.kind == source.Kind.NEWS_REPORT else "CreativeWork",
        "headline": source.title,
    }
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    return work


def claim_review(claim, absolute_url):
    """schema.org ClaimReview for a claim page, or None unless its status is the editors' own assessment.

    The rating is the status's label; a number only where the editors chose one for the status.
    """
    letter, status = claim.letter, claim.status
    if status.basis != VerificationStatus.Basis.EDITORS:
        return None
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
        # Whole, not cut to Google's suggested 75 characters: cut, the attribution would be all that is left.
        "claimReviewed": claim.attributed_statement,
        "itemReviewed": item,
        "author": publisher(absolute_url),
        "datePublished": claim.status_changed_at.date().isoformat(),
        "reviewBody": review_body(claim),
        "reviewRating": {"@type": "Rating", "alternateName": status.label},
    }
    if status.rating_value is not None:
        review["reviewRating"].update(ratingValue=status.rating_value, bestRating=5, worstRating=1)
    return review


def source_text_url(source, absolute_url):
    return absolute_url(reverse("archive:source-text", args=[source.slug]))


ORPHANED = (
    "The quoted words are no longer found in the source's current text: the selector gives them "
    "as they were quoted, and no position."
)


def annotation_creator(absolute_url):
    return {
        "id": settings.MISSIVE_PUBLISHER_URL or absolute_url("/"),
        "type": "Organization",
        "name": settings.MISSIVE_PUBLISHER,
        "homepage": settings.MISSIVE_PUBLISHER_URL or absolute_url("/"),
    }


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
        selectors.append(
            {"type": "TextPositionSelector", "start": claim.quote_start, "end": claim.quote_end}
        )
    creator = annotation_creator(absolute_url)
    made = {"created": created.isoformat(timespec="seconds"), "creator": creator["id"]}

    def text(purpose, value, **more):
        return {"type": "TextualBody", "purpose": purpose, "value": value, **more}

    bodies = [
        text("describing", claim.attributed_statement, format="text/plain", language="en", **made),
        # The status with whose it is: Missive records the assessment, it does not make it.
        text(
            "assessing",
            status_sentence(claim),
            format="text/plain",
            language="en",
            created=claim.status_changed_at.isoformat(timespec="seconds"),
            creator=creator["id"],
        ),
        text("classifying", claim.get_kind_display(), **made),
        {"id": absolute_url(claim.get_absolute_url()), "type": "Text", "format": "text/html"},
    ]
    if claim.is_orphan:
        bodies.append(text("commenting", ORPHANED, format="text/plain", language="en", **made))
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": absolute_url(reverse("claims:claim-annotation", args=[claim.pk])),
        "type": "Annotation",
        "motivation": "describing",
        "created": created.isoformat(timespec="seconds"),
        "modified": modified.isoformat(timespec="seconds"),
        "creator": creator,
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": source_text_url(claim.source, absolute_url),
                "type": "Text",
                "format": "text/plain",
                "language": claim.source.language_tag,
            },
            "selector": selectors if len(selectors) > 1 else selectors[0],
        },
    }


def annotation_page(claims, absolute_url, times, page_id, collection_id, start, neighbours=None):
    """An AnnotationPage of the claims' annotations; `times` maps a claim id to (created, modified)."""
    items = []
    for claim in claims:
        created, modified = times.get(claim.pk, (None, None))
        items.append(
            annotation(
                claim,
                absolute_url,
                created=created or claim.status_changed_at,
                modified=modified or claim.status_changed_at,
            )
        )
    page = {"id": page_id, "type": "AnnotationPage", "partOf": collection_id, "startIndex": start}
    page.update({key: value for key, value in (neighbours or {}).items() if value})
    page["items"] = items
    return page


def annotation_collection(collection_id, label, total, first, last=None):
    """An AnnotationCollection (W3C Web Annotation Protocol): its size and its pages."""
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": first,
    }
    if last is not None:
        collection["last"] = last
    return collection
