"""The few private parts of Django that Missive relies on, each behind one function.

Django documents `QuerySet.query` as "an opaque object … not part of the public API",
and the prefetch cache of a model instance is undocumented. Where Missive needs one of
them and no public API does the same, it reaches it here and nowhere else;
tests/core/test_django_internals.py holds one test per function, named for it, which
fails when an upgrade of Django changes what the function relies on.
"""

from django.db.models.sql.where import WhereNode


def explicit_ordering(queryset):
    """The arguments of the queryset's last `order_by()`, in order: field names ("-created", "pk")
    or expressions; empty when none was given (the model's Meta.ordering is not included).

    Relies on `Query.order_by`, the tuple `QuerySet.order_by()` stores. Public API only says
    whether a queryset is ordered (`QuerySet.ordered`), not by what; keyset paging needs the
    fields themselves to build its cursors.
    """
    return tuple(queryset.query.order_by)


def output_field(queryset, path):
    """The model field (or an annotation's output field) that `path` names in the queryset:
    "created", "letter__date_earliest", "search_rank"; FieldError when it names nothing.

    Relies on `Query.resolve_ref(path).output_field`, which Django uses to resolve `F(path)`.
    Public API (`Model._meta.get_field`) finds a model's own fields only, not paths across
    relations nor annotations. Resolved on a copy: resolving a path sets up its joins.
    """
    return queryset.all().query.resolve_ref(path).output_field


def without_filters(queryset):
    """A copy of the queryset with its WHERE clause removed and everything else kept: joins,
    annotations (search ranks, headlines), select_related, prefetch_related, ordering.

    Relies on `Query.where` being the whole WHERE clause as one `WhereNode` tree, and on an
    empty `WhereNode` compiling to no WHERE. Public API can only add conditions (`filter`,
    `exclude`); starting again from the manager would lose the annotations.
    """
    rows = queryset.all()
    rows.query.where = WhereNode()
    return rows


def set_prefetched(instance, name, objects):
    """Make `instance.<name>.all()` (a to-many relation) return `objects` without a query,
    as `prefetch_related(name)` would have.

    Relies on what `prefetch_related` does with its results: a QuerySet whose `_result_cache`
    holds the objects and `_prefetch_done` is set, stored in the instance's
    `_prefetched_objects_cache` under the relation's accessor name (the field's name for a
    many-to-many field, the related_name for a reverse foreign key), which the related
    manager returns instead of querying. Public API (`prefetch_related_objects`, `Prefetch`)
    always reads the rows from the database; past versions are rebuilt from history rows.
    """
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
