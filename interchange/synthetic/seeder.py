"""The Seeder: a synthetic archive built and bulk-inserted a batch of letters at a time."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from archive.anchoring import context
from archive.dates import MONTHS, edtf_bounds
from archive.models import Actor, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus
from core.page_cache import bump

from .words import (
    ASKS,
    BODIES,
    FAMILY,
    GIVEN,
    NOUNS,
    PLACES,
    PROJECTS,
    STATUS_WEIGHTS,
    SUBJECTS,
    VERBS,
)

Basis = VerificationStatus.Basis

SLUG_PREFIX = "synthetic-"
REASON = "Synthetic archive"
LETTER_BATCH = 500  # letters (and their claims) built and inserted at a time
BUSY_LETTER_CLAIMS = 50  # the first letter has exactly this many claims (a benchmark page)

# The one account whose own assessments the synthetic claims are; it can never sign in.
EDITOR = "synthetic-editor"


@dataclass
class Counts:
    actors: int = 0
    sources: int = 0
    letters: int = 0
    recipients: int = 0
    actions: int = 0
    claims: int = 0
    responses: int = 0
    evidence: int = 0
    history: int = 0

    def summary(self):
        return ", ".join(f"{value:,} {name}" for name, value in vars(self).items())


@dataclass
class Report:
    """A news report being written: text grows, and each quote remembers where it sits."""

    title: str
    parts: list = field(default_factory=list)
    length: int = 0

    def say(self, sentence, quote=None):
        """Append a sentence; return (start, end) of `quote` within it, if given."""
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        start = self.length + sentence.index(quote) if quote else None
        self.parts.append(sentence)
        self.length += len(sentence)
        return (start, start + len(quote)) if quote else None

    @property
    def text(self):
        return "".join(self.parts)


def anchored(obj, text, quote, span):
    """Fill a Quotation's selector fields as `Quotation.anchor` would."""
    start, end = span
    assert text[start:end] == quote
    obj.quote_exact, obj.quote_start, obj.quote_end, obj.is_orphan = quote, start, end, False
    obj.quote_prefix, obj.quote_suffix = context(text, start, end)
    return obj


def at(day, rng):
    """A moment on `day`, as history dates are."""
    return datetime.combine(day, time(rng.randrange(8, 20), rng.randrange(60)), tzinfo=UTC)


def claims_per_letter(n_letters, n_claims, rng):
    """How many claims each letter gets: the first exactly BUSY_LETTER_CLAIMS (if there are enough), the
    rest spread unevenly, every letter at least one when there are claims enough."""
    counts = [0] * n_letters
    remaining = n_claims
    if n_letters and n_claims >= BUSY_LETTER_CLAIMS + n_letters - 1:
        counts[0] = BUSY_LETTER_CLAIMS
        remaining -= BUSY_LETTER_CLAIMS
        others = list(range(1, n_letters))
    else:
        others = list(range(n_letters))
    for index in others[:remaining]:
        counts[index] = 1
    remaining -= min(remaining, len(others))
    # The rest at random, capped so no other letter outgrows the busy one.
    if remaining > len(others) * (BUSY_LETTER_CLAIMS - 2):
        raise ValueError(
            f"{n_claims:,} claims do not fit in {n_letters:,} letters; ask for more letters."
        )
    while remaining:
        index = rng.choice(others)
        if counts[index] < BUSY_LETTER_CLAIMS - 1:
            counts[index] += 1
            remaining -= 1
    return counts


class Seeder:
    def __init__(self, n_letters, n_claims, seed=1, progress=None):
        self.n_letters, self.n_claims = n_letters, n_claims
        self.rng = random.Random(seed)
        self.progress = progress or (lambda message: None)
        self.counts = Counts()
        self.statuses = {status.slug: status for status in VerificationStatus.objects.all()}
        missing = set(STATUS_WEIGHTS) - set(self.statuses)
        if missing:
            raise ValueError(
                f"The status vocabulary lacks {', '.join(sorted(missing))}; run migrate first."
            )
        self.today = date.today()
        # The editors' own assessments need a reviewing editor: one synthetic account, never able to sign in.
        self.editor, _ = get_user_model().objects.get_or_create(
            username=EDITOR,
            defaults={
                "first_name": "Synthetic",
                "last_name": "Editor",
                "password": "!",
                "is_staff": True,
            },
        )

    # Actors: a few states and bodies, many people; popularity follows a Zipf law.
    def make_actors(self):
        n_actors = max(12, min(5000, self.n_letters // 20 + 10))
        actors = []
        for index in range(n_actors):
            kind = self.rng.choices(
                [
                    Actor.Kind.STATE,
                    Actor.Kind.OFFICE,
                    Actor.Kind.ORGANISATION,
                    Actor.Kind.PERSON,
                    Actor.Kind.GROUP,
                ],
                [1, 3, 3, 6, 2],
            )[0]
            place = self.rng.choice(PLACES)
            if kind == Actor.Kind.STATE:
                name = f"State of {place} {index}"
            elif kind == Actor.Kind.PERSON:
                name = f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)} ({index})"
            else:
                name = (
                    self.rng.choice(BODIES).format(self.rng.choice(SUBJECTS), place) + f" ({index})"
                )
            actors.append(
                Actor(
                    name=name,
                    slug=f"{SLUG_PREFIX}{slugify(name)[:70]}-{index}",
                    kind=kind,
                    description=f"A synthetic {Actor.Kind(kind).label.lower()} for trying Missive at scale.",
                )
            )
        self.actors = self.bulk(actors, Actor)
        self.counts.actors = len(self.actors)
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.actors)))
        )

    def pick_actors(self, k):
        chosen = []
        while len(chosen) < min(k, len(self.actors)):
            actor = self.rng.choices(self.actors, cum_weights=self.cum_weights)[0]
            if actor not in chosen:
                chosen.append(actor)
        return chosen

    # Evidence comes from official statements, a pool of them shared by all letters.
    def make_statements(self):
        n_statements = max(3, self.n_letters // 50)
        self.statement_passages = []
        sources = []
        for index in range(n_statements):
            report = Report(f"Official statement {index} on the {self.rng.choice(PROJECTS)}")
            passages = []
            for line in range(20):
                passage = (
                    f"Records for {self.rng.choice(PLACES)} show {self.rng.randrange(5, 900)} "
                    f"{self.rng.choice(NOUNS)} in year {2000 + self.rng.randrange(27)} (entry {line})"
                )
                passages.append((passage, report.say(passage + ".", passage)))
            sources.append(
                Source(
                    title=report.title,
                    slug=f"{SLUG_PREFIX}statement-{index}",
                    kind=Source.Kind.STATEMENT,
                    publisher=f"Office for Records in {self.rng.choice(PLACES)}",
                    text=report.text,
                    language="en",  # so that search stems it as English, as a real report's would be
                    checksum=Source.checksum_of(report.text),
                )
            )
            self.statement_passages.append(passages)
        self.statement_sources = self.bulk(sources, Source)
        self.counts.sources += len(sources)

    def run(self):
        with transaction.atomic():
            self.make_actors()
            self.make_statements()
            per_letter = claims_per_letter(self.n_letters, self.n_claims, self.rng)
            for start in range(0, self.n_letters, LETTER_BATCH):
                self.make_letters(start, per_letter[start : start + LETTER_BATCH])
                self.progress(
                    f"{min(start + LETTER_BATCH, self.n_letters):,} of {self.n_letters:,} letters"
                )
            bump()  # bulk inserts send no signals
        return self.counts

    def make_letters(self, first, claim_counts):
        rng = self.rng
        drafts = []
        for offset, n_claims in enumerate(claim_counts):
            number = first + offset
            sent = date(2000, 1, 1) + timedelta(days=rng.randrange(9600))
            edtf = rng.choices(
                [
                    sent.isoformat(),
                    f"{sent.isoformat()}?",
                    f"{sent:%Y-%m}",
                    f"{sent.year}?-{sent:%m-%d}",
                ],
                [80, 8, 10, 2],
            )[0]
            sender = self.pick_actors(1)[0]
            recipients = [a for a in self.pick_actors(rng.randint(1, 4)) if a != sender] or [
                self.actors[-1]
            ]
            project, place = rng.choice(PROJECTS), rng.choice(PLACES)
            drafts.append(
                {
                    "number": number,
                    "sent": sent,
                    "edtf": edtf,
                    "sender": sender,
                    "recipients": recipients,
                    "project": project,
                    "place": place,
                    "n_claims": n_claims,
                    "report": Report(f"{sender.name} writes about the {project} at {place}"),
                }
            )
        # One news report per letter: its text holds every quote of the letter's rows.
        for draft in drafts:
            report, sender = draft["report"], draft["sender"]
            report.say(
                f"{sender.name} has sent a letter about the {draft['project']} at {draft['place']}."
            )
            draft["actions"] = []
            for position in range(1, rng.randint(1, 3) + 1):
                quote = f"asked for {rng.choice(ASKS)} the {draft['project']} (request {position})"
                draft["actions"].append(
                    (position, quote, report.say(f"The letter {quote}.", quote))
                )
            draft["claims"] = []
            for position in range(1, draft["n_claims"] + 1):
                party = self.pick_actors(1)[0]
                count, verb, noun = rng.randrange(3, 5000), rng.choice(VERBS), rng.choice(NOUNS)
                month, year = rng.choice(MONTHS), draft["sent"].year - rng.randrange(3)
                statement = (
                    f"{party.name} {verb} {count} {noun} near {draft['place']} in {month} {year} "
                    f"because of the {draft['project']}"
                )
                quote = f"{party.name} {verb} {count} {noun} in {month} {year} (point {position})"
                span = report.say(f"The letter says that {quote}.", quote)
                status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
                claim = {
                    "position": position,
                    "statement": statement,
                    "quote": quote,
                    "span": span,
                    "party": party,
                    "status": status,
                    "response": None,
                    "words": None,
                }
                if status == "unverified":  # the report's own caveat is the status's basis
                    words = f"Point {position} could not be independently verified"
                    claim["words"] = (words, report.say(f"{words}.", words))
                if status == "disputed" or rng.random() < 0.15:
                    stance = (
                        rng.choice(Response.Stance.opposing())
                        if status == "disputed"
                        else rng.choice(
                            [
                                Response.Stance.ACKNOWLEDGES,
                                Response.Stance.CONFIRMS,
                                Response.Stance.NO_PUBLIC_RESPONSE,
                            ]
                        )
                    )
                    response_quote = f"{party.name} answered point {position} ({stance})"
                    claim["response"] = (
                        stance,
                        response_quote,
                        report.say(f"{response_quote}.", response_quote),
                    )
                draft["claims"].append(claim)
            if rng.random() < 0.05:
                quote = f"{draft['recipients'][0].name} has not answered the letter"
                draft["letter_response"] = (quote, report.say(f"{quote}.", quote))

        sources = self.bulk(
            [
                Source(
                    title=f"News report on letter {draft['number']}: {draft['report'].title}",
                    slug=f"{SLUG_PREFIX}report-{draft['number']}",
                    publisher="Synthetic Wire",
                    url=f"https://example.org/synthetic/{draft['number']}",
                    published_on=draft["sent"] + timedelta(days=2),
                    text=draft["report"].text,
                    language="en",
                    checksum=Source.checksum_of(draft["report"].text),
                )
                for draft in drafts
            ],
            Source,
        )
        self.counts.sources += len(sources)
        letters = []
        for draft in drafts:
            earliest, latest = edtf_bounds(draft["edtf"])
            letter = Letter(
                title=f"Letter {draft['number']}: {draft['report'].title}",
                slug=f"{SLUG_PREFIX}letter-{draft['number']}",
                date_edtf=draft["edtf"],
                date_earliest=earliest,
                date_latest=latest,
                sender=draft["sender"],
                signatory=self.pick_actors(1)[0] if rng.random() < 0.3 else None,
                summary=(
                    f"{draft['sender'].name} writes about the {draft['project']} at {draft['place']}, "
                    f"making {draft['n_claims']} claim(s) and {len(draft['actions'])} request(s)."
                ),
            )
            letter._history_date = at(draft["sent"] + timedelta(days=3), rng)
            letters.append(letter)
        letters = self.bulk(letters, Letter)
        self.counts.letters += len(letters)
        letter_versions = self.history_ids(Letter, letters)
        links = Letter.sources.through.objects.bulk_create(
            [
                Letter.sources.through(letter_id=letter.pk, source_id=source.pk)
                for letter, source in zip(letters, sources, strict=False)
            ]
        )
        self.snapshot(
            "archive",
            "HistoricalLetter_sources",
            [
                {
                    "id": link.pk,
                    "history_id": letter_versions[link.letter_id],
                    "letter_id": link.letter_id,
                    "source_id": link.source_id,
                }
                for link in links
            ],
        )

        recipients, actions, action_addressees = [], [], []
        claims, claim_parties, responses, evidence = [], [], [], []
        for draft, letter, source in zip(drafts, letters, sources, strict=False):
            text, created = draft["report"].text, letter._history_date
            for index, actor in enumerate(draft["recipients"]):
                recipient = Recipient(letter=letter, actor=actor, role="to" if index < 2 else "cc")
                recipient._history_date = created
                recipients.append(recipient)
            for position, quote, span in draft["actions"]:
                action = anchored(
                    RequestedAction(
                        letter=letter,
                        source=source,
                        position=position,
                        summary=f"{quote.removeprefix('asked for ').rsplit(' (', 1)[0]}",
                        outcome=rng.choice(list(RequestedAction.Outcome)),
                    ),
                    text,
                    quote,
                    span,
                )
                action._history_date = created
                actions.append(action)
                action_addressees.append(draft["recipients"][0])
            for item in draft["claims"]:
                reviewed = created + timedelta(days=rng.randrange(1, 400))
                status = self.statuses[item["status"]]
                kinds = (
                    Claim.Kind.not_checkable()
                    if status.basis == Basis.CLASSIFICATION
                    else list(Claim.Kind)
                )
                claim = anchored(
                    Claim(
                        letter=letter,
                        source=source,
                        key=f"claim-{item['position']}",
                        position=item["position"],
                        statement=item["statement"],
                        kind=rng.choice(kinds),
                        status=status,
                        status_changed_at=reviewed,
                        status_note=f"Reviewed against the official records ({item['status']}).",
                        status_source=source if item["words"] else None,
                        status_quote=item["words"][0] if item["words"] else "",
                        reviewed_by=self.editor if status.basis == Basis.EDITORS else None,
                    ),
                    text,
                    item["quote"],
                    item["span"],
                )
                claim.created = created
                claims.append(claim)
                claim_parties.append(item["party"])
                if item["response"]:
                    stance, quote, span = item["response"]
                    response = anchored(
                        Response(
                            claim=claim,
                            actor=item["party"],
                            stance=stance,
                            source=source,
                            statement=f"{item['party'].name} {Response.Stance(stance).label.lower()} the claim.",
                            responded_on=(reviewed - timedelta(days=1)).date(),
                        ),
                        text,
                        quote,
                        span,
                    )
                    response._history_date = created + timedelta(hours=1)
                    responses.append(response)
                assessed = (
                    status.basis == Basis.EDITORS
                )  # the editors' own assessment rests on evidence
                if assessed or rng.random() < 0.2:
                    pool = rng.randrange(len(self.statement_sources))
                    passage, span = rng.choice(self.statement_passages[pool])
                    statement_source = self.statement_sources[pool]
                    relation = (
                        (
                            Evidence.Relation.SUPPORTS
                            if item["status"] == "corroborated"
                            else Evidence.Relation.CONTRADICTS
                        )
                        if assessed
                        else rng.choice(list(Evidence.Relation))
                    )
                    item = anchored(
                        Evidence(
                            claim=claim,
                            source=statement_source,
                            relation=relation,
                            note="From the official records.",
                        ),
                        statement_source.text,
                        passage,
                        span,
                    )
                    item._history_date = reviewed
                    evidence.append(item)
            if "letter_response" in draft:
                quote, span = draft["letter_response"]
                response = anchored(
                    Response(
                        letter=letter,
                        actor=draft["recipients"][0],
                        stance=Response.Stance.NO_PUBLIC_RESPONSE,
                        source=source,
                        statement="No public response has been reported.",
                    ),
                    text,
                    quote,
                    span,
                )
                response._history_date = created
                responses.append(response)

        self.counts.recipients += len(self.bulk(recipients, Recipient))
        actions = self.bulk(actions, RequestedAction)
        self.counts.actions += len(actions)
        self.link(
            RequestedAction,
            "addressees",
            actions,
            [[actor] for actor in action_addressees],
            "archive",
            "HistoricalRequestedAction_addressees",
            "requestedaction_id",
        )

        claims = Claim.objects.bulk_create(claims, batch_size=2000)
        self.counts.claims += len(claims)
        self.link(
            Claim,
            "about",
            claims,
            [[party] for party in claim_parties],
            "claims",
            "HistoricalClaim_about",
            "claim_id",
            self.claim_history(claims),
        )
        for response in responses:
            response.claim_id = response.claim.pk if response.claim else None
        self.counts.responses += len(self.bulk(responses, Response))
        for item in evidence:
            item.claim_id = item.claim.pk
        self.counts.evidence += len(self.bulk(evidence, Evidence))

    def claim_history(self, claims):
        """Each claim's versions as an editor would leave them: entered "unassessed", then reviewed with a reason."""
        unassessed = self.statuses["unassessed"]
        basis = (
            "status",
            "status_changed_at",
            "status_note",
            "status_source",
            "status_quote",
            "reviewed_by",
        )
        final = {claim.pk: [getattr(claim, name) for name in basis] for claim in claims}
        for claim in claims:
            for name, value in zip(
                basis, (unassessed, claim.created, "", None, "", None), strict=False
            ):
                setattr(claim, name, value)
            claim._history_date = claim.created
        versions = Claim.history.bulk_history_create(
            claims, default_change_reason=REASON, batch_size=2000
        )
        reviewed = []
        for claim in claims:
            for name, value in zip(basis, final[claim.pk], strict=False):
                setattr(claim, name, value)
            if claim.status != unassessed:
                claim._history_date = claim.status_changed_at
                claim._change_reason = f"Reviewed: {claim.status.label.lower()}"
                reviewed.append(claim)
        versions += Claim.history.bulk_history_create(reviewed, update=True, batch_size=2000)
        self.counts.history += len(versions)
        return versions

    # Helpers: bulk inserts with a history row each, and many-to-many links with their snapshots.
    def bulk(self, objects, model):
        created = bulk_create_with_history(
            objects, model, batch_size=2000, default_change_reason=REASON
        )
        self.counts.history += len(created)
        return created

    def history_ids(self, model, objects):
        return dict(
            model.history.filter(id__in=[obj.pk for obj in objects]).values_list("id", "history_id")
        )

    def link(
        self, model, field_name, objects, targets, app_label, snapshot_name, column, versions=None
    ):
        """Many-to-many links to actors, copied into every version of each object (as a save does)."""
        through = getattr(model, field_name).through
        links = through.objects.bulk_create(
            [
                through(**{column: obj.pk, "actor_id": actor.pk})
                for obj, actors in zip(objects, targets, strict=False)
                for actor in actors
            ],
            batch_size=5000,
        )
        if versions is None:
            versions = model.history.filter(id__in=[obj.pk for obj in objects]).only(
                "history_id", "id"
            )
        versions_of = {}
        for version in versions:
            versions_of.setdefault(version.id, []).append(version.history_id)
        self.snapshot(
            app_label,
            snapshot_name,
            [
                {
                    "id": link.pk,
                    "history_id": history_id,
                    column: getattr(link, column),
                    "actor_id": link.actor_id,
                }
                for link in links
                for history_id in versions_of[getattr(link, column)]
            ],
        )

    @staticmethod
    def snapshot(app_label, model_name, rows):
        model = apps.get_model(app_label, model_name)
        model.objects.bulk_create([model(**row) for row in rows], batch_size=5000)
