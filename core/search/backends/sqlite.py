"""Search on SQLite: the websearch syntax matched with icontains, a simpler match with the
same interface as PostgreSQL's (no ranking: rows keep the queryset's order)."""

from collections.abc import Sequence

from django.db.models import Q

from ..query import parse_websearch


def websearch_q(fields: Sequence[str], query: str) -> Q | None:
    """A Q matching rows where the query holds in any of fields; None when there is nothing to search."""
    groups = parse_websearch(query)
    if not groups or not fields:
        return None
    result = None
    for group in groups:
        conditions = Q()
        for term in group:
            found = Q()
            for field in fields:
                found |= Q(**{f"{field}__icontains": term.text})
            conditions &= ~found if term.negated else found
        result = conditions if result is None else result | conditions
    return result


def search(
    queryset,
    query,
    weighted_fields,
    headline_fields=(),
    also=None,
    stored=None,
    configurations=None,  # PostgreSQL's text search configurations: nothing to parse here
):
    match = websearch_q([field for field, _ in weighted_fields], query)
    if match is None:
        return queryset.none()
    if also is not None:
        match |= Q(pk__in=also(query))
    return queryset.filter(match)


def text_match(rows, query):
    """For `also`: the rows whose `text` matches."""
    match = websearch_q(["text"], query)
    return rows.filter(match) if match is not None else rows.none()
