"""Full-text search on PostgreSQL: websearch syntax, stemming, ranking, headlines and the GIN index."""
import pytest
from django.db import connection

from archive.models import Letter
from claims.models import Claim

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


def keys(queryset):
    return {claim.key for claim in queryset}


def test_search_matches_word_forms(shipped_letters):
    assert "forcibly-annexed-1948" in keys(Claim.objects.search("annexation"))


def test_search_ranks_statement_matches_first_and_marks_them_in_headlines(shipped_letters):
    results = list(Claim.objects.search("executions"))
    assert results[0].key == "iran-executions"
    assert "\ue000execut" in results[0].statement_headline


def test_claim_search_uses_its_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Claim.objects.search("pakistan").explain()
    assert "claims_claim_search_idx" in plan


def test_letter_source_text_search_uses_the_source_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "archive_source_search_idx" in Letter.objects.search("brussels").explain()
