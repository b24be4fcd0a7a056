from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from archive.citation import cite, in_words, letter_title
from archive.models import Letter
from core.browse import BrowseView
from core.page_cache import per_revision
from history.past import NotThen, PastVersionMixin

from .changes import ChangesForm, recent_changes, status_timeline
from .charts import status_chart
from .filters import ClaimFilter
from .models import Claim, Evidence, Response, VerificationStatus
from .past import claim_as_of

RELATED_CLAIMS = 10


def count_claims_by_status():
    # On the claims table alone (an index-only scan), not a join: 30 ms at 200,000 claims.
    return dict(Claim.objects.order_by().values_list("status_id").annotate(n=Count("pk")))


def with_claim_counts(statuses):
    """Statuses with `claim_count`, counted once per revision of the archive."""
    counts = per_revision("claims-by-status", count_claims_by_status)
    statuses = list(statuses)
    for status in statuses:
        status.claim_count = counts.get(status.pk, 0)
    return statuses


class HomeView(TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        statuses = with_claim_counts(VerificationStatus.objects.order_by("position"))
        return super().get_context_data(
            letters=Letter.objects.select_related("sender").order_by("-date_earliest", "pk")[:10],
            letter_count=Letter.objects.count(),
            chart=status_chart(statuses),
            changes=recent_changes(limit=8),
            **kwargs,
        )


def claims_in_list_order():
    return Claim.objects.order_by("-letter__date_earliest", "letter_id", "position", "pk")


class ClaimListView(BrowseView):
    filterset_class = ClaimFilter
    template_name = "claims/claim_list.html"

    def get_queryset(self):
        # The page's rows are picked by their keys alone (keyset.first_rows), so these joins
        # cost 51 rows, not the 13,000 a search ranks.
        return (
            claims_in_list_order()
            .select_related("letter__sender", "status", "status_source", "reviewed_by")
            .prefetch_related(
                Prefetch(
                    "responses", queryset=Response.objects.select_related("actor").order_by("pk")
                ),
            )
        )


class ClaimDetailView(PastVersionMixin, DetailView):
    def get_object(self, queryset=None):
        if self.past is None:
            return self.current_object(queryset)
        claim, self.version = claim_as_of(self.past, self.kwargs["pk"])
        if claim is None:
            raise NotThen(
                f"This claim was not in the archive at the end of {in_words(self.past.day)}."
            )
        return claim

    def get_queryset(self):
        return Claim.objects.select_related(
            "letter__sender", "status", "source", "status_source", "reviewed_by"
        ).prefetch_related(
            "about",
            "letter__sender__identifiers",
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("actor", "source").order_by("pk"),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("source").order_by("pk")),
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
            related_claims=self.related_claims(claim),
            timeline=status_timeline(claim),
            citation=citation,
            **kwargs,
        )

    @staticmethod
    def related_claims(claim):
        """Claims in other letters about the same parties: those sharing most parties first, then the newest.

        Shares are counted only for the claims sharing two or more parties (on the link table);
        the rest come newest first off the letters' date index. Counting shares for every claim
        about a busy party (13,000) cost 200 ms a page.
        """
        about = [actor.pk for actor in claim.about.all()]
        if not about:
            return []
        others = (
            Claim.objects.exclude(letter_id=claim.letter_id)
            .select_related("letter__sender", "status", "status_source", "reviewed_by")
            .prefetch_related(
                Prefetch(
                    "responses", queryset=Response.objects.select_related("actor").order_by("pk")
                )
            )
        )
        newest = ("-letter__date_earliest", "letter_id", "position", "pk")
        related = []
        if len(about) > 1:
            links = Claim.about.through.objects.filter(actor__in=about)
            sharing = (
                links.values("claim_id").annotate(n=Count("pk")).filter(n__gt=1).values("claim_id")
            )
            related = list(
                others.filter(pk__in=sharing)
                .annotate(shared=Count("about", filter=Q(about__in=about)))
                .order_by("-shared", *newest)[:RELATED_CLAIMS]
            )
        if len(related) < RELATED_CLAIMS:
            # Every claim sharing two parties is listed already, so the rest share one: no duplicates.
            rest = others.filter(about__in=about).exclude(pk__in=[other.pk for other in related])
            related += rest.order_by(*newest)[: RELATED_CLAIMS - len(related)]
        return related


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
