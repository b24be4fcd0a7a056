"""Keyset pagination: a page starts after (or ends before) the last row another page showed.

Page 2,000 costs what page 1 costs, because the database seeks to the cursor on the
list's own index instead of counting past 100,000 rows; and a cited page keeps its
place when claims are added before it. A cursor is the sort key of a boundary row plus
its position in the list (for "claims 101–150"), as URL-safe base64 of JSON: opaque to
readers, checked on the way in, and a 400 saying so when it is not one of ours.

Counts: exact up to EXACT_COUNT_LIMIT rows; beyond that, on PostgreSQL, the planner's
estimate, which the page labels "about" (SQLite has none: it counts).
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q

from core.django_internals import explicit_ordering, output_field, without_filters

# Counting 2,000 matching rows costs a few milliseconds; 10,000 search matches cost 15.
EXACT_COUNT_LIMIT = 2_000


class BadCursor(ValueError):
    pass


def sort_key(queryset):
    """[(field path, descending)] of the queryset's ordering, which must be names ending in a unique key."""
    key = []
    for name in explicit_ordering(queryset):
        if not isinstance(name, str):
            raise TypeError("keyset pagination needs the ordering given as field names")
        key.append((name.lstrip("-"), name.startswith("-")))
    if not key or key[-1][0] not in ("pk", "id"):
        raise ValueError("a keyset ordering must end in the primary key")
    return key


def value_of(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def encode(values, position):
    data = json.dumps(
        [
            position,
            [value.isoformat() if hasattr(value, "isoformat") else value for value in values],
        ]
    )
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode(cursor, queryset, key):
    """(values, position) of a cursor, each value converted to its field's type, or BadCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position, raw = json.loads(
            base64.urlsafe_b64decode(padded.encode("ascii")),
            parse_constant=not_a_key,
            parse_float=finite,
        )
        if not isinstance(position, int) or position < 0 or len(raw) != len(key):
            raise ValueError
        values = [
            to_python(queryset, path, value) for (path, _), value in zip(key, raw, strict=False)
        ]
    except (
        ValueError,
        TypeError,
        OverflowError,  # 1e999 reads as infinity, which no integer key holds
        UnicodeError,
        binascii.Error,
        RecursionError,
        ValidationError,
    ):
        raise BadCursor(
            "This page link is damaged or out of date; start again from the first page."
        )
    return values, position


def not_a_key(name):
    """NaN, Infinity and -Infinity: Python's JSON reads them, no sort key holds them."""
    raise ValueError(name)


def has_surrogate(text):
    return any("\ud800" <= char <= "\udfff" for char in text)


def finite(literal):
    """A float a key can hold: 1e999 would read as infinity."""
    value = float(literal)
    if math.isinf(value):
        raise ValueError(literal)
    return value


def to_python(queryset, path, value):
    if value is None or isinstance(value, (list, dict, bool)):
        raise ValueError
    if isinstance(value, str) and ("\x00" in value or not value.isascii() and has_surrogate(value)):
        raise ValueError  # text PostgreSQL refuses, or that no encoding can send
    return output_field(queryset, path).to_python(value)


def after(key, values, reverse=False):
    """Rows strictly after the boundary row in the key's order (before it, with reverse).

    Written as a sargable bound on the first field (so the index can seek) and the
    lexicographic OR of the rest.
    """

    def beyond(path, descending):
        return f"{path}__{'lt' if descending != reverse else 'gt'}"

    condition = Q()
    for index, (path, descending) in enumerate(key):
        step = Q(**{beyond(path, descending): values[index]})
        for (previous, _), value in zip(key[:index], values, strict=False):
            step &= Q(**{previous: value})
        condition |= step
    first, descending = key[0]
    bound = Q(**{f"{first}__{'lte' if descending != reverse else 'gte'}": values[0]})
    return bound & condition


def reversed_ordering(key):
    return [F(path).asc() if descending else F(path).desc() for path, descending in key]


@dataclass
class KeysetPage:
    object_list: list
    start_index: int  # 1-based position of the first row
    has_previous: bool
    has_next: bool
    previous_cursor: str = ""
    next_cursor: str = ""
    count: int = 0
    count_is_estimate: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def end_index(self):
        return self.start_index + len(self.object_list) - 1

    def __len__(self):
        return len(self.object_list)


def first_rows(queryset, limit):
    """The queryset's first `limit` rows, in order: their keys picked by a narrow query, then loaded.

    Sorting only keys before the LIMIT is what makes a ranked search cheap: PostgreSQL sorts
    thousands of narrow rows instead of whole ones (figures in docs/performance.md).
    """
    keys = list(queryset.values_list("pk", flat=True)[:limit])
    # The filters found the keys; run again, a letter search's would read half the source texts.
    # Joins, annotations (ranks, headlines), select_related and prefetches stay.
    rows = without_filters(queryset.order_by())
    by_key = rows.filter(
        pk__in=keys
    ).in_bulk()  # by key: a join to a many-valued relation repeats nothing
    return [by_key[key] for key in keys if key in by_key]  # a row deleted in between is left out


def paginate(queryset, page_size, after_cursor="", before_cursor=""):
    """One page of the queryset, starting after `after_cursor` or ending before `before_cursor`."""
    key = sort_key(queryset)
    if after_cursor and before_cursor:
        raise BadCursor("Give either a next-page or a previous-page link, not both.")
    if before_cursor:
        values, position = decode(before_cursor, queryset, key)
        rows = first_rows(
            queryset.filter(after(key, values, reverse=True)).order_by(*reversed_ordering(key)),
            page_size + 1,
        )
        has_previous = len(rows) > page_size
        rows = rows[:page_size][::-1]
        start = max(1, position - len(rows))
        has_next = True
    else:
        position = 0
        if after_cursor:
            values, position = decode(after_cursor, queryset, key)
            queryset = queryset.filter(after(key, values))
        rows = first_rows(queryset, page_size + 1)
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        start = position + 1
        has_previous = bool(after_cursor)
    page = KeysetPage(rows, start, has_previous, has_next)
    if rows:
        if has_previous:
            page.previous_cursor = encode([value_of(rows[0], path) for path, _ in key], start)
        if has_next:
            page.next_cursor = encode(
                [value_of(rows[-1], path) for path, _ in key], start + len(rows) - 1
            )
    return page


def count(queryset):
    """(number of rows, whether it is an estimate): exact when cheap, else PostgreSQL's estimate.

    On PostgreSQL the planner's estimate comes first (a millisecond): when it is far above
    the limit it is the answer; otherwise the rows are counted, up to the limit.
    """
    queryset = queryset.order_by().values(
        "pk"
    )  # the filter counts; ranks and headlines need not be computed
    postgresql = connections[queryset.db].vendor == "postgresql"
    if postgresql and (estimate := planned_rows(queryset)) > 2 * EXACT_COUNT_LIMIT:
        return estimate, True
    capped = queryset[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return capped, False
    if not postgresql:
        return queryset.count(), False
    return max(estimate, EXACT_COUNT_LIMIT + 1), True


def planned_rows(queryset):
    """The row count PostgreSQL's planner expects the queryset to return."""
    plan = queryset.explain(format="json")
    if not plan:  # a filter that can match nothing (a search with no terms) is never run
        return 0
    plan = json.loads(plan)
    if isinstance(plan, list):  # as PostgreSQL writes it; Django flattens a parsed one to the dict
        plan = plan[0]
    return int(plan["Plan"]["Plan Rows"])


def cursor_at(queryset, position):
    """A cursor that opens the page starting at row `position` + 1 (for benchmarks and tests)."""
    key = sort_key(queryset)
    row = queryset[position - 1]
    return encode([value_of(row, path) for path, _ in key], position)
