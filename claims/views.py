from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from archive.models import Letter

from .models import Claim, Evidence, Response, VerificationStatus


class HomeView(TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letters=Letter.objects.select_related("sender").order_by("-date_earliest")[:20],
            statuses=VerificationStatus.objects.annotate(claim_count=Count("claims")).order_by("position"),
            claim_count=Claim.objects.count(),
            **kwargs,
        )


class ClaimListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Claim.objects.select_related("letter", "status").order_by("letter", "position", "pk")


class ClaimDetailView(DetailView):
    def get_queryset(self):
        return Claim.objects.select_related("letter__sender", "status", "source").prefetch_related(
            "about",
            Prefetch("responses", queryset=Response.objects.select_related("actor", "source")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
        )


class StatusListView(ListView):
    def get_queryset(self):
        return VerificationStatus.objects.annotate(claim_count=Count("claims")).order_by("position")
