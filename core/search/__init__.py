"""Full-text search over any model: one entry point, one backend per database.

`full_text_search` gives the rows matching what a visitor typed (websearch syntax: words,
"phrases", -negation, `or`), on PostgreSQL ranked best first with highlighted headlines
(backends/postgres.py), on SQLite matched with icontains (backends/sqlite.py). Templates
highlight through `headlines.render_headline` or `headlines.mark_terms`, both of which escape.
"""

from . import backends
from .query import clean_query, parse_websearch

# The configuration the editors' own text (titles, summaries, statements) is parsed with.
EDITORS_CONFIGURATION = backends.postgres.CONFIG


def full_text_search(
    queryset,
    query,
    weighted_fields,
    headline_fields=(),
    also=None,
    stored=None,
    configurations=(EDITORS_CONFIGURATION,),
):
    """Rows matching a websearch query; on PostgreSQL best first, with `<field>_headline`s.

    `weighted_fields` are (field, weight A–D) pairs. `also(search_query)` may give more
    matching rows, as a queryset of their primary keys (letters one of whose sources' text
    matches, say). `stored` names a column kept equal to the weighted vector (PostgreSQL).
    `configurations` are the PostgreSQL text search configurations the stored texts were
    parsed with (or a function giving them, called on PostgreSQL alone).
    """
    query = clean_query(query)
    if not query or not parse_websearch(query):
        return queryset.none()
    backend = backends.for_queryset(queryset)
    return backend.search(
        queryset,
        query,
        weighted_fields,
        headline_fields,
        also=also,
        stored=stored,
        configurations=configurations,
    )


def source_text_matches(source_model, path_to_row):
    """For `also`: the rows (by primary key) one of whose sources' text matches."""

    def rows(search_query):
        sources = source_model.objects.filter(**{f"{path_to_row}__isnull": False})
        backend = backends.postgres if not isinstance(search_query, str) else backends.sqlite
        return backend.text_match(sources, search_query).order_by().values(path_to_row)

    return rows
