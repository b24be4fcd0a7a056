"""Versions of rows written in bulk, as a save would have recorded them.

A bulk write calls no save(), so simple-history records nothing: the writer calls
`record_versions` with the rows as they now are, and `record_links` copies each row's
many-to-many links into its new version, as simple-history does on a save (a version
without them would read as, say, a claim about nobody in its past versions).
"""

from django.apps import apps

from core.bulk import insert


def record_versions(model, rows, *, update, reason, when):
    """One version of each row, "+" (created) or "~" (changed), with the reason and the
    signed-in editor, if any. Returns the versions, saved."""
    history = model.history.model
    fields = [field.attname for field in history.tracked_fields]
    versions = []
    for row in rows:
        version = history(
            history_date=when,
            history_user=history.get_default_history_user(row),
            history_change_reason=reason,
            history_type="~" if update else "+",
            **{name: getattr(row, name) for name in fields},
        )
        versions.append(version)
    return insert(history, versions)


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
    return insert(
        snapshot,
        [
            snapshot(**{"id": link, "history_id": version_of[owner], mine: owner, theirs: target})
            for link, owner, target in links
        ],
    )
