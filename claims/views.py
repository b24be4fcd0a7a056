from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from archive.charts import archive_network, archive_timeline
from archive.citation import cite, in_words, letter_title
from archive.models import Letter, count_published, is_withdrawn
from core import page_cache
from core.browse import BrowseView
from core.page_cache import per_revision
from history.past import NotThen, PastVersionMixin

from .changes import ChangesForm, recent_changes, status_timeline, status_timelines
from .charts import assertion_timeline, status_chart
from .filters import ClaimFilter
from .models import (
    Claim,
    Evidence,
    Recurrence,
    RecurringAssertion,
    Response,
    VerificationStatus,
    unshown_of_basis,
)
from .past import claim_as_of

RELATED_CLAIMS = 10


def with_claim_counts(statuses):
    """Statuses with `claim_count`, counted once per revision of the archive."""
    counts = per_revision("claims-by-status", Claim.objects.published_counts_by_status)
    statuses = list(statuses)
    for status in statuses:
        status.claim_count = counts.get(status.pk, 0)
    return statuses


class HomeView(TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        statuses = with_claim_counts(VerificationStatus.objects.order_by("position"))
        return super().get_context_data(
            letters=Letter.objects.published().select_related("sender").in_list_order()[:10],
            letter_count=count_published(Letter.objects.all(), Letter.objects.published()),
            chart=status_chart(statuses),
            timeline=archive_timeline(),
            network=archive_network(),
            changes=recent_changes(limit=8),
            **kwargs,
        )


class ClaimListView(BrowseView):
    filterset_class = ClaimFilter
    template_name = "claims/claim_list.html"

    def get_queryset(self):
        # The page's rows are picked by their keys alone (keyset.first_rows), so these joins
        # cost 51 rows, not the 13,000 a search ranks.
        return Claim.objects.published().for_list().in_list_order()


class ClaimDetailView(PastVersionMixin, DetailView):
    def get_object(self, queryset=None):
        if self.past is None:
            return self.current_object(queryset)
        claim, self.version = claim_as_of(self.past, self.kwargs["pk"])
        if claim is None or not claim.letter.published or is_withdrawn(claim.letter_id):
            raise NotThen(
                f"This claim was not in the archive at the end of {in_words(self.past.day)}."
            )
        return claim

    def get_queryset(self):
        return (
            Claim.objects.published()
            .select_related(
                "letter__sender",
                "status",
                "source",
                "status_source",
                "reviewed_by",
                "recurrence__assertion",
            )
            .defer(*unshown_of_basis())
            .prefetch_related(
                "about",
                "letter__sender__identifiers",
                Prefetch(
                    "responses",
                    queryset=Response.objects.select_related("actor", "source").order_by("pk"),
                ),
                Prefetch(
                    "evidence", queryset=Evidence.objects.select_related("source").order_by("pk")
                ),
            )
        )

    def get_context_data(self, **kwargs):
        claim = self.object
        absolute_url = self.request.build_absolute_uri
        citation = cite(
            f"missive-claim-{claim.pk}",
            f"Claim {claim.position} of {letter_title(claim.letter)}",
            claim.get_absolute_url(),
            self.version,
            self.past.day if self.past else timezone.localdate(),
            timezone.localdate(),
            absolute_url,
        )
        if (
            self.past is not None
        ):  # a past version: what the history holds, nothing computed from today
            return super().get_context_data(
                timeline=status_timeline(claim, until=self.past.moment), citation=citation, **kwargs
            )
        return super().get_context_data(
            related_claims=Claim.objects.published().related_to(claim, limit=RELATED_CLAIMS),
            recurring=recurring_with(claim),
            timeline=status_timeline(claim),
            citation=citation,
            **kwargs,
        )


def recurring_with(claim):
    """(the recurring assertion the claim makes, the other published claims making it), or None."""
    try:
        recurrence = claim.recurrence  # selected with the claim
    except Recurrence.DoesNotExist:
        return None
    others = (
        Claim.objects.published()
        .filter(recurrence__assertion_id=recurrence.assertion_id)
        .exclude(pk=claim.pk)
        .select_related("letter")
        .order_by(F("letter__date_earliest").asc(nulls_last=True), "letter_id", "position")
    )
    return recurrence.assertion, list(others)


class StatusListView(ListView):
    template_name = "claims/verificationstatus_list.html"
    extra_context = {"publisher": settings.MISSIVE_PUBLISHER}

    def get_queryset(self):
        return with_claim_counts(VerificationStatus.objects.order_by("position", "slug"))


class ChangeListView(TemplateView):
    """Every recorded change, newest first, paged by time so the page never drifts."""

    template_name = "claims/change_list.html"
    page_size = 50

    def get(self, request, *args, **kwargs):
        page_cache.accepts_parameters(request, ChangesForm.base_fields)
        self.form = ChangesForm(request.GET or None)
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound and not self.form.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        before = (
            self.form.cleaned_data.get("before")
            if self.form.is_bound and self.form.is_valid()
            else None
        )
        changes = recent_changes(limit=self.page_size + 1, before=before)
        return super().get_context_data(
            form=self.form,
            changes=changes[: self.page_size],
            next_before=changes[self.page_size - 1].when if len(changes) > self.page_size else None,
            **kwargs,
        )


class RecurringAssertionListView(ListView):
    """Every assertion editors found made again in another letter, with how many letters make it."""

    # One page: editors make each by hand, so there are tens or hundreds, not a claim list's thousands.
    template_name = "claims/recurringassertion_list.html"

    def get_queryset(self):
        published = Q(recurrences__claim__letter__published=True)
        return (
            RecurringAssertion.objects.published()
            .annotate(
                letter_count=Count("recurrences__claim__letter", filter=published, distinct=True)
            )
            .order_by("title", "slug")
        )


class RecurringAssertionDetailView(DetailView):
    """One recurring assertion: each letter that makes it, in date order, with its quote, status and
    basis, and every response to any of them."""

    template_name = "claims/recurringassertion_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(RecurringAssertion.objects.published(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        assertion = self.object
        claims = list(
            Claim.objects.published()
            .filter(recurrence__assertion=assertion)
            .for_list()
            .select_related("source", "recurrence__confirmed_by")
            .order_by(
                F("letter__date_earliest").asc(nulls_last=True), "letter_id", "position", "pk"
            )
        )
        letters = {claim.letter_id for claim in claims}
        letter_responses = list(
            Response.objects.filter(letter_id__in=letters, claim__isnull=True)
            .select_related("actor", "letter", "source")
            .order_by("letter_id", "pk")
        )
        histories = Claim.history.filter(id__in=[claim.pk for claim in claims])
        return super().get_context_data(
            attributed_title=assertion.attributed_title(claims),
            claims=claims,
            letter_responses=letter_responses,
            timeline=assertion_timeline(
                claims, letter_responses, status_timelines(histories), timezone.localdate()
            ),
            **kwargs,
        )
