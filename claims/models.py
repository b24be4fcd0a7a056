"""What the letters assert and how each assertion stands.

Imports flow one way: claims → archive, never back.
"""
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from archive import search
from archive.models import Actor, Letter, Quotation, check_source_belongs_to_letter


class VerificationStatus(models.Model):
    """The editors' judgement of a claim: one public vocabulary that editors can extend.

    Kept apart from what the parties say (a Response). A status in use cannot be
    deleted (claims protect it).
    """

    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100, unique=True)
    description = models.TextField(help_text="What the status means, shown on the public vocabulary page.")
    rating_value = models.PositiveSmallIntegerField(
        "ClaimReview rating",
        null=True,
        blank=True,
        help_text="ratingValue on a 1 (worst) to 5 (best) scale for ClaimReview export; "
        "empty for statuses that are not verdicts.",
    )
    requires_dispute = models.BooleanField(
        default=False,
        help_text="A claim with this status must be backed by a party's response that rejects, denies or disputes it.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists and charts.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "verification statuses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating_value__isnull=True) | models.Q(rating_value__gte=1, rating_value__lte=5),
                name="claims_status_rating_1_to_5",
                violation_error_message="A ClaimReview rating is between 1 and 5.",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("claims:status-list") + f"#{self.slug}"


SEARCH_FIELDS = [("statement", "A"), ("quote_exact", "B")]


class ClaimQuerySet(models.QuerySet):
    def orphaned(self):
        return self.filter(is_orphan=True)

    def about(self, actor):
        return self.filter(about=actor)

    def disputed_by(self, actor):
        return self.filter(responses__actor=actor, responses__stance__in=Response.Stance.opposing()).distinct()

    def with_status(self, slug):
        return self.filter(status__slug=slug)

    def search(self, query, headlines=True):
        """Statement and quote, ranked, with highlighted headlines on PostgreSQL (unless not wanted)."""
        return search.full_text_search(
            self, query, SEARCH_FIELDS, headline_fields=["statement", "quote_exact"] if headlines else (),
            stored="search_document",
        )


class Claim(Quotation):
    """One assertion of one letter, attributed to it, never adopted as true."""

    class Kind(models.TextChoices):
        FACTUAL = "factual", "Factual"
        HISTORICAL = "historical", "Historical"
        STATISTICAL = "statistical", "Statistical"
        CHARACTERISATION = "characterisation", "Characterisation"
        PREDICTION = "prediction", "Prediction or warning"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="claims")
    key = models.SlugField(
        max_length=100, help_text="Short name, unique within the letter; the importer matches claims by it."
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order within the letter.")
    statement = models.TextField(
        help_text="What the letter asserts, worded to follow “The letter claims that …”. Disputed terms in quotes."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    about = models.ManyToManyField(Actor, blank=True, related_name="claims_about")
    status = models.ForeignKey(VerificationStatus, on_delete=models.PROTECT, related_name="claims")
    status_note = models.TextField(blank=True, help_text="Why the claim has this status.")
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
            models.Index(fields=["status", "-status_changed_at", "id"], name="claims_claim_status_order_idx"),
        ]
        constraints = Quotation.Meta.constraints + [
            models.UniqueConstraint(fields=["letter", "key"], name="claims_claim_key_unique_in_letter"),
        ]
        # Reviewers set statuses without the right to change what a claim says.
        permissions = [("set_claim_status", "Can set the verification status of claims")]

    def __str__(self):
        # Attributed even in the admin: the archive never states a claim in its own voice.
        text = self.attributed_statement
        return text if len(text) <= 100 else text[:99] + "…"

    def get_absolute_url(self):
        return reverse("claims:claim-detail", args=[self.pk])

    @property
    def attributed_statement(self):
        return f"The letter claims that {self.statement}"

    def clean(self):
        super().clean()
        check_source_belongs_to_letter(self)

    def save(self, *args, **kwargs):
        if self.pk:
            previous = Claim.objects.filter(pk=self.pk).values_list("status_id", flat=True).first()
            # A restore from an export gives the time itself (the importer says so); any other change is now.
            if previous is not None and previous != self.status_id and not getattr(self, "restoring_status_time", False):
                self.status_changed_at = timezone.now()
        super().save(*args, **kwargs)


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

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="responses")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="responses")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="responses")
    stance = models.CharField(max_length=32, choices=Stance.choices)
    statement = models.TextField(
        "what they said", blank=True, help_text="The party's position as the source reports it, attributed."
    )
    responded_on = models.DateField(null=True, blank=True, help_text="Leave empty when the source gives no date.")
    history = HistoricalRecords()

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


class Evidence(Quotation):
    """A source passage that supports, contradicts or gives context to a claim."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Gives context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta(Quotation.Meta):
        ordering = ["id"]
        verbose_name_plural = "evidence"
        constraints = Quotation.Meta.constraints + [
            models.UniqueConstraint(
                fields=["claim", "source", "relation"], name="claims_evidence_once_per_source_relation"
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()}: {self.source}"


def check_status_backed(status, stances):
    """A status that names a party (disputed) needs a response that opposes the claim."""
    if status is not None and status.requires_dispute and not set(stances) & set(Response.Stance.opposing()):
        raise ValidationError(
            f"The status “{status.label}” needs a party's response that rejects, denies or disputes the claim. "
            "Add that response first."
        )
