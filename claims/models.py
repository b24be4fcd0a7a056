"""What the letters assert and how each assertion stands.

Imports flow one way: claims → archive, never back.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from archive.anchoring import normalised
from archive.models import (
    Actor,
    Letter,
    Quotation,
    Source,
    any_drafts,
    check_source_belongs_to_letter,
    count_published,
    draft_letters,
    search_configurations,
)
from core import search
from core.links import detail_url


class VerificationStatus(models.Model):
    """One status of the public vocabulary, and whose assessment it records (its basis).

    Kept apart from what the parties say (a Response). A status in use cannot be
    deleted (claims protect it), nor can its basis change.
    """

    class Basis(models.TextChoices):
        # Whose the status is; /statuses/ says what each needs.
        NONE = "none", "Nobody's yet"
        SOURCE = "source", "A source's report"
        RESPONSE = "response", "A party's response"
        EDITORS = "editors", "The editors' own assessment"
        CLASSIFICATION = "classification", "The editors' classification"

    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100, unique=True)
    description = models.TextField(
        help_text="What the status records, shown on the public vocabulary page."
    )
    basis = models.CharField(
        max_length=16,
        choices=Basis.choices,
        default=Basis.NONE,
        help_text="Whose the status is, and so what a claim must have to take it. Cannot change while in use.",
    )
    rating_value = models.PositiveSmallIntegerField(
        "ClaimReview rating",
        null=True,
        blank=True,
        help_text="ratingValue on a 1 (worst) to 5 (best) scale, only for the editors' own assessments and "
        "only if the editors adopt such a scale; leave empty otherwise (ClaimReview then carries the label alone).",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists and charts.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "verification statuses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating_value__isnull=True)
                | models.Q(basis="editors", rating_value__gte=1, rating_value__lte=5),
                name="claims_status_rating_editors_1_to_5",
                violation_error_message="A ClaimReview rating is between 1 and 5, and only for the editors' "
                "own assessments.",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("claims:status-list") + f"#{self.slug}"


# How the archive words a claim: always the sender's assertion, never the archive's own. Spelt
# once: `attribute` (Claim.attributed_statement, the change record, exports) and, escaped for
# pages, the `{% attributed %}` template tag.
ATTRIBUTION = "The letter from {sender} claims that {statement}"


def attribute(sender, statement):
    """The statement as the sender's assertion, in plain text."""
    return ATTRIBUTION.format(sender=sender, statement=statement)


def attribute_to_letters(senders, letters, statement):
    """A recurring assertion as what its letters claim: "2 letters from X claim that …"."""
    if letters == 1:
        return attribute(senders[0], statement)
    names = senders[0] if len(senders) == 1 else f"{', '.join(senders[:-1])} and {senders[-1]}"
    return f"{letters} letters from {names} claim that {statement}"


SEARCH_FIELDS = [("statement", "A"), ("quote_exact", "B")]


def draft_claims():
    """The keys of drafts' claims, as a subquery (see archive.models.draft_letters)."""
    return Claim.objects.filter(letter_id__in=draft_letters()).values("pk")


UNSHOWN_OF_BASIS = (
    "status_source__text",
    "status_source__search_document",
    "reviewed_by__password",
)


def unshown_of_basis(path=""):
    """What a status's basis never shows of its source and reviewing editor (claims.basis names
    them): the source's whole text and the editor's password hash, left unread where a claim
    is loaded with them. `path` leads from the rows loaded to the claim."""
    return [f"{path}{field}" for field in UNSHOWN_OF_BASIS]


class ClaimQuerySet(models.QuerySet):
    # The claim list's order: the newest letters first, each letter's claims in its own order.
    # Read from the letters' date index; keyset paging needs it to end in the primary key.
    LIST_ORDER = ("-letter__date_earliest", "letter_id", "position", "pk")

    def in_list_order(self):
        return self.order_by(*self.LIST_ORDER)

    def published(self):
        """The claims of published letters: what the public sees (see LetterQuerySet.published)."""
        return self.exclude(letter_id__in=draft_letters())

    def in_letter(self, letter):
        """The letter's claims in the letter's own order."""
        return self.filter(letter=letter).order_by("position", "pk")

    def with_basis(self):
        """With what `status_with_basis` shows: the status, its source or reviewing editor, and the
        responses with their parties (a dispute's basis)."""
        return (
            self.select_related("status", "status_source", "reviewed_by")
            .defer(*unshown_of_basis())
            .prefetch_related(
                models.Prefetch(
                    "responses", queryset=Response.objects.select_related("actor").order_by("pk")
                )
            )
        )

    def for_list(self):
        """With what a claim in a list shows: its letter and sender, and its status with its basis."""
        return self.select_related("letter__sender").with_basis()

    def about(self, actor):
        """Claims about the actor: one EXISTS on the link table, so no claim comes twice."""
        links = self.model.about.through.objects.filter(claim=models.OuterRef("pk"), actor=actor)
        return self.filter(models.Exists(links))

    def count_about(self, actor):
        """How many claims in the archive are about the actor, counted on the link table alone (a
        join with the claims is slow for a busy actor). This queryset's filters do not apply; drafts'
        claims are never counted."""
        links = self.model.about.through.objects.filter(actor=actor)
        return count_published(links, links.exclude(claim_id__in=draft_claims()))

    def responded_to_by(self, actor=None, stances=None):
        """Claims with a response by the actor (any party if None) taking one of the stances (any if
        None). Party and stance describe the same response: one EXISTS, so no claim comes twice."""
        responses = Response.objects.filter(claim=models.OuterRef("pk"))
        if actor is not None:
            responses = responses.filter(actor=actor)
        if stances is not None:
            responses = responses.filter(stance__in=stances)
        return self.filter(models.Exists(responses))

    def related_to(self, claim, limit=10):
        """Claims in other letters about the same parties, shown as a list: those sharing most
        parties first, then the newest; at most `limit`. A list, not a queryset (two queries).

        Shares are counted only for the claims sharing two or more parties (on the link table);
        the rest come newest first off the letters' date index. Counting shares for every claim
        about a busy party was the slowest part of the page. Reads `claim.about.all()` (prefetch it).
        """
        about = [actor.pk for actor in claim.about.all()]
        if not about:
            return []
        others = self.exclude(letter_id=claim.letter_id).for_list()
        related = []
        if len(about) > 1:
            links = self.model.about.through.objects.filter(actor__in=about)
            sharing = (
                links.values("claim_id")
                .annotate(n=models.Count("pk"))
                .filter(n__gt=1)
                .values("claim_id")
            )
            related = list(
                others.filter(pk__in=sharing)
                .annotate(shared=models.Count("about", filter=models.Q(about__in=about)))
                .order_by("-shared", *self.LIST_ORDER)[:limit]
            )
        if len(related) < limit:
            # Every claim sharing two parties is listed already, so the rest share one: no duplicates.
            rest = others.filter(about__in=about).exclude(pk__in=[other.pk for other in related])
            related += rest.in_list_order()[: limit - len(related)]
        return related

    def counts_by_status(self):
        """{status id: number of claims}, on the claims table alone (an index-only scan), not a join."""
        return dict(self.order_by().values_list("status_id").annotate(n=models.Count("pk")))

    def published_counts_by_status(self):
        """counts_by_status of the published claims: all of them (the index-only scan) less the
        drafts' (a handful, off the drafts' partial index), not a filter over every claim."""
        counts = self.counts_by_status()
        if not any_drafts():
            return counts
        drafts = self.filter(letter_id__in=draft_letters()).counts_by_status()
        return {status: n - drafts.get(status, 0) for status, n in counts.items()}

    def search(self, query, headlines=True):
        """Statement and quote, ranked, with highlighted headlines on PostgreSQL (unless not wanted)."""
        return search.full_text_search(
            self,
            query,
            SEARCH_FIELDS,
            headline_fields=["statement", "quote_exact"] if headlines else (),
            stored="search_document",
            configurations=search_configurations,
        )


class Claim(Quotation):
    """One assertion of one letter, attributed to it, never adopted as true."""

    class Kind(models.TextChoices):
        FACTUAL = "factual", "Factual"
        HISTORICAL = "historical", "Historical"
        STATISTICAL = "statistical", "Statistical"
        CHARACTERISATION = "characterisation", "Characterisation"
        PREDICTION = "prediction", "Prediction or warning"

        @classmethod
        def not_checkable(cls):
            """The kinds no record could settle: the published classification rule (/statuses/)."""
            return [cls.CHARACTERISATION, cls.PREDICTION]

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="claims")
    key = models.SlugField(
        max_length=100,
        help_text="Short name, unique within the letter; the importer matches claims by it.",
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order within the letter.")
    statement = models.TextField(
        help_text="What the letter asserts, worded to follow “The letter claims that …”. Disputed terms in quotes."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    about = models.ManyToManyField(Actor, blank=True, related_name="claims_about")
    status = models.ForeignKey(VerificationStatus, on_delete=models.PROTECT, related_name="claims")
    status_note = models.TextField(blank=True, help_text="Why the claim has this status.")
    # The status's basis (VerificationStatus.Basis): the source's words for a status a source
    # reports; the reviewing editor for the editors' own assessment. Cleared on save otherwise.
    status_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name="source reporting the status",
        help_text="For a status a source reports: the source that says it.",
    )
    status_quote = models.TextField(
        "the source's words",
        blank=True,
        help_text="Copied exactly from that source, e.g. “These claims could not be independently verified.”",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="reviewed_claims",
        verbose_name="reviewing editor",
        help_text="For the editors' own assessment: the editor who set it.",
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # The weighted text-search vector of statement and quote, kept by a PostgreSQL trigger
    # (migration 0006); empty on SQLite, which searches the text itself.
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[about], excluded_fields=["search_document"])

    objects = ClaimQuerySet.as_manager()

    class Meta(Quotation.Meta):
        ordering = ["letter", "position", "id"]
        indexes = [
            models.Index(fields=["letter", "position"], name="claims_claim_letter_pos_idx"),
            models.Index(fields=["kind"], name="claims_claim_kind_idx"),
            # The "recently reviewed" and "status" sorts, each read in order from its index.
            models.Index(fields=["-status_changed_at", "id"], name="claims_claim_reviewed_idx"),
            models.Index(
                fields=["status", "-status_changed_at", "id"], name="claims_claim_status_order_idx"
            ),
        ]
        constraints = Quotation.Meta.constraints + [
            models.UniqueConstraint(
                fields=["letter", "key"], name="claims_claim_key_unique_in_letter"
            ),
            models.CheckConstraint(
                condition=models.Q(status_source__isnull=True, status_quote="")
                | (models.Q(status_source__isnull=False) & ~models.Q(status_quote="")),
                name="claims_claim_status_source_with_words",
                violation_error_message="A source reporting the status needs its words, and its words their source.",
            ),
        ]
        # Reviewers set statuses without the right to change what a claim says.
        permissions = [("set_claim_status", "Can set the verification status of claims")]

    def __str__(self):
        # Attributed even in the admin: the archive never states a claim in its own voice.
        text = self.attributed_statement
        return text if len(text) <= 100 else text[:99] + "…"

    def get_absolute_url(self):
        return detail_url("claims:claim-detail", self.pk)

    @property
    def attributed_statement(self):
        return attribute(self.letter.sender.name, self.statement)

    def clean(self):
        super().clean()
        check_source_belongs_to_letter(self)
        if self.status_id:
            problems = basis_problems(self.status, self)
            local = {}
            for part, field in CLAIM_BASIS_FIELDS.items():
                if part in problems:
                    local.setdefault(field, []).append(problems[part])
            if local:
                raise ValidationError(local)

    def take_status(self, status, *, source=None, words="", reviewer=None, at=None):
        """Give the claim `status` with the basis it uses, unsaved and unchecked: the one place the
        status fields are written (claims.statuses.change_status checks the basis too).

        Only the basis the status uses is kept: `source` and its `words` for a status a source
        reports, the reviewing editor for the editors' own. `at` is when the status was set; without
        it, saving a changed status dates it then (save, below).
        """
        Basis = VerificationStatus.Basis
        self.status = status
        self.status_source, self.status_quote = (
            (source, normalised(words)) if status.basis == Basis.SOURCE else (None, "")
        )
        self.reviewed_by = reviewer if status.basis == Basis.EDITORS else None
        if at is not None:
            self.status_changed_at = at

    def save(self, *args, **kwargs):
        if self.status_id:  # whatever set the fields, the row keeps only the basis its status uses
            self.take_status(
                self.status,
                source=self.status_source,
                words=self.status_quote,
                reviewer=self.reviewed_by,
            )
        if self.pk:  # a status that changed while its time did not was set now
            saved = (
                Claim.objects.filter(pk=self.pk)
                .values_list("status_id", "status_changed_at")
                .first()
            )
            if saved and saved[0] != self.status_id and saved[1] == self.status_changed_at:
                self.status_changed_at = timezone.now()
        super().save(*args, **kwargs)


class ResponseQuerySet(models.QuerySet):
    def published(self):
        """Responses to a published letter, or to one of its claims."""
        return self.exclude(letter_id__in=draft_letters()).exclude(claim_id__in=draft_claims())

    def given_by(self, actor):
        """The actor's responses, to claims and to whole letters, the latest recorded first."""
        return self.filter(actor=actor).order_by("-pk")

    def to_whole_letter(self, letter):
        """Responses to the letter as a whole (not to one of its claims), with parties and sources."""
        return self.filter(letter=letter).select_related("actor", "source").order_by("pk")

    def with_targets(self):
        """With what a list of responses shows: the claim answered (its letter, sender, and status
        with its basis) or the whole letter answered."""
        return (
            self.select_related(
                "claim__letter__sender",
                "claim__status",
                "claim__status_source",
                "claim__reviewed_by",
                "letter",
            )
            .defer(*unshown_of_basis("claim__"))
            .prefetch_related(
                models.Prefetch(
                    "claim__responses",
                    queryset=Response.objects.select_related("actor").order_by("pk"),
                )
            )
        )


class Response(Quotation):
    """A party's recorded position on one claim or on a whole letter, as a source reports it."""

    class Stance(models.TextChoices):
        REJECTS = "rejects", "Rejects"
        DENIES = "denies", "Denies"
        DISPUTES = "disputes", "Disputes"
        ACKNOWLEDGES = "acknowledges", "Acknowledges"
        CONFIRMS = "confirms", "Confirms"
        NO_PUBLIC_RESPONSE = "no-public-response", "No public response"

        @classmethod
        def opposing(cls):
            return [cls.REJECTS, cls.DENIES, cls.DISPUTES]

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="responses")
    stance = models.CharField(max_length=32, choices=Stance.choices)
    statement = models.TextField(
        "what they said",
        blank=True,
        help_text="The party's position as the source reports it, attributed.",
    )
    responded_on = models.DateField(
        null=True, blank=True, help_text="Leave empty when the source gives no date."
    )
    history = HistoricalRecords()

    objects = ResponseQuerySet.as_manager()

    class Meta(Quotation.Meta):
        ordering = ["id"]
        indexes = [models.Index(fields=["actor", "stance"], name="claims_response_actor_stance")]
        constraints = Quotation.Meta.constraints + [
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False, letter__isnull=True)
                | models.Q(claim__isnull=True, letter__isnull=False),
                name="claims_response_one_target",
                violation_error_message="A response is to one claim or to one whole letter, not both.",
            ),
            models.UniqueConstraint(
                fields=["claim", "actor"],
                condition=models.Q(claim__isnull=False),
                name="claims_response_once_per_claim",
                violation_error_message="This party already has a response on this claim; edit that one.",
            ),
            models.UniqueConstraint(
                fields=["letter", "actor"],
                condition=models.Q(letter__isnull=False),
                name="claims_response_once_per_letter",
                violation_error_message="This party already has a response on this letter; edit that one.",
            ),
        ]

    def __str__(self):
        return f"{self.actor}: {self.get_stance_display()}"

    def get_absolute_url(self):
        target = self.claim or self.letter
        return f"{target.get_absolute_url()}#response-{self.pk}"


class EvidenceQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(claim_id__in=draft_claims())


class Evidence(Quotation):
    """A source passage that supports, contradicts or gives context to a claim."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Gives context"

        @classmethod
        def assessing(cls):
            """The relations an editors' own assessment may rest on."""
            return [cls.SUPPORTS, cls.CONTRADICTS]

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta(Quotation.Meta):
        ordering = ["id"]
        verbose_name_plural = "evidence"
        constraints = Quotation.Meta.constraints + [
            models.UniqueConstraint(
                fields=["claim", "source", "relation"],
                name="claims_evidence_once_per_source_relation",
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()}: {self.source}"


class RecurringAssertionQuerySet(models.QuerySet):
    def published(self):
        """Assertions that a published claim makes: a draft's claims are nobody's to see yet."""
        made = Recurrence.objects.published().filter(assertion=models.OuterRef("pk"))
        return self.filter(models.Exists(made))


def validate_assertion_wording(value):
    """A recurring assertion's title reads after "… claim that …": words, not a number or a code."""
    if len(re.findall(r"[^\W\d_]+", value)) < 2:
        raise ValidationError(
            "Word the assertion so that it follows “… claim that …”, in at least two words, "
            "e.g. “Pakistan uses militant proxies”."
        )


class RecurringAssertion(models.Model):
    """One assertion made in more than one letter: the claims editors confirmed as the same.

    Its title is the editors' short wording of what the letters assert, shown attributed to
    their senders as a claim's statement is, never in the archive's own voice.
    """

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(
        max_length=300,
        help_text="What the letters assert, worded to follow “The letters claim that …”, as a "
        "claim's statement is, e.g. “Pakistan uses militant proxies”.",
    )
    note = models.TextField(
        blank=True, help_text="What a reader should know of it, e.g. how its wording varies."
    )
    history = HistoricalRecords()

    objects = RecurringAssertionQuerySet.as_manager()

    class Meta:
        ordering = ["title", "slug"]

    def __str__(self):
        # Quoted even in the admin: the editors' wording of what letters assert, not the archive's.
        return f"“{self.title}”"

    def clean(self):
        try:
            validate_assertion_wording(self.title)
        except ValidationError as error:
            raise ValidationError({"title": error.messages}) from None

    def get_absolute_url(self):
        return detail_url("claims:recurring-detail", self.slug)

    def attributed_title(self, claims):
        """The title as what `claims` (this assertion's, with their letters and senders) claim."""
        senders = list(dict.fromkeys(claim.letter.sender.name for claim in claims))
        letters = len({claim.letter_id for claim in claims})
        return attribute_to_letters(senders or ["no published letter"], letters, self.title)


class RecurrenceQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(claim_id__in=draft_claims())


class Recurrence(models.Model):
    """An editor's confirmation that a claim makes a recurring assertion: who, when and why."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="recurrence")
    assertion = models.ForeignKey(
        RecurringAssertion, on_delete=models.CASCADE, related_name="recurrences"
    )
    reason = models.TextField(
        help_text="Why this claim makes the assertion, e.g. “Like the UN letter, it accuses "
        "Pakistan of using militant proxies.”"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The editor who confirmed it; none for a confirmation an import brought.",
    )
    confirmed_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = RecurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["assertion", "id"]

    def __str__(self):
        return f"{self.claim} — {self.assertion}"


class RejectedMatch(models.Model):
    """An editor's decision that two claims of different letters do not make the same assertion,
    and why: the pair is not suggested again."""

    first = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(
        help_text="Why they differ, e.g. “One is about Iran's executions, the other Pakistan's.”"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "id"]
        verbose_name = "rejected match"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="claims_rejectedmatch_once"),
            # One row a pair: the lower claim id first.
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="claims_rejectedmatch_ordered",
            ),
        ]

    def __str__(self):
        return f"Claims {self.first_id} and {self.second_id}: not the same assertion"

    def clean(self):
        if self.first_id and self.second_id:
            if self.first_id == self.second_id:
                raise ValidationError("A claim is not matched with itself: choose two claims.")
            if self.first_id > self.second_id:  # one row a pair, the lower id first
                self.first, self.second = self.second, self.first


MIN_STATUS_WORDS = 3  # "These claims could not be independently verified." — not "the"

# The parts of a basis the claim's own fields hold; "responses" and "evidence" are its related rows.
# Each part of a basis the claim's own fields hold, and the form field that answers for it.
CLAIM_BASIS_FIELDS = {"status_quote": "status_quote", "kind": "status", "reviewed_by": "status"}


# The actors the claim filters offer, beside the claims they read: archive knows nothing of claims.


def actors_claims_are_about():
    """Actors a published claim is about."""
    links = Claim.about.through.objects.filter(actor=models.OuterRef("pk")).exclude(
        claim_id__in=draft_claims()
    )
    return Actor.objects.filter(models.Exists(links))


def actors_responding_to_claims():
    """Actors who responded to a published claim (not only to whole letters)."""
    responses = Response.objects.published().filter(
        actor=models.OuterRef("pk"), claim__isnull=False
    )
    return Actor.objects.filter(models.Exists(responses))


def basis_problems(status, claim, stances=None, evidence=None, letter_sources=None):
    """What the claim lacks for its status's basis, as {part: message}; empty when it has it.

    Parts: "status_quote" (a source's words), "kind", "reviewed_by", and the related rows
    "responses" and "evidence".

    The rule's one statement: Claim.clean, the admin's forms, the importer's check and
    claims.statuses.change_status (so the bulk action and the importer's writer) all call it, and
    the database triggers (migration 0011, built from the same stances, relations and kinds) are
    its backstop. `stances` and `evidence` (relations) are the claim's responses and evidence
    rows, and `letter_sources` the slugs of its letter's sources; each read from the database
    when not given.
    """
    Basis = VerificationStatus.Basis
    label = status.label
    if status.basis == Basis.SOURCE:
        source = claim.status_source  # may be an unsaved copy: the importer asks before it writes
        if source is None or not claim.status_quote.strip():
            return {
                "status_quote": f"“{label}” rests on what a source reports: choose the source and copy its words."
            }
        if letter_sources is None:
            letter_sources = (
                set(claim.letter.sources.values_list("slug", flat=True))
                if claim.letter_id
                else set()
            )
        if source.slug not in letter_sources:
            return {
                "status_quote": f"“{source}” is not one of this letter's sources: a status rests on what a "
                "source says of this letter."
            }
        if normalised(claim.status_quote) not in normalised(source.text):
            return {
                "status_quote": f"These words are not in the text of “{source}”. Copy them exactly."
            }
        if len(claim.status_quote.split()) < MIN_STATUS_WORDS:
            return {
                "status_quote": f"Quote at least {MIN_STATUS_WORDS} words: the whole sentence that says so, "
                "so a reader can see what the source says."
            }
    elif status.basis == Basis.RESPONSE:
        if stances is None:
            stances = claim.responses.values_list("stance", flat=True) if claim.pk else []
        if not set(stances) & set(Response.Stance.opposing()):
            return {
                "responses": f"“{label}” rests on a party's response that rejects, denies or disputes the claim. "
                "Add that response first."
            }
    elif status.basis == Basis.EDITORS:
        problems = {}
        if claim.reviewed_by is None:
            problems["reviewed_by"] = (
                f"“{label}” is the editors' own assessment: it needs the reviewing editor."
            )
        if evidence is None:
            evidence = claim.evidence.values_list("relation", flat=True) if claim.pk else []
        if not set(evidence) & set(Evidence.Relation.assessing()):
            problems["evidence"] = (
                f"“{label}” is the editors' own assessment: add at least one evidence row "
                "that supports or contradicts the claim."
            )
        return problems
    elif status.basis == Basis.CLASSIFICATION:
        if claim.kind not in Claim.Kind.not_checkable():
            kinds = " and ".join(
                str(Claim.Kind(kind).label).lower() for kind in Claim.Kind.not_checkable()
            )
            return {
                "kind": f"“{label}” is for the kinds no record could settle ({kinds}), by the rule on the "
                f"statuses page; this claim's kind is {claim.get_kind_display().lower()}."
            }
    return {}
