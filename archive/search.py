"""Full-text search, the way djangoproject.com's docs search does it.

PostgreSQL: a weighted `to_tsvector` (GIN-indexed by a migration), queried with
`websearch_to_tsquery`, ranked with `ts_rank` and highlighted with `ts_headline`.
SQLite: the same websearch syntax, matched with `icontains` (archive/search_text.py).
Both return the same queryset interface; templates highlight through
`search_text.render_headline` or `search_text.mark_terms`, both of which escape.
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast

from .search_text import HEADLINE_START, HEADLINE_STOP, MAX_QUERY_LENGTH, websearch_q

CONFIG = "english"
LETTER_FIELDS = [("title", "A"), ("summary", "B")]
SOURCE_FIELDS = [("text", "D")]  # D is an unweighted vector's weight: the same vector as SOURCE_TEXT_VECTOR
SOURCE_TEXT_VECTOR = SearchVector("text", config=CONFIG)  # the expression the stored one replaced (migrations)


def weighted_vector(*weighted_fields):
    """SearchVector("a", weight="A") + SearchVector("b", weight="B")…; the index uses the same expression."""
    vectors = [SearchVector(field, weight=weight, config=CONFIG) for field, weight in weighted_fields]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def on_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def clean_query(query):
    return (query or "").replace("\x00", " ")[:MAX_QUERY_LENGTH].strip()


def headline(field, query):
    # HighlightAll keeps the whole text as written; in fragment mode ts_headline drops
    # tag-like text and edge words, which would misquote a statement.
    return SearchHeadline(
        field, query, config=CONFIG, start_sel=HEADLINE_START, stop_sel=HEADLINE_STOP, highlight_all=True
    )


def full_text_search(queryset, query, weighted_fields, headline_fields=(), also=None, stored=None):
    """Rows matching a websearch query; on PostgreSQL best first, with `<field>_headline`s.

    `also(search_query)` may give more matching rows, as a queryset of their primary keys
    (letters one of whose sources' text matches, say); it gets a SearchQuery on PostgreSQL
    and the query string elsewhere. On PostgreSQL the two sets are found each on its own
    index and united: an OR of the two made it parse every row's text (950 ms at 20,000 letters).
    `stored` names a column a database trigger keeps equal to the weighted vector: ranking
    reads it instead of re-parsing every matching row's text (400 ms for 13,000 claims).
    """
    query = clean_query(query)
    postgresql = on_postgresql(queryset)
    if postgresql:
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        vector = F(stored) if stored else weighted_vector(*weighted_fields)
        match = Q(search_vector=search_query)
    else:
        search_query = query
        match = websearch_q([field for field, _ in weighted_fields], query)
    if not query or match is None:
        return queryset.none()
    if not postgresql:
        if also is not None:
            match |= Q(pk__in=also(search_query))
        return queryset.filter(match)
    queryset = queryset.alias(search_vector=vector)
    if also is None:
        queryset = queryset.filter(match)
    else:
        own = queryset.model._base_manager.alias(search_vector=vector).filter(match).order_by().values("pk")
        queryset = queryset.filter(pk__in=own.union(also(search_query)))
    return queryset.annotate(
        # ts_rank is a float4; as float8 it reaches Python exactly, so a page link can continue after it.
        search_rank=Cast(SearchRank(vector, search_query), FloatField()),
        **{f"{field}_headline": headline(field, search_query) for field in headline_fields},
    ).order_by("-search_rank", "pk")


def source_text_matches(source_model, path_to_row):
    """For `also`: the rows (by primary key) one of whose sources' text matches."""

    def rows(search_query):
        sources = source_model.objects.filter(**{f"{path_to_row}__isnull": False})
        if isinstance(search_query, str):
            text_match = websearch_q(["text"], search_query)
            sources = sources.filter(text_match) if text_match is not None else sources.none()
        else:
            sources = sources.filter(search_document=search_query)
        return sources.order_by().values(path_to_row)

    return rows


def add_search_index(schema_editor, model, name, vector):
    """For migrations: a GIN index on exactly the expression searches filter on (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, GinIndex(vector, name=name))


def remove_search_index(schema_editor, model, name, vector):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, GinIndex(vector, name=name))


def stored_vector_sql(table, column, weighted_fields):
    """SQL (PostgreSQL) for a trigger that keeps `column` equal to the weighted vector of the fields,
    a backfill, and a GIN index on it; and the SQL that undoes it."""
    expression = " || ".join(
        f"setweight(to_tsvector('{CONFIG}', COALESCE(NEW.{field}, '')), '{weight}')" for field, weight in weighted_fields
    )
    fields = ", ".join(field for field, _ in weighted_fields)
    function, index = f"{table}_{column}_update", f"{table}_{column}_idx"
    forwards = f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.{column} := {expression}; RETURN NEW; END $$;
        CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {fields} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
        UPDATE {table} SET {column} = {expression.replace("NEW.", "")};
        SET CONSTRAINTS ALL IMMEDIATE;  -- an index cannot be built with foreign-key checks pending
        CREATE INDEX {index} ON {table} USING gin ({column});
    """
    backwards = f"""
        DROP INDEX IF EXISTS {index};
        DROP TRIGGER IF EXISTS {function} ON {table};
        DROP FUNCTION IF EXISTS {function}();
    """
    return forwards, backwards
