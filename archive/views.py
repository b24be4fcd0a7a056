from django.db.models import Count, Prefetch
from django.views.generic import DetailView

from .browse import BrowseView
from .filters import ActorFilter, LetterFilter
from .models import Actor, Letter, Recipient, RequestedAction

ACTOR_PAGE_ROWS = 20


class LetterListView(BrowseView):
    filterset_class = LetterFilter
    template_name = "archive/letter_list.html"

    def get_queryset(self):
        return (
            Letter.objects.select_related("sender")
            .prefetch_related(
                Prefetch(
                    "recipients",
                    queryset=Recipient.objects.filter(role=Recipient.Role.TO).select_related("actor").order_by("id"),
                    to_attr="addressed_to",
                )
            )
            .annotate(claim_count=Count("claims"))
            .order_by("-date_earliest", "title", "pk")
        )


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

    def get_context_data(self, **kwargs):
        recipients = self.object.recipients.all()
        return super().get_context_data(
            recipients_to=[r for r in recipients if r.role == Recipient.Role.TO],
            recipients_cc=[r for r in recipients if r.role == Recipient.Role.CC],
            **kwargs,
        )


class ActorListView(BrowseView):
    filterset_class = ActorFilter
    template_name = "archive/actor_list.html"
    paginate_by = 100

    def get_queryset(self):
        return Actor.objects.select_related("parent").order_by("name", "pk")


class ActorDetailView(DetailView):
    """What an actor sent and received; its claims and responses come from claims' template tag."""

    def get_queryset(self):
        return Actor.objects.select_related("parent").prefetch_related("identifiers")

    def get_context_data(self, **kwargs):
        actor = self.object
        sent = actor.letters_sent.order_by("-date_earliest", "pk")
        received = (
            Recipient.objects.filter(actor=actor).select_related("letter").order_by("-letter__date_earliest", "role")
        )
        return super().get_context_data(
            letters_sent=sent[:ACTOR_PAGE_ROWS],
            letters_sent_count=sent.count(),
            letters_received=received[:ACTOR_PAGE_ROWS],
            letters_received_count=received.count(),
            **kwargs,
        )
