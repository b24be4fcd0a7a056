"""Claims as they stood at the end of a day: the claim page's and the letter page's past versions."""

from django.contrib.auth import get_user_model

from archive.models import Actor, Letter, Source
from history.past import as_instance, attach, attach_many, ordered

from .models import Claim, Evidence, Response, VerificationStatus


def responses_and_evidence(responses, evidence, actors, sources):
    for response in responses:
        attach(response, "actor", actors[response.actor_id])
        attach(response, "source", sources[response.source_id])
    for item in evidence:
        attach(item, "source", sources[item.source_id])


def status_basis(claims, sources):
    """Attach each claim's status source (as it stood) and reviewing editor (users keep no history)."""
    editors = get_user_model().objects.in_bulk({claim.reviewed_by_id for claim in claims} - {None})
    for claim in claims:
        attach(claim, "status_source", sources.get(claim.status_source_id))
        attach(claim, "reviewed_by", editors.get(claim.reviewed_by_id))


def claim_as_of(past, pk):
    """(claim, its history record) as they stood, relations included; (None, None) if it did not exist."""
    record = past.record(Claim, pk)
    if record is None:
        return None, None
    claim = as_instance(record)
    about = past.linked_ids([record], "about", "actor")[pk]
    responses = [as_instance(r) for r in past.records(Response, claim_id=pk).values()]
    evidence = [as_instance(r) for r in past.records(Evidence, claim_id=pk).values()]
    letter = past.then_or_now(Letter, [claim.letter_id])[claim.letter_id]
    actors = past.then_or_now(Actor, [*about, *(r.actor_id for r in responses), letter.sender_id])
    sources = past.then_or_now(
        Source,
        [
            claim.source_id,
            claim.status_source_id,
            *(r.source_id for r in responses),
            *(e.source_id for e in evidence),
        ],
    )
    status_basis([claim], sources)
    attach(letter, "sender", actors[letter.sender_id])
    attach(claim, "letter", letter)
    attach(claim, "source", sources[claim.source_id])
    attach(
        claim, "status", past.then_or_now(VerificationStatus, [claim.status_id])[claim.status_id]
    )
    # A party deleted since is no longer in the history's tables: the links that remain are shown.
    attach_many(claim, "about", ordered([actors[i] for i in about if i in actors], "name"))
    responses_and_evidence(responses, evidence, actors, sources)
    attach_many(claim, "responses", ordered(responses, "pk"))
    attach_many(claim, "evidence", ordered(evidence, "pk"))
    return claim, record


def letter_claims_as_of(past, letter):
    """(claims with their statuses, whole-letter responses) of a letter as they stood."""
    claims = [as_instance(record) for record in past.records(Claim, letter_id=letter.pk).values()]
    statuses = past.then_or_now(VerificationStatus, [claim.status_id for claim in claims])
    answers = [
        as_instance(record)
        for record in past.records(Response, claim_id__in=[c.pk for c in claims]).values()
    ]
    responses = [
        as_instance(record) for record in past.records(Response, letter_id=letter.pk).values()
    ]
    actors = past.then_or_now(Actor, [response.actor_id for response in [*responses, *answers]])
    sources = past.then_or_now(
        Source,
        [response.source_id for response in [*responses, *answers]]
        + [c.status_source_id for c in claims],
    )
    responses_and_evidence([*responses, *answers], [], actors, sources)
    status_basis(claims, sources)
    for claim in claims:
        attach(claim, "status", statuses[claim.status_id])
        attach(claim, "letter", letter)
        attach_many(
            claim, "responses", ordered([a for a in answers if a.claim_id == claim.pk], "pk")
        )
    return ordered(claims, "position", "pk"), ordered(responses, "pk")
