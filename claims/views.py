from django.contrib.syndication.views import Feed
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.generic import DetailView, ListView, TemplateView

from archive.browse import BrowseView
from archive.models import Letter

from .changes import ChangesForm, recent_changes, status_timeline
from .charts import status_chart
from .filters import ClaimFilter
from .models import Claim, Evidence, Response, VerificationStatus

RELATED_CLAIMS = 10


class HomeView(TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        statuses = list(VerificationStatus.objects.annotate(claim_count=Count("claims")).order_by("position"))
        return super().get_context_data(
            letters=Letter.objects.select_related("sender").order_by("-date_earliest", "pk")[:10],
            letter_count=Letter.objects.count(),
            chart=status_chart(statuses),
            changes=recent_changes(limit=8),
            **kwargs,
        )


class ClaimListView(BrowseView):
    filterset_class = ClaimFilter
    template_name = "claims/claim_list.html"

    def get_queryset(self):
        return (
            Claim.objects.select_related("letter__sender", "status")
            .prefetch_related(
                "about", Prefetch("responses", queryset=Response.objects.select_related("actor").order_by("pk"))
            )
            .order_by("-letter__date_earliest", "letter_id", "position", "pk")
        )


class ClaimDetailView(DetailView):
    def get_queryset(self):
        return Claim.objects.select_related("letter__sender", "status", "source").prefetch_related(
            "about",
            Prefetch("responses", queryset=Response.objects.select_related("actor", "source").order_by("pk")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("source").order_by("pk")),
        )

    def get_context_data(self, **kwargs):
        claim = self.object
        return super().get_context_data(
            related_claims=self.related_claims(claim),
            timeline=status_timeline(claim),
            **kwargs,
        )

    @staticmethod
    def related_claims(claim):
        """Claims in other letters about the same parties, most shared parties first."""
        about = [actor.pk for actor in claim.about.all()]
        if not about:
            return []
        return (
            Claim.objects.exclude(letter=claim.letter)
            .filter(about__in=about)
            .annotate(shared=Count("about", filter=Q(about__in=about)))
            .select_related("letter__sender", "status")
            .order_by("-shared", "-letter__date_earliest", "pk")[:RELATED_CLAIMS]
        )


class StatusListView(ListView):
    template_name = "claims/verificationstatus_list.html"

    def get_queryset(self):
        return VerificationStatus.objects.annotate(claim_count=Count("claims")).order_by("position", "slug")


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
        before = self.form.cleaned_data.get("before") if self.form.is_bound and self.form.is_valid() else None
        changes = recent_changes(limit=self.page_size + 1, before=before)
        return super().get_context_data(
            form=self.form,
            changes=changes[: self.page_size],
            next_before=changes[self.page_size - 1].when if len(changes) > self.page_size else None,
            **kwargs,
        )


class ChangeFeed(Feed):
    feed_type = Atom1Feed
    title = "Missive: recent changes"
    subtitle = "Letters, claims, statuses and responses as editors record and revise them."

    def link(self):
        return reverse("claims:change-list")

    def items(self):
        return recent_changes(limit=50)

    def item_title(self, change):
        return f"{change.action}: {change.label}"

    def item_description(self, change):
        # Atom summaries are HTML to feed readers; a reason is plain text typed by an editor.
        return escape(change.reason or change.action)

    def item_link(self, change):
        return change.url or f"{reverse('claims:change-list')}#{change.key}"

    def item_guid(self, change):
        return f"missive-change-{change.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when

    def item_updateddate(self, change):
        return change.when
