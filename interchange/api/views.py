"""`/api/v1/`: the archive as JSON, read only, with the pages' filters, order and paging.

Each list reads the queryset its page reads (published letters only, drafts never), through
the same FilterSet, in the same order, a keyset page at a time; so a list here holds what its
page holds for the same parameters. Queries per page do not grow with its size.
"""

import functools

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response as APIResponse

from archive.filters import ActorFilter, LetterFilter, RequestedActionFilter
from archive.models import Actor, Letter, RequestedAction
from claims.filters import ClaimFilter, ResponseFilter
from claims.models import Claim, Recurrence, RecurringAssertion, Response, VerificationStatus
from claims.views import with_claim_counts
from core import page_cache
from core.browse import has_nul

from .. import claim_exports
from . import serializers
from .filters import PageFilters
from .pagination import KeysetPagination

# What a list or an address may answer besides its data, for the OpenAPI document.
LIST_ERRORS = {400: serializers.Errors, 403: serializers.Detail, 429: serializers.Detail}
DETAIL_ERRORS = {403: serializers.Detail, 404: serializers.Detail, 429: serializers.Detail}


def documented(view):
    """The view's answers in the OpenAPI document: its data, and each error it may give."""
    errors = LIST_ERRORS if issubclass(view, generics.ListAPIView) else DETAIL_ERRORS
    return extend_schema(responses={200: view.serializer_class, **errors})(view)


class ReadView(generics.GenericAPIView):
    """What every API address shares: GET only, the pages' filters, keyset pages, and a page
    cache that keeps an answer only for the parameters the address reads."""

    http_method_names = ["get", "head", "options"]
    filter_backends = [PageFilters]
    pagination_class = KeysetPagination
    lookup_field = "slug"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if has_nul(request.query_params):
            raise ValidationError(
                {"query": ["A parameter contained a NUL character; remove it and try again."]}
            )
        filters = self.filterset_class.base_filters if self.filterset_class else {}
        # On Django's request, which the page cache sees; DRF's wraps it.
        page_cache.accepts_parameters(request._request, {*filters, "after", "before", "page_size"})


class ReadList(generics.ListAPIView, ReadView):
    pass


class ReadDetail(generics.RetrieveAPIView, ReadView):
    filterset_class = None
    pagination_class = None


# Letters ---------------------------------------------------------------------------------


def letters():
    return Letter.objects.published().with_correspondents().with_claim_count()


@documented
class LetterList(ReadList):
    """Letters, newest first, with the letter list's filters (q, sender, recipient,
    date_from, date_to, sort). A date range finds every letter that could have been written
    in it: one whose year no source states is in every range."""

    serializer_class = serializers.LetterSerializer
    filterset_class = LetterFilter

    def get_queryset(self):
        return letters().in_list_order()


@documented
class LetterDetail(ReadDetail):
    serializer_class = serializers.LetterSerializer

    def get_queryset(self):
        return letters()


# Claims ----------------------------------------------------------------------------------


def claim_records(request, claims):
    """The claim exports' records of claims (in their order), each with its API address."""
    by_id = {
        record["id"]: record
        for record in claim_exports.records(
            Claim.objects.filter(pk__in=[claim.pk for claim in claims]), request.build_absolute_uri
        )
    }
    api = request.build_absolute_uri(reverse("api:claim-list"))
    return [
        {**by_id[claim.pk], "url": f"{api}{claim.pk}/"} for claim in claims if claim.pk in by_id
    ]


@documented
class ClaimList(ReadList):
    """Claims, with the claim list's filters and order (q, status, kind, letter, about,
    responder, stance, date_from, date_to, sort). Each claim is attributed to its
    sender and given with its status and whose status it is (status_with_basis)."""

    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        # The letter joined: the next page's cursor holds its date.
        return Claim.objects.published().select_related("letter").in_list_order()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(claim_records(request, page))


@documented
class ClaimDetail(ReadDetail):
    serializer_class = serializers.ClaimSerializer
    lookup_field = "pk"

    def get_queryset(self):
        return Claim.objects.published()

    def retrieve(self, request, *args, **kwargs):
        return APIResponse(claim_records(request, [self.get_object()])[0])


# Actors, statuses, responses, requests ---------------------------------------------------------


@documented
class ActorList(ReadList):
    """Senders, recipients, parties claims are about and responding parties, by name (name,
    kind)."""

    serializer_class = serializers.ActorSerializer
    filterset_class = ActorFilter

    def get_queryset(self):
        return (
            Actor.objects.select_related("parent")
            .prefetch_related("identifiers")
            .order_by("name", "pk")
        )


@documented
class ActorDetail(ReadDetail):
    serializer_class = serializers.ActorSerializer

    def get_queryset(self):
        return Actor.objects.select_related("parent").prefetch_related("identifiers")


@documented
class StatusList(ReadList):
    """The verification statuses, each with whose it is (basis) and how many claims hold it."""

    serializer_class = serializers.StatusSerializer
    filterset_class = None

    def get_queryset(self):
        return VerificationStatus.objects.order_by("position", "pk")

    def list(self, request, *args, **kwargs):
        page = with_claim_counts(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@documented
class ResponseList(ReadList):
    """Parties' responses to claims and to whole letters, as their sources report them (party,
    stance, claim, letter)."""

    serializer_class = serializers.ResponseSerializer
    filterset_class = ResponseFilter

    def get_queryset(self):
        return (
            Response.objects.published()
            .select_related("actor", "source", "letter", "claim")
            .order_by("pk")
        )


@documented
class RequestedActionList(ReadList):
    """What letters ask, each as the letter's request (letter, addressee, outcome)."""

    serializer_class = serializers.RequestedActionSerializer
    filterset_class = RequestedActionFilter

    def get_queryset(self):
        return (
            RequestedAction.objects.published()
            .select_related("letter", "source")
            .prefetch_related("addressees")
            .order_by("pk")
        )


# Recurring assertions ----------------------------------------------------------------------


def recurring_assertions():
    made_by = (
        Recurrence.objects.published()
        .select_related("claim__letter__sender")
        .order_by("claim__letter__date_earliest", "claim__letter_id", "claim__position", "pk")
    )
    return RecurringAssertion.objects.published().prefetch_related(
        Prefetch("recurrences", queryset=made_by, to_attr="published_recurrences")
    )


def with_claim_records(request, assertions):
    """Each recurrence of the assertions with its claim's record: four queries for them all."""
    recurrences = [r for assertion in assertions for r in assertion.published_recurrences]
    by_id = {
        record["id"]: record for record in claim_records(request, [r.claim for r in recurrences])
    }
    for recurrence in recurrences:
        recurrence.claim_record = by_id[recurrence.claim_id]
    return assertions


@documented
class RecurringAssertionList(ReadList):
    """Assertions the editors found made in more than one letter, each with the claims making it:
    each claim attributed, with its status and whose it is, and the editor's reason."""

    serializer_class = serializers.RecurringAssertionSerializer
    filterset_class = None

    def get_queryset(self):
        return recurring_assertions().order_by("title", "pk")

    def list(self, request, *args, **kwargs):
        page = with_claim_records(request, self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@documented
class RecurringAssertionDetail(ReadDetail):
    serializer_class = serializers.RecurringAssertionSerializer

    def get_queryset(self):
        return recurring_assertions()

    def retrieve(self, request, *args, **kwargs):
        assertion = with_claim_records(request, [self.get_object()])[0]
        return APIResponse(self.get_serializer(assertion).data)


# The document and its page ------------------------------------------------------------------


@functools.cache
def openapi_document():
    """The OpenAPI 3.1 document, generated from these views once per process."""
    return SchemaGenerator(patterns=None, urlconf=None).get_schema(request=None, public=True)


@extend_schema(exclude=True)
class OpenAPIDocument(generics.GenericAPIView):
    http_method_names = ["get", "head"]
    throttle_classes = []

    def get(self, request):
        return APIResponse(openapi_document())


class Documentation(TemplateView):
    """`/api/`: the API described for people, from the same document; no script needed."""

    template_name = "api/documentation.html"

    def get_context_data(self, **kwargs):
        document = openapi_document()
        operations = [
            {"path": path, **item["get"]}
            for path, item in document["paths"].items()
            if "get" in item
        ]
        return super().get_context_data(
            operations=operations, anon_rate=settings.MISSIVE_API_ANON_RATE, **kwargs
        )


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "There is nothing at this address."}, status=404)
