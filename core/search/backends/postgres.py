"""Search on PostgreSQL, the way djangoproject.com's docs search does it.

A weighted `to_tsvector` (stored in a column a trigger keeps, GIN-indexed), queried
with `websearch_to_tsquery`, ranked with `ts_rank` and highlighted with `ts_headline`.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast

from ..headlines import HEADLINE_START, HEADLINE_STOP

CONFIG = "english"  # the editors' own text: titles, summaries, statements


def weighted_vector(*weighted_fields):
    """SearchVector("a", weight="A") + SearchVector("b", weight="B")…; the index uses the same expression."""
    vectors = [
        SearchVector(field, weight=weight, config=CONFIG) for field, weight in weighted_fields
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def headline(field, query):
    # HighlightAll keeps the whole text as written; in fragment mode ts_headline drops
    # tag-like text and edge words, which would misquote a statement.
    return SearchHeadline(
        field,
        query,
        config=CONFIG,
        start_sel=HEADLINE_START,
        stop_sel=HEADLINE_STOP,
        highlight_all=True,
    )


def parsed_query(query, configurations):
    """The query parsed by each configuration the texts were, any of them matching.

    A stored vector mixes configurations (an English statement beside an Urdu quote), so
    each word is looked up as every configuration in use would have stored it.
    """
    combined = None
    for config in configurations:
        parsed = SearchQuery(query, search_type="websearch", config=config)
        combined = parsed if combined is None else combined | parsed
    return combined


def search(
    queryset,
    query,
    weighted_fields,
    headline_fields=(),
    also=None,
    stored=None,
    configurations=(CONFIG,),
):
    """Matching rows, best first, with `<field>_headline`s and a `search_rank`.

    With `also`, the two sets are found each on its own index and united: an OR of the
    two made PostgreSQL parse every row's text. `stored` names a column a trigger keeps
    equal to the weighted vector: ranking reads it instead of re-parsing each row's text.
    Headlines parse the text as English: the query holds each word as every configuration in
    use parses it, English included, so a quote in another language is marked too.
    """
    if callable(configurations):  # asked only here: SQLite has no configurations to read
        configurations = configurations()
    search_query = parsed_query(query, configurations)
    vector = F(stored) if stored else weighted_vector(*weighted_fields)
    match = Q(search_vector=search_query)
    queryset = queryset.alias(search_vector=vector)
    if also is None:
        queryset = queryset.filter(match)
    else:
        own = (
            queryset.model._base_manager.alias(search_vector=vector)
            .filter(match)
            .order_by()
            .values("pk")
        )
        queryset = queryset.filter(pk__in=own.union(also(search_query)))
    return queryset.annotate(
        # ts_rank is a float4; as float8 it reaches Python exactly, so a page link can continue after it.
        search_rank=Cast(SearchRank(vector, search_query), FloatField()),
        **{f"{field}_headline": headline(field, search_query) for field in headline_fields},
    ).order_by("-search_rank", "pk")


def text_match(rows, search_query):
    """For `also`: the rows whose stored `search_document` matches."""
    return rows.filter(search_document=search_query)
