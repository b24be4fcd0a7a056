"""A rich archive for tests that need every kind of row: query budgets, exports, the round trip.

Everything the pages show is here: senders, signatories, to and cc recipients,
requested actions with addressees, actors with authority identifiers and parents,
claims of every status and kind about two actors each, opposing and acknowledging
responses, evidence, claims about the same actor in other letters, a response to a
whole letter, every other claim confirmed as making one recurring assertion, and history
with editors and reasons (statuses changed through `set_status` and through a save with
`_change_reason`).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import (
    Claim,
    Evidence,
    Recurrence,
    RecurringAssertion,
    Response,
    VerificationStatus,
)
from claims.statuses import set_status

CAPACITY = 60  # claim slots written into every source text, so an archive can grow to this size

LETTERS = [
    # slug, EDTF date, sender key, signatory key, recipients (actor key, role)
    (
        "letter-0",
        "2026-01-04",
        "republic",
        "signer",
        [("un", "to"), ("state-a", "to"), ("un-sg", "cc")],
    ),
    (
        "letter-1",
        "2026-02-11?",
        "republic",
        "signer",
        [("un", "to"), ("state-b", "to"), ("un-sg", "cc")],
    ),
    ("letter-2", "2025-11", "state-a", None, [("un", "to"), ("state-b", "to"), ("un-sg", "cc")]),
]
# The parties claims are about and who respond; claim i is about two neighbours in this list.
PARTIES = ["state-a", "state-b", "person-e", "org-f"]
ACTORS = [
    # key, name, kind, parent key, identifiers
    (
        "republic",
        "Republic of Somewhere",
        Actor.Kind.SELF_DECLARED_ENTITY,
        None,
        [("wikidata", "Q9001")],
    ),
    ("signer", "A. Signer", Actor.Kind.PERSON, None, [("wikidata", "Q9002"), ("viaf", "9002")]),
    ("un", "United Nations", Actor.Kind.INTERNATIONAL_BODY, None, [("wikidata", "Q1065")]),
    ("un-sg", "UN Secretary-General", Actor.Kind.OFFICE, "un", [("wikidata", "Q81066")]),
    ("state-a", "State A", Actor.Kind.STATE, None, [("wikidata", "Q9011"), ("gnd", "4022153-2")]),
    ("state-b", "State B", Actor.Kind.STATE, None, [("wikidata", "Q9012")]),
    ("person-e", "Person E", Actor.Kind.PERSON, None, [("wikidata", "Q9013"), ("viaf", "9013")]),
    ("org-f", "Organisation F", Actor.Kind.ORGANISATION, None, [("wikidata", "Q9014")]),
]
# Claim i's pattern is PATTERNS[i % 6]: the status it ends with, its party's response, its evidence.
# "disputed-via-set-status" claims are created unverified and moved by set_status with a reason;
# "disputed-via-save" ones by saving with `_change_reason`. Both have an opposing response first.
# Each status has the basis it needs: the report's words for "unverified", the editor and
# supporting or contradicting evidence for the editors' own assessments, a kind no record
# could settle for "not-checkable".
PATTERNS = [
    ("disputed-via-set-status", Response.Stance.REJECTS, Evidence.Relation.CONTRADICTS),
    ("corroborated", Response.Stance.ACKNOWLEDGES, Evidence.Relation.SUPPORTS),
    ("disputed-via-save", Response.Stance.DENIES, None),
    ("unassessed", None, None),
    ("contradicted", Response.Stance.ACKNOWLEDGES, Evidence.Relation.CONTRADICTS),
    ("not-checkable", Response.Stance.REJECTS, None),
]
KINDS = list(Claim.Kind)
SEARCH_WORD = "river"  # in every claim's statement and quote


def letter_of(i):
    return i % len(LETTERS)


def claim_quote(i):
    return f"point {i:03d} holds: the {SEARCH_WORD} rose at place {i:03d}"


def response_quote(i):
    return f"the reply on point {i:03d} was recorded"


def unverified_quote(i):
    return f"point {i:03d} could not be independently verified"


def evidence_quote(i):
    return f"a record bears on point {i:03d}"


def action_quote(letter, position):
    return f"asked for measure {letter}-{position} to be taken"


LETTER_RESPONSE_QUOTE = "No party has answered the letter as a whole."


def letter_text(number):
    """A report on letter `number`: every quote its claims, responses and actions can use, once each."""
    parts = [f"A report on letter {number}.", LETTER_RESPONSE_QUOTE]
    parts += [f"The sender {action_quote(number, position)}." for position in (1, 2)]
    for i in range(CAPACITY):
        if letter_of(i) == number:
            parts.append(
                f"The sender wrote that {claim_quote(i)}. Later {response_quote(i)}. Also, "
                f"{unverified_quote(i)}."
            )
    return " ".join(parts)


def evidence_text():
    return " ".join(f"In the archives, {evidence_quote(i)}." for i in range(CAPACITY))


def anchored(source, quote):
    assert source.text.count(quote) == 1, (source.slug, quote)
    return quote


@dataclass
class Archive:
    editor: object
    actors: dict
    letters: list
    sources: list
    evidence_source: Source
    recurring: RecurringAssertion = None
    claims: list = field(default_factory=list)
    to_dispute: list = field(default_factory=list)  # claim pks waiting for set_status

    @property
    def statuses(self):
        return {status.slug: status for status in VerificationStatus.objects.all()}


def build_base():
    """Actors, sources and letters with recipients, requested actions and whole-letter responses."""
    # No password: hashing one would cost more than building the whole archive.
    editor = get_user_model().objects.create(
        username="budget-editor", first_name="Ada", last_name="Editor", is_staff=True
    )
    actors = {}
    for key, name, kind, parent, identifiers in ACTORS:
        actors[key] = Actor.objects.create(
            name=name,
            slug=key,
            kind=kind,
            parent=actors[parent] if parent else None,
            description=f"{name}, as the reports name it.",
        )
        for scheme, value in identifiers:
            ActorIdentifier.objects.create(actor=actors[key], scheme=scheme, value=value)
    evidence_source = Source.objects.create(
        title="Independent archive",
        slug="independent-archive",
        kind=Source.Kind.OTHER,
        text=evidence_text(),
    )
    letters, sources = [], []
    for number, (slug, date, sender, signatory, recipients) in enumerate(LETTERS):
        source = Source.objects.create(
            title=f"News report on letter {number}",
            slug=f"report-{number}",
            publisher="A newspaper",
            url=f"https://news.example/{number}",
            text=letter_text(number),
        )
        letter = Letter.objects.create(
            title=f"Letter {number} to the United Nations",
            slug=slug,
            date_edtf=date,
            date_note="As the report gives it.",
            sender=actors[sender],
            signatory=actors[signatory] if signatory else None,
            summary=f"According to the report, letter {number} asks for measures about the {SEARCH_WORD}.",
        )
        letter.sources.add(source)
        for actor, role in recipients:
            Recipient.objects.create(
                letter=letter, actor=actors[actor], role=role, note="via its mission"
            )
        for position in (1, 2):
            action = RequestedAction.objects.create(
                letter=letter,
                position=position,
                summary=f"measure {number}-{position}",
                source=source,
                quote_exact=anchored(source, action_quote(number, position)),
                outcome=RequestedAction.Outcome.NO_PUBLIC_RESPONSE,
            )
            action.addressees.add(*(actors[actor] for actor, role in recipients if role == "to"))
        Response.objects.create(
            letter=letter,
            actor=actors["un"],
            stance=Response.Stance.NO_PUBLIC_RESPONSE,
            statement="The UN has not answered publicly.",
            source=source,
            quote_exact=anchored(source, LETTER_RESPONSE_QUOTE),
        )
        letters.append(letter)
        sources.append(source)
    # A party that also answered a letter as a whole (its actor page lists both kinds).
    Response.objects.create(
        letter=letters[1],
        actor=actors["state-a"],
        stance=Response.Stance.REJECTS,
        source=sources[1],
        quote_exact=anchored(sources[1], "A report on letter 1."),
    )
    recurring = RecurringAssertion.objects.create(
        slug="the-rise", title="the water rose", note="Said of every even-numbered place."
    )
    return Archive(editor, actors, letters, sources, evidence_source, recurring)


def add_claims(archive, start, stop):
    """Claims start…stop-1, spread over the letters, with their responses and evidence."""
    statuses = archive.statuses
    for i in range(start, stop):
        number = letter_of(i)
        letter, source = archive.letters[number], archive.sources[number]
        outcome, stance, relation = PATTERNS[i % len(PATTERNS)]
        initial = "unverified" if outcome.startswith("disputed") else outcome
        kind = KINDS[i % len(KINDS)]
        if statuses[initial].basis == VerificationStatus.Basis.CLASSIFICATION:
            kind = Claim.Kind.not_checkable()[i % 2]
        claim = Claim(
            letter=letter,
            key=f"claim-{i:03d}",
            position=i // len(LETTERS) + 1,
            statement=f"the {SEARCH_WORD} rose at place {i:03d}.",
            kind=kind,
            status=statuses[initial],
            status_note=f"Note on claim {i}.",
            source=source,
            quote_exact=anchored(source, claim_quote(i)),
        )
        if initial == "unverified":
            claim.status_source, claim.status_quote = source, anchored(source, unverified_quote(i))
        if statuses[initial].basis == VerificationStatus.Basis.EDITORS:
            claim.reviewed_by = archive.editor
        with transaction.atomic():  # the evidence an assessment rests on is checked at commit
            claim.save()
            add_responses_and_evidence(archive, claim, i, stance, relation)
        parties = claim.parties
        if outcome == "disputed-via-save":
            claim.status = statuses["disputed"]
            claim._change_reason = f"{parties[0]} denied it."
            claim.save()
        elif outcome == "disputed-via-set-status":
            archive.to_dispute.append(claim.pk)
        if i % 2 == 0:  # claims of every letter make it: the recurring pages list them all
            Recurrence.objects.create(
                claim=claim,
                assertion=archive.recurring,
                reason=f"Place {i:03d} is said to see the same rise.",
                confirmed_by=archive.editor,
            )
        archive.claims.append(claim)


def add_responses_and_evidence(archive, claim, i, stance, relation):
    parties = [
        archive.actors[PARTIES[i % len(PARTIES)]],
        archive.actors[PARTIES[(i + 1) % len(PARTIES)]],
    ]
    claim.about.add(*parties)
    claim.parties = parties
    if stance:
        Response.objects.create(
            claim=claim,
            actor=parties[0],
            stance=stance,
            statement=f"{parties[0]} {stance} it.",
            source=claim.source,
            quote_exact=anchored(claim.source, response_quote(i)),
        )
    if relation:
        Evidence.objects.create(
            claim=claim,
            relation=relation,
            note="From the independent archive.",
            source=archive.evidence_source,
            quote_exact=anchored(archive.evidence_source, evidence_quote(i)),
        )


def finish(archive):
    """The editors' latest work: disputing the claims a party rejected, checking the recipients.

    It comes last so that the newest history rows are alike at every size. The home and
    change pages look up the actors and the letters their newest rows name, one query
    each, and only when some row names one (claims.changes.recent_changes): a legitimate
    difference of a constant. Without this step, after 60 claims the newest rows are all
    claims, responses and evidence, and the lookups vanish: the home page drops from 14
    queries to 12, the change pages from 11 to 10 (measured). Ending with recipients,
    which name both an actor and a letter, keeps the counts comparable at every size.
    """
    set_status(
        Claim.objects.filter(pk__in=archive.to_dispute),
        archive.statuses["disputed"],
        "A party rejects the claim; its response is recorded.",
        archive.editor,
    )
    archive.to_dispute.clear()
    for recipient in Recipient.objects.order_by("pk"):
        recipient.note = "via its permanent mission"
        recipient._change_reason = "Checked against the report."
        recipient._history_user = archive.editor
        recipient.save()


def build_archive(n_claims):
    archive = build_base()
    add_claims(archive, 0, n_claims)
    finish(archive)
    return archive


def grow(archive, n_claims):
    """The same archive with claims added up to n_claims, and the editors' latest work again."""
    add_claims(archive, len(archive.claims), n_claims)
    finish(archive)
