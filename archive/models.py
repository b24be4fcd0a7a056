"""Who wrote to whom, when, asking what, and the documents we know it from."""

import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, Length
from simple_history.models import HistoricalRecords

from core import search
from core.links import detail_url
from core.page_cache import per_revision

from .anchoring import is_ambiguous, locate, normalised
from .dates import describe_edtf, edtf_bounds, validate_edtf
from .languages import direction, search_configuration, validate_language_tag


class ActorQuerySet(models.QuerySet):
    def as_choices(self):
        """Slugs and names, by name: what a filter's menu of actors reads."""
        return self.only("slug", "name").order_by("name")

    def senders(self):
        """Actors who sent a published letter."""
        return self.filter(
            models.Exists(Letter.objects.published().filter(sender=models.OuterRef("pk")))
        )

    def recipients(self):
        """Actors a published letter was sent or copied to."""
        return self.filter(
            models.Exists(Recipient.objects.published().filter(actor=models.OuterRef("pk")))
        )


class Actor(models.Model):
    """Anyone who writes, receives, is accused or responds."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        INTERNATIONAL_BODY = "international-body", "International body"
        OFFICE = "office", "Office"
        PERSON = "person", "Person"
        SELF_DECLARED_ENTITY = "self-declared-entity", "Self-declared entity"
        ORGANISATION = "organisation", "Organisation"
        GROUP = "group", "Group"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body an office or group belongs to (the UN for the UN Secretary-General).",
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"], name="archive_actor_kind_name_idx"),
            models.Index(
                fields=["name", "id"], name="archive_actor_name_idx"
            ),  # the actor list's order
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("archive:actor-detail", self.slug)


class ActorIdentifier(models.Model):
    """An authority record for an actor, rendered as its full URI (as CMIF does)."""

    class Scheme(models.TextChoices):
        WIKIDATA = "wikidata", "Wikidata"
        VIAF = "viaf", "VIAF"
        GND = "gnd", "GND"

    URI_TEMPLATES = {
        Scheme.WIKIDATA: "http://www.wikidata.org/entity/{}",
        Scheme.VIAF: "http://viaf.org/viaf/{}",
        Scheme.GND: "http://d-nb.info/gnd/{}",
    }
    VALIDATORS = {
        Scheme.WIKIDATA: RegexValidator(
            r"^Q[1-9][0-9]*$", "A Wikidata identifier looks like Q843."
        ),
        Scheme.VIAF: RegexValidator(
            r"^[1-9][0-9]*$", "A VIAF identifier is a number, e.g. 124294538."
        ),
        Scheme.GND: RegexValidator(
            # The pattern the GND ontology gives for gndIdentifier (persons have 9 or 10 characters).
            r"^(1[012]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]|3[0-9]{7}[0-9X])$",
            "A GND identifier looks like 118540238 or 4022153-2.",
        ),
    }

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=16, choices=Scheme.choices)
    value = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["actor", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "scheme"], name="archive_identifier_one_per_scheme"
            ),
            models.UniqueConstraint(
                fields=["scheme", "value"], name="archive_identifier_unique_value"
            ),
        ]

    def __str__(self):
        return self.uri

    def clean(self):
        validator = self.VALIDATORS.get(self.scheme)
        if validator:
            try:
                validator(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages})

    @property
    def uri(self):
        return self.URI_TEMPLATES[self.scheme].format(self.value)


def search_configurations():
    """The text search configurations (PostgreSQL) the archive's texts are stored parsed with:
    English for the editors' own words, and each source's language for its text and quotes."""

    def compute():
        languages = Source.objects.order_by().values_list("language", flat=True).distinct()
        return tuple(sorted({search.EDITORS_CONFIGURATION, *map(search_configuration, languages)}))

    return per_revision("search-configurations", compute)


class Source(models.Model):
    """A document the archive knows a letter through: a news report, the letter itself…"""

    class Kind(models.TextChoices):
        NEWS_REPORT = "news-report", "News report"
        ORIGINAL_LETTER = "original-letter", "The original letter"
        STATEMENT = "statement", "Official statement"
        OTHER = "other", "Other document"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.NEWS_REPORT)
    author = models.CharField(max_length=200, blank=True, help_text="Leave empty when unknown.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Leave empty when unknown.")
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text="The text's language as a BCP 47 tag: en, ur, fa, ar… Left empty, it is detected "
        "from the text on save (check it); unknown, the archive's MISSIVE_SOURCE_LANGUAGE.",
    )
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True, help_text="Leave empty when unknown.")
    note = models.TextField(
        blank=True, help_text="How the archive holds this document and what is unknown about it."
    )
    text = models.TextField(
        help_text="The full text. Quotes are anchored to it by character offsets."
    )
    checksum = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the text.")
    # The file the text was taken from, as uploaded: for editors only, never served publicly.
    original = models.FileField(
        "original file",
        upload_to="sources/%Y/%m/",
        max_length=300,
        blank=True,
        help_text="The file the text was taken from, kept as it was uploaded.",
    )
    # PostgreSQL only: the text as a tsvector, kept by a trigger (migration 0007).
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def language_tag(self):
        return self.language or settings.MISSIVE_SOURCE_LANGUAGE

    @property
    def text_direction(self):
        return direction(self.language_tag)

    @staticmethod
    def checksum_of(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def clean(self):
        super().clean()
        self.text = normalised(self.text)
        # Statuses that rest on this source's words (claims' status_source, a reverse relation
        # so archive/ needs no import of claims/) must still find them in the corrected text.
        if self.pk and hasattr(self, "status_reports"):
            lost = [
                claim for claim in self.status_reports.all() if claim.status_quote not in self.text
            ]
            if lost:
                listed = "; ".join(
                    f"“{claim.status_quote}” (claim {claim.pk})" for claim in lost[:10]
                )
                raise ValidationError(
                    {
                        "text": f"The status of {len(lost)} claim(s) rests on words this text no "
                        f"longer has: {listed}. Change those claims' status first, or keep the words."
                    }
                )

    def prepare_text(self):
        """The text in the form it is kept, with its checksum (save() does this; bulk writers call it)."""
        self.text = normalised(self.text)
        self.checksum = self.checksum_of(self.text)

    def save(self, *args, **kwargs):
        self.prepare_text()
        text_changed = (
            bool(self.pk) and not Source.objects.filter(pk=self.pk, checksum=self.checksum).exists()
        )
        super().save(*args, **kwargs)
        if text_changed:
            reanchor_quotations(self)


CONTEXT = 200  # characters of source text shown either side of a quote


class Quotation(models.Model):
    """A quote anchored in a source: W3C TextQuoteSelector plus TextPositionSelector.

    Claims, requested actions, responses and evidence all rest on one. A quote that
    can no longer be found after its source text changed is an orphan: kept, listed
    for editors, never dropped.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="%(app_label)s_%(class)s_quotations"
    )
    quote_exact = models.TextField("quote", help_text="Copied exactly from the source text.")
    quote_prefix = models.TextField(
        "text before the quote",
        blank=True,
        help_text="Filled in on save; helps find the quote again.",
    )
    quote_suffix = models.TextField(
        "text after the quote",
        blank=True,
        help_text="Filled in on save; helps find the quote again.",
    )
    quote_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    quote_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_orphan = models.BooleanField(
        "orphaned quote",
        default=False,
        editable=False,
        help_text="The quote is no longer found in its source.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quote_exact=""),
                name="%(app_label)s_%(class)s_quote_not_empty",
                violation_error_message="The quote cannot be empty.",
            ),
            # An anchored quote spans exactly its own length; an orphan has no position.
            models.CheckConstraint(
                condition=models.Q(is_orphan=True, quote_start__isnull=True, quote_end__isnull=True)
                | models.Q(
                    is_orphan=False,
                    quote_start__isnull=False,
                    quote_end=models.F("quote_start") + Length("quote_exact"),
                ),
                name="%(app_label)s_%(class)s_quote_position",
                violation_error_message="The quote's offsets do not match its length.",
            ),
        ]

    def normalise_quote(self):
        """The quote and its context in the form the source text is kept in (anchoring.normalised)."""
        self.quote_exact = normalised(self.quote_exact)
        self.quote_prefix = normalised(self.quote_prefix)
        self.quote_suffix = normalised(self.quote_suffix)

    def anchor(self):
        """Place the quote in its source text; mark it an orphan if it is not there."""
        self.normalise_quote()
        found = locate(
            self.source.text,
            self.quote_exact,
            self.quote_prefix,
            self.quote_suffix,
            hint=self.quote_start,
        )
        if found is None:
            self.quote_start = self.quote_end = None
            self.is_orphan = True
            return False
        self.quote_start, self.quote_end, self.is_orphan = found.start, found.end, False
        # Keep stored context (it is what finds the quote after edits); fill it if absent.
        self.quote_prefix = self.quote_prefix or found.prefix
        self.quote_suffix = self.quote_suffix or found.suffix
        return True

    def clean(self):
        super().clean()
        if not self.source_id or not self.quote_exact:
            return
        self.normalise_quote()
        text = normalised(self.source.text)
        if (
            locate(text, self.quote_exact, self.quote_prefix, self.quote_suffix, self.quote_start)
            is None
        ):
            raise ValidationError(
                {
                    "quote_exact": f"This quote is not in the text of “{self.source}”. Copy it exactly, "
                    "including punctuation and curly quotes."
                }
            )
        if is_ambiguous(
            text, self.quote_exact, self.quote_prefix, self.quote_suffix, self.quote_start
        ):
            raise ValidationError(
                {
                    "quote_exact": "This quote occurs more than once in the source. Give the text just before "
                    "or after it so the right place can be found."
                }
            )
        # Anchor now, so the position constraints validated next see real offsets.
        self.anchor()

    def save(self, *args, **kwargs):
        self.anchor()
        super().save(*args, **kwargs)

    @property
    def quote_context(self):
        """(before, quote, after) from the current source text, cut at word boundaries, for display."""
        if self.is_orphan:
            return self.quote_prefix, self.quote_exact, self.quote_suffix
        text = self.source.text
        before = text[max(0, self.quote_start - CONTEXT) : self.quote_start]
        after = text[self.quote_end : self.quote_end + CONTEXT]
        if self.quote_start > CONTEXT and " " in before:
            before = before[before.index(" ") + 1 :]
        if self.quote_end + CONTEXT < len(text) and " " in after:
            after = after[: after.rindex(" ")]
        return before, self.quote_exact, after


def draft_letters():
    """The drafts' keys, as a subquery: a handful of rows off a partial index. What belongs to a
    letter is published by excluding these, not by a join: counts stay on their own table."""
    return Letter.objects.filter(published=False).values("pk")


def any_drafts():
    """Whether the archive holds a draft, once per revision. Without one, a count of published
    rows is the count of all of them: an index-only count, where excluding the drafts' keys
    would read every row's letter (the actor page's counts took 20 ms more at 200,000 claims)."""
    return per_revision("any-drafts", Letter.objects.filter(published=False).exists)


def count_published(every, published):
    """published.count(), read as every.count() while the archive has no draft."""
    return (published if any_drafts() else every).count()


def is_withdrawn(letter_pk):
    """For past views (`?as_of=`): a letter published then but a draft now, or deleted while a
    draft, is withdrawn from its past versions too. A letter deleted while published is not:
    its past versions stay readable, as every deleted record's do."""
    return (
        Letter.objects.filter(pk=letter_pk, published=False).exists()
        or Letter.history.filter(id=letter_pk, history_type="-", published=False).exists()
    )


def quotation_models():
    """Every concrete model resting on a Quotation, whichever app defines it."""
    return [model for model in apps.get_models() if issubclass(model, Quotation)]


def is_public_source():
    """A condition on sources: the public may read the source, for a published letter lists it,
    or a published quote rests on it. A source added for a draft (or not yet for any letter)
    stays with the editors."""
    listed = Letter.sources.through.objects.filter(
        source=models.OuterRef("pk"), letter__published=True
    )
    condition = models.Exists(listed)
    for model in quotation_models():
        condition |= models.Exists(model.objects.published().filter(source=models.OuterRef("pk")))
    return condition


def public_sources():
    return Source.objects.filter(is_public_source())


def reanchor_quotations(source):
    """Re-anchor every quote in a source whose text changed, recording why in history."""
    reanchored = orphaned = 0
    for model in quotation_models():
        for quotation in model.objects.filter(source=source).select_related("source"):
            before = (quotation.quote_start, quotation.is_orphan)
            quotation.source = source
            found = quotation.anchor()
            if (quotation.quote_start, quotation.is_orphan) == before:
                continue
            quotation._change_reason = (
                "Re-anchored after the source text changed"
                if found
                else "Quote no longer found in the source text"
            )
            models.Model.save(quotation)
            reanchored += found
            orphaned += not found
    return reanchored, orphaned


# Letters match a search on their title (weighted A) and summary (B), or on their sources' text.
LETTER_SEARCH_FIELDS = [("title", "A"), ("summary", "B")]


class LetterQuerySet(models.QuerySet):
    # The letter list's order, the newest first; also wherever a page shows the first few letters
    # of a list it links to (an actor's letters), so that they are the list's first rows.
    LIST_ORDER = ("-date_earliest", "title", "pk")

    def in_list_order(self):
        return self.order_by(*self.LIST_ORDER)

    def published(self):
        """The letters the public sees: every page, list, count, search, feed and export reads
        through this; a draft is the editors' and reviewers' alone, in the admin."""
        return self.filter(published=True)

    def for_list(self):
        """With what the letter list shows: the sender, whom the letter is addressed to, and how
        many claims it makes."""
        addressed_to = Recipient.objects.filter(role=Recipient.Role.TO).select_related("actor")
        return (
            self.select_related("sender")
            .prefetch_related(
                models.Prefetch(
                    "recipients", queryset=addressed_to.order_by("id"), to_attr="addressed_to"
                )
            )
            .with_claim_count()
        )

    def with_claim_count(self):
        """`claim_count` on each letter: a subquery per row shown, not a GROUP BY over every claim
        in the archive. Through the claims' relation, so archive/ imports nothing of claims/."""
        claims = self.model._meta.get_field("claims").related_model.objects
        counted = (
            claims.filter(letter=models.OuterRef("pk"))
            .order_by()
            .values("letter")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(claim_count=Coalesce(models.Subquery(counted), 0))

    def with_correspondents(self):
        """With the sender, signatory, sources and recipients (by role) a letter's page shows."""
        return self.select_related("sender", "signatory").prefetch_related(
            "sources",
            models.Prefetch(
                "recipients",
                queryset=Recipient.objects.select_related("actor").order_by("role", "id"),
            ),
        )

    def sent_by(self, actor):
        return self.filter(sender=actor)

    def signed_by(self, actor):
        return self.filter(signatory=actor)

    def received_by(self, actor):
        """Letters sent or copied to the actor: one EXISTS, so no letter comes twice."""
        return self.filter(
            models.Exists(Recipient.objects.filter(letter=models.OuterRef("pk"), actor=actor))
        )

    def search(self, query):
        """Title and summary, ranked, or any of the letter's source texts."""
        return search.full_text_search(
            self,
            query,
            LETTER_SEARCH_FIELDS,
            headline_fields=["summary"],
            also=search.source_text_matches(Source, "letters"),
            stored="search_document",
            configurations=search_configurations,
        )


class Letter(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    date_edtf = models.CharField(
        "date (EDTF)",
        max_length=64,
        validators=[validate_edtf],
        help_text="Extended Date/Time Format: 2026-01-04, XXXX-02-11 (year unknown: no source states it), "
        "2026?-02-11 (year uncertain), 2026-02 (month only). Give no part a source does not state.",
    )
    date_earliest = models.DateField("earliest possible date", editable=False)
    date_latest = models.DateField("latest possible date", editable=False)
    date_inferred = models.BooleanField(
        "date inferred",
        default=False,
        help_text="Part of the date is not stated in any source and was inferred by an editor.",
    )
    date_note = models.CharField(
        "how the date is known",
        max_length=300,
        blank=True,
        help_text="e.g. “year not stated in the report”.",
    )
    sender = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="letters_sent")
    signatory = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="letters_signed"
    )
    summary = models.TextField(help_text="What the letter says, attributed to its sender.")
    sources = models.ManyToManyField(Source, related_name="letters")
    published = models.BooleanField(
        default=True,
        help_text="Shown to the public. Untick while the letter is being tagged: a draft is seen "
        "only here, by editors and reviewers. Publishing and unpublishing are kept in the history "
        "with the reason given.",
    )
    # PostgreSQL only: title and summary as a weighted tsvector, kept by a trigger (migration 0007).
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[sources], excluded_fields=["search_document"])

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-date_earliest", "title"]
        indexes = [
            models.Index(fields=["date_earliest", "date_latest"], name="archive_letter_date_idx"),
            # The letter list's orders: newest first, and by title.
            models.Index(fields=["-date_earliest", "title", "id"], name="archive_letter_list_idx"),
            models.Index(fields=["title", "id"], name="archive_letter_title_idx"),
            models.Index(fields=["date_latest", "title", "id"], name="archive_letter_oldest_idx"),
            models.Index(
                fields=["id"], condition=models.Q(published=False), name="archive_letter_drafts_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_earliest__lte=models.F("date_latest")),
                name="archive_letter_date_bounds_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("archive:letter-detail", self.slug)

    @property
    def date_display(self):
        """The date in words with its certainty: "11 February, year inferred as 2026"."""
        return describe_edtf(self.date_edtf, self.date_inferred)

    def clean(self):
        super().clean()
        if self.date_inferred and not self.date_note:
            raise ValidationError({"date_note": "Say how the inferred date is known."})

    def save(self, *args, **kwargs):
        self.date_earliest, self.date_latest = edtf_bounds(self.date_edtf)
        super().save(*args, **kwargs)


class RecipientQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(letter_id__in=draft_letters())

    def received_by(self, actor):
        """The letters the actor received, one row per role (to, copied to), with the letter; the
        newest first."""
        return (
            self.filter(actor=actor)
            .select_related("letter")
            .order_by("-letter__date_earliest", "role")
        )


class Recipient(models.Model):
    class Role(models.TextChoices):
        TO = "to", "To"
        CC = "cc", "Copied to"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="recipients")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="letters_received")
    role = models.CharField(max_length=2, choices=Role.choices, default=Role.TO)
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. “via permanent missions in Brussels”."
    )
    history = HistoricalRecords()

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["letter", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "actor", "role"], name="archive_recipient_once_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.actor}"


class RequestedActionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(letter_id__in=draft_letters())

    def addressed_to(self, actor):
        """What letters ask of the actor, with the letter: the newest letters first, each's
        requests in its order."""
        return (
            self.filter(addressees=actor)
            .select_related("letter")
            .order_by("-letter__date_earliest", "letter_id", "position")
        )


class RequestedAction(Quotation):
    """One concrete thing a letter asks for, in the letter's order."""

    class Outcome(models.TextChoices):
        NOT_REPORTED = "not-reported", "No outcome reported"
        NO_PUBLIC_RESPONSE = "no-public-response", "No public response"
        UNDER_CONSIDERATION = "under-consideration", "Under consideration"
        ACTED_ON = "acted-on", "Acted on"
        DECLINED = "declined", "Declined"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="requested_actions")
    position = models.PositiveSmallIntegerField(help_text="Order within the letter, from 1.")
    summary = models.TextField(
        help_text="What is asked, worded to follow “The letter asks …”: “for a review of …”, “that the UN …”."
    )
    addressees = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="requested_actions",
        help_text="Whom the letter asks; leave empty when the source does not say.",
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices, default=Outcome.NOT_REPORTED)
    outcome_note = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[addressees])

    objects = RequestedActionQuerySet.as_manager()

    class Meta(Quotation.Meta):
        ordering = ["letter", "position"]
        constraints = Quotation.Meta.constraints + [
            models.UniqueConstraint(
                fields=["letter", "position"], name="archive_action_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="archive_action_position_from_1"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.summary[:80]}"

    @property
    def attributed_summary(self):
        """The request as the letter's: "The letter asks for a formal review of …"."""
        return f"The letter asks {self.summary}"

    def get_absolute_url(self):
        return f"{self.letter.get_absolute_url()}#action-{self.position}"

    def clean(self):
        super().clean()
        check_source_belongs_to_letter(self)


def check_source_belongs_to_letter(quotation):
    """A quote about a letter must come from one of the letter's own sources."""
    if quotation.letter_id and quotation.source_id and quotation.letter.pk:
        if not quotation.letter.sources.filter(pk=quotation.source_id).exists():
            raise ValidationError({"source": "Choose one of this letter's sources."})
