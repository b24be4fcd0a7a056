from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, View
from django_filters.views import FilterView

from core import page_cache
from core.browse import BrowseView, has_nul
from history.past import NotThen, PastVersionMixin

from .charts import (
    actor_network,
    archive_network,
    archive_timeline,
    correspondence,
    letter_timeline,
)
from .citation import cite, in_words, letter_title
from .filters import ActorFilter, LetterFilter
from .models import (
    Actor,
    Letter,
    Recipient,
    RequestedAction,
    count_published,
    is_withdrawn,
    public_sources,
)
from .past import letter_as_of

ACTOR_PAGE_ROWS = 20


def filtered(filterset):
    """Whether a valid filterset picks fewer than all letters (a sort order picks them all)."""
    return filterset.is_bound and any(
        value not in (None, "")
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    )


class LetterListView(BrowseView):
    filterset_class = LetterFilter
    template_name = "archive/letter_list.html"

    def get_queryset(self):
        return Letter.objects.published().for_list().in_list_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filtered letters, every page of them, by when they may have been written.
        if not self.query_is_bad:
            context["timeline"] = (
                letter_timeline(self.filterset.qs)
                if filtered(self.filterset)
                else archive_timeline()
            )
        return context


class CorrespondenceView(FilterView):
    """Who wrote to whom, in the letters the letter list's filters pick."""

    filterset_class = LetterFilter
    template_name = "archive/correspondence.html"
    page_error = ""

    def get(self, request, *args, **kwargs):
        page_cache.accepts_parameters(request, self.filterset_class.base_filters)
        if has_nul(request.GET):
            self.page_error = "A parameter contained a NUL character; remove it and try again."
            request.GET = request.GET.copy()
            request.GET.clear()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Letter.objects.published()

    @cached_property
    def query_is_bad(self):
        return bool(self.page_error) or (self.filterset.is_bound and not self.filterset.is_valid())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(page_error=self.page_error, **kwargs)
        if not self.query_is_bad:
            context["network"] = (
                correspondence(self.filterset.qs) if filtered(self.filterset) else archive_network()
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.query_is_bad:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class LetterDetailView(PastVersionMixin, DetailView):
    def get_object(self, queryset=None):
        if self.past is None:
            return self.current_object(queryset)
        # The letter's slug may have changed since; look for it by its slug then as well as now.
        current = (
            Letter.objects.filter(slug=self.kwargs["slug"]).values_list("pk", flat=True).first()
        )
        then = list(self.past.records(Letter, slug=self.kwargs["slug"]))
        for pk in [current, *then]:
            letter, self.version = letter_as_of(self.past, pk) if pk else (None, None)
            if letter is not None and letter.published and not is_withdrawn(pk):
                return letter
        raise NotThen(
            f"There was no letter at this address at the end of {in_words(self.past.day)}."
        )

    def get_queryset(self):
        return (
            Letter.objects.published()
            .with_correspondents()
            .prefetch_related(
                Prefetch(
                    "requested_actions",
                    queryset=RequestedAction.objects.prefetch_related("addressees").order_by(
                        "position"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        letter = self.object
        recipients = letter.recipients.all()
        return super().get_context_data(
            recipients_to=[r for r in recipients if r.role == Recipient.Role.TO],
            recipients_cc=[r for r in recipients if r.role == Recipient.Role.CC],
            citation=cite(
                f"missive-letter-{letter.pk}",
                letter_title(letter),
                letter.get_absolute_url(),
                self.version,
                self.past.day if self.past else timezone.localdate(),
                timezone.localdate(),
                self.request.build_absolute_uri,
            ),
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
        letters = Letter.objects.published()
        sent = letters.sent_by(actor).in_list_order()
        received = Recipient.objects.published().received_by(actor)
        signed = letters.signed_by(actor).select_related("sender").in_list_order()
        asked = RequestedAction.objects.published().addressed_to(actor)
        return super().get_context_data(
            letters_sent=sent[:ACTOR_PAGE_ROWS],
            letters_sent_count=count_published(Letter.objects.sent_by(actor), sent),
            letters_signed=signed[:ACTOR_PAGE_ROWS],
            letters_signed_count=count_published(Letter.objects.signed_by(actor), signed),
            requests=asked[:ACTOR_PAGE_ROWS],
            # On the link table alone: a join with the requests is slow for a busy actor.
            requests_count=count_published(
                RequestedAction.addressees.through.objects.filter(actor=actor), asked
            ),
            letters_received=received[:ACTOR_PAGE_ROWS],
            letters_received_count=count_published(Recipient.objects.received_by(actor), received),
            network=actor_network(actor),
            **kwargs,
        )


class SourceTextView(View):
    """`/sources/<slug>.txt`: a source's text exactly as stored, the text quote offsets count in."""

    def get(self, request, slug):
        source = get_object_or_404(public_sources().only("text"), slug=slug)
        return HttpResponse(source.text, content_type="text/plain; charset=utf-8")
