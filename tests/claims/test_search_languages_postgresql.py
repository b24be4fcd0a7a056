"""Full-text search on PostgreSQL parses each source's text, and its claims' quotes, as the
source's language: its own configuration where PostgreSQL ships one, `simple` otherwise."""

import pytest
from django.db import connection

from archive.languages import SEARCH_CONFIGURATIONS, search_configuration
from archive.models import Letter, Source
from claims.models import Claim

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]

FRENCH = "Les lettres demandent la reconnaissance des frontières."


def sql(query, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def stored_words(model, pk):
    """The lexemes of a row's stored vector, positions and weights left out."""
    return set(
        sql(
            f"SELECT tsvector_to_array(search_document) FROM {model._meta.db_table} WHERE id = %s",
            pk,
        )
    )


def test_the_database_and_the_code_name_the_same_configuration_for_every_tag():
    tags = [*SEARCH_CONFIGURATIONS, "ur", "fa", "pa-Arab", "EN-gb", "pt-BR", "", None]
    for tag in tags:
        assert sql("SELECT missive_search_config(%s)::text", tag) == search_configuration(tag), tag


def test_every_configuration_named_exists_in_postgresql():
    shipped = set(sql("SELECT array_agg(cfgname::text) FROM pg_ts_config"))
    assert set(SEARCH_CONFIGURATIONS.values()) | {"simple"} <= shipped


@pytest.fixture
def french_claim(shipped_letters):
    letter = Letter.objects.first()
    source = Source.objects.create(slug="rapport", title="Rapport", text=FRENCH, language="fr")
    letter.sources.add(source)
    claim = Claim.objects.filter(letter=letter).first()
    claim.source, claim.quote_exact = source, "reconnaissance des frontières"
    claim.quote_prefix = claim.quote_suffix = ""
    claim.quote_start = None
    claim.save()
    return claim


def test_a_french_source_is_stemmed_as_french_and_found_by_another_form(french_claim):
    words = stored_words(Source, french_claim.source_id)
    assert "fronti" in words  # French stems frontières so; English would keep "frontièr"
    assert not {"la", "des"} & words  # French stop words
    found = Claim.objects.search("frontière").get(pk=french_claim.pk)
    assert "\ue000frontières\ue001" in found.quote_exact_headline  # highlighted as French too
    assert french_claim.letter in Letter.objects.search("frontière")  # by its source's text


def test_the_statement_stays_english_while_the_quote_follows_its_source(french_claim):
    words = stored_words(Claim, french_claim.pk)
    assert "fronti" in words and "des" not in words  # the quote, as French
    assert "worsen" in words  # the statement, as English: "worsening" stemmed


def test_changing_a_source_s_language_reparses_its_text_and_its_claims_quotes(french_claim):
    source = french_claim.source
    source.language = "ur"  # wrong on purpose: no configuration, so `simple`
    source.save()

    assert {"frontières", "des"} <= stored_words(Source, source.pk)
    assert {"frontières", "des"} <= stored_words(Claim, french_claim.pk)
