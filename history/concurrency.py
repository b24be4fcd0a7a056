"""No lost updates in the admin: a save made from a form older than the object is refused.

A change form carries the version it was opened at: the latest history id of the object
and of each kind of row edited with it (its inlines). On save, inside the admin's
transaction and with the object's row locked, the version is read again. If another editor
saved in between, the form comes back with what they changed and the editor's own input
intact, and nothing is written: theirs stands, and this one's is still on the screen.
"""

import re

from django.db.models import Max

VERSION = re.compile(r"[0-9]{1,18}(\.[0-9]{1,18})*")


def latest_history_id(history_rows):
    return history_rows.aggregate(latest=Max("history_id"))["latest"] or 0


def version_of(instance, edited_with=()):
    """ "12.40.7": the object's latest history id, then its inline rows' (by model and foreign key)."""
    ids = [latest_history_id(instance.history.all())]
    for model, foreign_key in edited_with:
        ids.append(
            latest_history_id(
                model.history.model.objects.filter(**{foreign_key.attname: instance.pk})
            )
        )
    return ".".join(str(id) for id in ids)


def is_version(value, parts):
    """Whether `value` is a version as version_of writes it, with `parts` history ids."""
    return bool(VERSION.fullmatch(value)) and value.count(".") == parts - 1


def lock(instance):
    """Hold the object's row until the transaction ends, so two saves cannot both pass the check."""
    type(instance)._default_manager.select_for_update().filter(pk=instance.pk).values_list(
        "pk"
    ).first()


def editor_name(record):
    user = record.history_user
    return (user.get_full_name() or "another editor") if user else "an import or a script"


def describe_conflict(instance, seen, current, edited_with=()):
    """What the other editor did since `seen`: who, when, why, and which fields and rows changed."""
    opts = instance._meta
    seen_ids, current_ids = seen.split("."), current.split(".")
    latest = instance.history.order_by("-history_id").first()
    lines = [
        f"Someone else saved this {opts.verbose_name} after you opened it: {editor_name(latest)}, "
        f"{latest.history_date:%d %B %Y at %H:%M} UTC"
        + (
            f", giving the reason “{latest.history_change_reason}”."
            if latest.history_change_reason
            else "."
        )
    ]
    earlier = (
        instance.history.filter(history_id=seen_ids[0]).first()
        if seen_ids[0] != current_ids[0]
        else None
    )
    if earlier is not None:
        for change in latest.diff_against(earlier).changes:
            field = opts.get_field(change.field)
            if field.many_to_many:
                lines.append(f"They changed {field.verbose_name}.")
            else:
                lines.append(
                    f"They changed {field.verbose_name}: “{_short(change.old)}” → “{_short(change.new)}”."
                )
    for (model, _), before, after in zip(edited_with, seen_ids[1:], current_ids[1:], strict=False):
        if before != after:
            lines.append(f"They changed its {model._meta.verbose_name_plural}.")
    lines.append(
        "Nothing of yours was saved, and your changes are still in the form below. Copy what you need, "
        "reload the page to see their version, and make your changes again."
    )
    return lines


def _short(value, limit=120):
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
