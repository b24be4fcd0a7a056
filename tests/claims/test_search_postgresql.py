"""Full-text search on PostgreSQL: websearch syntax, stemming, ranking, headlines and the GIN index."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from archive.models import Letter, Source
from claims.models import Claim
from core.search.backends.postgres import CONFIG

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


def plan_without_sequential_scans(queryset):
    """The plan PostgreSQL picks when an index can be used at all (tables here are tiny)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE archive_source, archive_letter, archive_letter_sources, claims_claim"
        )
        # Only bitmap scans left: a full scan of the primary key cannot pass for an index search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def test_claim_search_uses_its_gin_index(shipped_letters):
    assert "claims_claim_search_document_idx" in plan_without_sequential_scans(
        Claim.objects.search("pakistan")
    )


def test_source_text_search_uses_the_source_index(shipped_letters):
    # The very column Letter.objects.search() matches source texts on.
    sources = Source.objects.filter(
        search_document=SearchQuery("brussels", search_type="websearch", config=CONFIG)
    )
    assert "archive_source_search_document_idx" in plan_without_sequential_scans(sources)


def test_letter_search_finds_each_side_on_its_own_index(shipped_letters):
    """Title and summary, or a source's text: united, not ORed (an OR read every letter: 950 ms at 20,000),
    and no text parsed again: both sides match stored vectors."""
    plan = plan_without_sequential_scans(Letter.objects.search("brussels"))
    assert "archive_letter_search_document_idx" in plan
    assert "to_tsvector" not in plan


def test_stored_search_documents_follow_every_edit(shipped_letters):
    source = Source.objects.first()
    source.text += " Zanzibar."
    source.save()
    letter = source.letters.get()
    letter.summary += " Kilimanjaro."
    letter.save()
    assert (
        Source.objects.filter(search_document=SearchQuery("zanzibar", config=CONFIG)).get()
        == source
    )
    assert (
        Letter.objects.filter(search_document=SearchQuery("kilimanjaro", config=CONFIG)).get()
        == letter
    )
    assert letter in Letter.objects.search("zanzibar")
