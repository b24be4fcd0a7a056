"""Every filter and sort of the list pages is served by an index (PostgreSQL's EXPLAIN says which).

A synthetic archive of 3,000 claims is seeded and analysed, sequential scans are priced
out (`enable_seqscan = off`: the planner still falls back to one when no index fits), and
each page's query, exactly as the view runs it, must scan no big table whole and, for
the orders and filters an index was made for, name it. (Deep pages seek on the same
indexes: the benchmark's page 2,000.) One test for all, so the archive is seeded once; a failure
lists every query that missed.
"""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory

from archive.models import Actor, Letter
from archive.views import ActorListView, LetterListView
from claims.views import ClaimListView
from interchange.synthetic import seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]

BIG_TABLES = [
    "claims_claim",
    "archive_letter",
    "archive_actor",
    "claims_response",
    "claims_claim_about",
    "archive_recipient",
]


def page_query(view_class, query):
    """The first page's query of the view for the query string, filtered and ordered as the view does."""
    request = RequestFactory().get("/", QueryDict(query))
    view = view_class()
    view.setup(request)
    filterset = view.get_filterset(view.get_filterset_class())
    assert not filterset.is_bound or filterset.is_valid(), filterset.errors
    return filterset.qs[: view.paginate_by + 1]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_every_filter_and_sort_uses_an_index():
    seed(300, 3000, seed=7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    actor = Actor.objects.filter(claims_about__isnull=False).order_by("pk").first()
    responder = Actor.objects.filter(responses__claim__isnull=False).order_by("pk").first()
    letter = Letter.objects.order_by("pk").first()
    sender = Letter.objects.order_by("pk").first().sender
    expected = [
        # (view, query string, the index that must give the order or find the rows; None: any index)
        (
            ClaimListView,
            "",
            "archive_letter_date_idx",
        ),  # letters newest first, each letter's claims in order
        (ClaimListView, "sort=oldest", "archive_letter_oldest_idx"),
        (ClaimListView, "sort=recently-reviewed", "claims_claim_reviewed_idx"),
        (ClaimListView, "sort=status", None),  # sorted after the join: see docs/performance.md
        (ClaimListView, "status=disputed", None),
        (ClaimListView, "kind=statistical", None),
        (ClaimListView, f"letter={letter.slug}", "claims_claim_letter"),
        (ClaimListView, f"about={actor.slug}", "claims_claim_about"),
        (ClaimListView, f"responder={responder.slug}&stance=opposes", "claims_response"),
        (ClaimListView, "stance=denies", "claims_response"),
        (ClaimListView, "date_from=2010-01-01&date_to=2010-12-31", "archive_letter_date_idx"),
        # Search: at 3,000 claims the planner filters while walking an order instead; the GIN index is
        # checked with bitmap scans only in claims/test_search_postgresql.py.
        (ClaimListView, "q=fishermen", None),
        (LetterListView, "", "archive_letter_list_idx"),
        (LetterListView, "sort=oldest", "archive_letter_oldest_idx"),
        (LetterListView, "sort=title", "archive_letter_title_idx"),
        (LetterListView, f"sender={sender.slug}", "archive_letter"),
        (LetterListView, f"recipient={actor.slug}", "archive_recipient"),
        (LetterListView, "date_from=2010-01-01&date_to=2010-12-31", "archive_letter_date_idx"),
        (
            ActorListView,
            "",
            None,
        ),  # 25 actors: sorting them is cheaper than an index, the planner says
        (ActorListView, "kind=person", "archive_actor_kind_name_idx"),
    ]
    missed = []
    for view, query, index in expected:
        text = plan(page_query(view, query))
        whole = [table for table in BIG_TABLES if f"Seq Scan on {table}" in text]
        if (index is not None and not re.search(rf"(using|Index Scan on) {index}", text)) or whole:
            missed.append(
                f"{view.__name__} ?{query}: wanted {index}"
                + (f", scans {', '.join(whole)} whole" if whole else "")
                + f"\n{text}\n"
            )
    assert not missed, "\n".join(missed)
