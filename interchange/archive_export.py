"""The whole archive in the import format (README, "Import format"): the backup path.

Importing what `export_letters` writes into an empty database gives back the same
archive, history aside. The file is written letter by letter, so memory stays flat.
"""

import json

from django.db.models import Prefetch

from archive.models import Actor, Letter, Recipient, RequestedAction, Source
from claims.models import (
    Claim,
    Evidence,
    Recurrence,
    RecurringAssertion,
    Response,
    VerificationStatus,
)
from interchange.format import FORMAT_NAME, FORMAT_VERSION

CHUNK = 200


def quote(quotation):
    data = {
        "source": quotation.source.slug,
        "exact": quotation.quote_exact,
        "prefix": quotation.quote_prefix,
        "suffix": quotation.quote_suffix,
    }
    if quotation.is_orphan:
        data["orphan"] = True  # kept though no longer found in its source
    return data


def status_record(status):
    return {
        "slug": status.slug,
        "label": status.label,
        "description": status.description,
        "basis": status.basis,
        "rating_value": status.rating_value,
        "position": status.position,
    }


def actor_record(actor):
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "parent": actor.parent.slug if actor.parent else None,
        "description": actor.description,
        "identifiers": [
            {"scheme": item.scheme, "value": item.value} for item in actor.identifiers.all()
        ],
    }


def source_record(source):
    return {
        "slug": source.slug,
        "title": source.title,
        "kind": source.kind,
        "language": source.language,
        "author": source.author,
        "publisher": source.publisher,
        "url": source.url,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "note": source.note,
        "text": source.text,
    }


def response_record(response):
    return {
        "actor": response.actor.slug,
        "stance": response.stance,
        "statement": response.statement,
        "responded_on": response.responded_on.isoformat() if response.responded_on else None,
        "quote": quote(response),
    }


def claim_record(claim):
    record = {
        "key": claim.key,
        "position": claim.position,
        "statement": claim.statement,
        "kind": claim.kind,
        "status": claim.status.slug,
        "status_note": claim.status_note,
        "status_set_at": claim.status_changed_at.isoformat(),
        "about": [actor.slug for actor in claim.about.all()],
        "quote": quote(claim),
        "responses": [response_record(response) for response in claim.responses.all()],
        "evidence": [
            {"relation": item.relation, "note": item.note, "quote": quote(item)}
            for item in claim.evidence.all()
        ],
    }
    if claim.status_source_id:
        record["status_basis"] = {"source": claim.status_source.slug, "quote": claim.status_quote}
    if claim.reviewed_by_id:
        record["reviewed_by"] = claim.reviewed_by.get_username()
    try:
        recurrence = claim.recurrence  # selected with the claim
    except Recurrence.DoesNotExist:
        return record
    record["recurs_as"] = {
        "assertion": recurrence.assertion.slug,
        "reason": recurrence.reason,
        "confirmed_at": recurrence.confirmed_at.isoformat(),
    }
    if recurrence.confirmed_by_id:
        record["recurs_as"]["confirmed_by"] = recurrence.confirmed_by.get_username()
    return record


def recurring_assertion_record(assertion):
    return {"slug": assertion.slug, "title": assertion.title, "note": assertion.note}


def letter_record(letter):
    return {
        "slug": letter.slug,
        "title": letter.title,
        "date": letter.date_edtf,
        "date_inferred": letter.date_inferred,
        "date_note": letter.date_note,
        "sender": letter.sender.slug,
        "signatory": letter.signatory.slug if letter.signatory else None,
        "summary": letter.summary,
        "published": letter.published,
        "sources": [source.slug for source in letter.sources.all()],
        "recipients": [
            {"actor": recipient.actor.slug, "role": recipient.role, "note": recipient.note}
            for recipient in letter.recipients.all()
        ],
        "requested_actions": [
            {
                "position": action.position,
                "summary": action.summary,
                "addressees": [actor.slug for actor in action.addressees.all()],
                "outcome": action.outcome,
                "outcome_note": action.outcome_note,
                "quote": quote(action),
            }
            for action in letter.requested_actions.all()
        ],
        "claims": [claim_record(claim) for claim in letter.claims.all()],
        "responses": [response_record(response) for response in letter.responses.all()],
    }


def letters_for_export():
    slug_only = Actor.objects.only("slug").order_by("slug")
    return (
        Letter.objects.select_related("sender", "signatory")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.only("slug").order_by("slug")),
            Prefetch(
                "recipients",
                queryset=Recipient.objects.select_related("actor").order_by("role", "pk"),
            ),
            Prefetch(
                "requested_actions",
                queryset=RequestedAction.objects.select_related("source")
                .prefetch_related(Prefetch("addressees", queryset=slug_only))
                .order_by("position"),
            ),
            Prefetch(
                "claims",
                queryset=Claim.objects.select_related(
                    "status",
                    "source",
                    "status_source",
                    "reviewed_by",
                    "recurrence__assertion",
                    "recurrence__confirmed_by",
                )
                .prefetch_related(
                    Prefetch("about", queryset=slug_only),
                    Prefetch(
                        "responses",
                        queryset=Response.objects.select_related("actor", "source").order_by("pk"),
                    ),
                    Prefetch(
                        "evidence",
                        queryset=Evidence.objects.select_related("source").order_by("pk"),
                    ),
                )
                .order_by("position", "pk"),
            ),
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("actor", "source").order_by("pk"),
            ),
        )
        .order_by("date_earliest", "slug")
    )


def dump(value):
    return json.dumps(value, ensure_ascii=False, indent=1)


def write_archive(stream, progress=None):
    """Write the whole archive to a text stream; returns how many letters it holds.

    `progress(total, stage)`, if given, returns a progress bar (tqdm's interface) told of each letter."""
    statuses = [
        status_record(status) for status in VerificationStatus.objects.order_by("position", "slug")
    ]
    actors = [
        actor_record(actor)
        for actor in Actor.objects.select_related("parent")
        .prefetch_related("identifiers")
        .order_by("slug")
    ]
    sources = [source_record(source) for source in Source.objects.order_by("slug")]
    recurring = [
        recurring_assertion_record(assertion)
        for assertion in RecurringAssertion.objects.order_by("slug")
    ]
    stream.write("{\n")
    stream.write(f' "format": {dump(FORMAT_NAME)},\n "version": {FORMAT_VERSION},\n')
    stream.write(
        f' "statuses": {dump(statuses)},\n "actors": {dump(actors)},\n "sources": {dump(sources)},\n'
    )
    if recurring:  # a file without them reads as it did before there were any
        stream.write(f' "recurring_assertions": {dump(recurring)},\n')
    stream.write(' "letters": [')
    count = 0
    bar = progress(Letter.objects.count(), "Exporting") if progress else None
    for letter in letters_for_export().iterator(chunk_size=CHUNK):
        stream.write(("," if count else "") + "\n" + dump(letter_record(letter)))
        count += 1
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    stream.write("\n ]\n}\n")
    return count
