"""Each private part of Django that Missive relies on (core/django_internals.py) still does what
its callers need: one test per function, so an upgrade of Django that changes one fails by name."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import FieldError
from django.db import connection
from django.db.models import F, FloatField, Value
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from archive.models import Actor, Letter
from claims.models import Claim, Response
from core.django_internals import explicit_ordering, output_field, set_prefetched, without_filters
from history.admin import HistoryAdmin, foreign_key_to

pytestmark = pytest.mark.django_db


def test_explicit_ordering_gives_the_order_by_arguments_not_the_models_default():
    assert explicit_ordering(Claim.objects.order_by("-letter__date_earliest", "pk")) == (
        "-letter__date_earliest",
        "pk",
    )
    assert explicit_ordering(Claim.objects.filter(key="flood").order_by("position", "pk")) == (
        "position",
        "pk",
    )
    assert explicit_ordering(Claim.objects.order_by("position").order_by("-pk")) == ("-pk",)
    assert explicit_ordering(Claim.objects.all()) == ()  # Meta.ordering is not an order_by()
    [expression] = explicit_ordering(Claim.objects.order_by(F("pk").desc()))
    assert not isinstance(expression, str)  # keyset's sort_key refuses it for that


def test_output_field_resolves_own_fields_paths_across_relations_and_annotations():
    claims = Claim.objects.annotate(search_rank=Value(0.5, output_field=FloatField()))
    assert output_field(claims, "status_changed_at") is Claim._meta.get_field("status_changed_at")
    assert output_field(claims, "pk") is Claim._meta.pk
    assert output_field(claims, "letter__date_earliest") is Letter._meta.get_field("date_earliest")
    assert isinstance(output_field(claims, "search_rank"), FloatField)
    assert output_field(claims, "search_rank").to_python("0.25") == 0.25
    with pytest.raises(FieldError):
        output_field(claims, "no_such_field")


def sql_of(queryset):
    with CaptureQueriesContext(connection) as queries:
        list(queryset.all())
    return [query["sql"] for query in queries]


def test_output_field_leaves_the_queryset_as_it_was(shipped_letters):
    claims = Claim.objects.order_by("pk")
    before = sql_of(claims)
    output_field(claims, "letter__sender__name")
    assert sql_of(claims) == before  # no join to letters and actors added


def test_without_filters_drops_the_where_clause_and_keeps_joins_annotations_and_prefetches(
    shipped_letters, django_assert_num_queries
):
    filtered = (
        Claim.objects.filter(letter__title__startswith="No such")
        .select_related("letter")
        .annotate(search_rank=Value(0.5, output_field=FloatField()))
        .prefetch_related("about")
    )
    assert not filtered.exists()
    rows = without_filters(filtered)
    with CaptureQueriesContext(connection) as queries:
        found = list(rows)
    assert {claim.pk for claim in found} == set(Claim.objects.values_list("pk", flat=True))
    assert " WHERE " not in queries[0]["sql"]
    assert len(queries) == 2  # the rows, then the prefetch
    with django_assert_num_queries(0):
        assert all(claim.letter.title for claim in found)  # select_related kept
        assert all(claim.search_rank == 0.5 for claim in found)  # annotation kept
        [list(claim.about.all()) for claim in found]  # prefetch kept
    assert not filtered.exists()  # the original keeps its filter


def test_set_prefetched_fills_a_to_many_relation_without_a_query(
    make_claim, actor, source, letter, django_assert_num_queries
):
    claim = Claim.objects.get(pk=make_claim().pk)
    then = [Actor(name="A party as it was named then", slug="then"), actor]  # need not be saved
    answers = [Response(claim=claim, actor=actor, source=source)]
    set_prefetched(claim, "about", then)  # a many-to-many field
    set_prefetched(claim, "responses", answers)  # a reverse foreign key (related_name)
    set_prefetched(letter, "sources", [])
    with django_assert_num_queries(0):
        assert list(claim.about.all()) == then  # in the order given
        assert claim.about.count() == 2
        assert list(claim.responses.all()) == answers
        assert claim.responses.exists()
        assert list(letter.sources.all()) == []


def test_foreign_key_to_is_the_one_djangos_admin_saves_inline_rows_by(shipped_letters):
    """history.admin finds it with public API (Model._meta) where Django has a private function."""
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root", password="a-long-passphrase-for-tests")
    checked = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        if not isinstance(model_admin, HistoryAdmin):
            continue
        obj = model._default_manager.first()
        for inline in model_admin.get_inline_instances(request, obj):
            assert foreign_key_to(model, inline) == inline.get_formset(request, obj).fk, inline
            checked += 1
    assert checked >= 6  # identifiers, recipients, requested actions, claims, responses, evidence
