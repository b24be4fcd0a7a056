"""Versions of rows written in bulk, as a save would have recorded them.

A bulk write calls no save(), so simple-history records nothing: the writer calls
`record_versions` with the rows as they now are, and `record_links` copies each row's
many-to-many links into its new version, as simple-history does on a save (a version
without them would read as, say, a claim about nobody in its past versions).
"""

from django.apps import apps

from core.bulk import as_stored, insert_values

HISTORY_FIELDS = ["history_date", "history_user_id", "history_change_reason", "history_type"]


def record_versions(model, rows, *, update, reason, when):
    """One version of each row, "+" (created) or "~" (changed), with the reason and the
    signed-in editor, if any. Returns (row id, version's history_id) pairs, in order."""
    history = model.history.model
    fields = [field.attname for field in history.tracked_fields]
    # A version may keep a value in another type (a file as its name): the row's own field says
    # what that value is in the database.
    own = [model._meta.get_field(name) for name in fields]
    readers = [
        (name, None if as_stored(field) else field.get_prep_value)
        for name, field in zip(fields, own, strict=True)
    ]
    history_type = "~" if update else "+"
    # The signed-in editor, if any, is the same for every row of one write (simple-history asks the
    # request for it, slowly): only a row given its own _history_user differs.
    editor = history.get_default_history_user(model())
    values = []
    for row in rows:
        user = row._history_user if hasattr(row, "_history_user") else editor
        values.append(
            [
                *(
                    getattr(row, name) if prepare is None else prepare(getattr(row, name))
                    for name, prepare in readers
                ),
                when,
                getattr(user, "pk", None),
                reason,
                history_type,
            ]
        )
    history_ids = insert_values(history, [*fields, *HISTORY_FIELDS], values)
    return [(row.pk, history_id) for row, history_id in zip(rows, history_ids, strict=True)]


def record_links(model, field_name, version_of):
    """Copy each row's current `field_name` links into its version: `version_of` maps a row's
    id to the history_id of the version to complete."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    mine, theirs = field.m2m_column_name(), field.m2m_reverse_name()
    snapshot = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field_name}")
    links = through.objects.filter(**{f"{mine}__in": list(version_of)}).values_list(
        "pk", mine, theirs
    )
    return insert_values(
        snapshot,
        ["id", "history_id", mine, theirs],
        [[link, version_of[owner], owner, target] for link, owner, target in links],
    )
