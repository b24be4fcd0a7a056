from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Actor, Letter, Recipient, RequestedAction


class LetterListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Letter.objects.select_related("sender").order_by("-date_earliest", "title")


class LetterDetailView(DetailView):
    def get_queryset(self):
        return Letter.objects.select_related("sender", "signatory").prefetch_related(
            "sources",
            Prefetch("recipients", queryset=Recipient.objects.select_related("actor").order_by("role", "id")),
            Prefetch(
                "requested_actions",
                queryset=RequestedAction.objects.prefetch_related("addressees").order_by("position"),
            ),
        )


class ActorListView(ListView):
    paginate_by = 100

    def get_queryset(self):
        return Actor.objects.order_by("name")


class ActorDetailView(DetailView):
    def get_queryset(self):
        return Actor.objects.select_related("parent").prefetch_related("identifiers")

    def get_context_data(self, **kwargs):
        actor = self.object
        return super().get_context_data(
            letters_sent=actor.letters_sent.order_by("-date_earliest"),
            letters_received=Recipient.objects.filter(actor=actor)
            .select_related("letter")
            .order_by("-letter__date_earliest", "role"),
            **kwargs,
        )
