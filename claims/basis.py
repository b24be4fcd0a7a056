"""A status said with whose it is: "Disputed: Iran denies it".

The one wording of a status and its basis, for pages, exports, feeds and annotations
alike, so none of them can show a status in the archive's own voice. Plain text: the
HTML tag (`status_with_basis`) escapes it.
"""

from .models import Response, VerificationStatus

Basis = VerificationStatus.Basis


def phrase(basis, *, source="", words="", opposing=(), reviewer="", kind="", quoted=True):
    """What follows a status's label to say whose it is, e.g. ", according to “News report …”".

    `opposing` is (party, stance label) for each response that rejects, denies or disputes
    the claim; `quoted` adds the source's words after its title.
    """
    if basis == Basis.SOURCE:
        if not source:  # a version from before statuses kept their basis
            return ", according to a source this version does not name"
        said = f": “{words}”" if quoted and words else ""
        return f", according to “{source}”{said}"
    if basis == Basis.RESPONSE:
        if not opposing:
            return ": no party's response is recorded against it"
        return ": " + "; ".join(f"{party} {stance.lower()} it" for party, stance in opposing)
    if basis == Basis.EDITORS:
        by = f", reviewed by {reviewer}" if reviewer else ""
        return f": the editors' own assessment{by}, on the evidence listed with the claim"
    if basis == Basis.CLASSIFICATION:
        return f": the editors classify it as a {kind.lower()}, which no record could settle"
    return ": no source, party or editor has assessed it"


def labelled(status):
    """A status's label with whose it is, for short mentions: "Disputed (a party's response)".

    "Not yet assessed" says it already: nobody's.
    """
    if status.basis == Basis.NONE:
        return status.label
    return f"{status.label} ({status.get_basis_display().lower()})"


def published_name(first_name, last_name):
    """The name a reviewing editor is published under: full name, else a neutral word, never the login."""
    return f"{first_name or ''} {last_name or ''}".strip() or "an editor"


def reviewer_name(user):
    return published_name(user.first_name, user.last_name) if user is not None else ""


def opposing_responses(responses):
    return [
        (response.actor.name, response.get_stance_display())
        for response in responses
        if response.stance in Response.Stance.opposing()
    ]


def claim_phrase(claim, quoted=True):
    """phrase() for a claim instance: its responses (with actors) and status source prefetched by the caller."""
    status = claim.status
    return phrase(
        status.basis,
        source=claim.status_source.title if claim.status_source_id else "",
        words=claim.status_quote,
        opposing=opposing_responses(claim.responses.all())
        if status.basis == Basis.RESPONSE
        else (),
        reviewer=reviewer_name(claim.reviewed_by) if claim.reviewed_by_id else "",
        kind=claim.get_kind_display(),
        quoted=quoted,
    )


def status_sentence(claim, quoted=True):
    """The status and whose it is, as plain text: "Could not be independently verified, according to …"."""
    return claim.status.label + claim_phrase(claim, quoted)
