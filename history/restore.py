"""Nothing is ever really gone: a deleted object comes back as its history last held it.

Deleting records a last historical version of the object (simple-history), and of every
row the deletion cascaded to. Restoring saves that version again under its old id, sets
its many-to-many links as they stood before the deletion, and brings back, the same way,
the rows deleted with it (its claims, responses, recipients…), all in one transaction
with the editor's reason. What cannot come back says why: its letter is deleted too,
another object now has its unique name, or it is already there.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from history.past import as_instance

# A cascade deletes a parent's rows moments before the parent: rows recorded as deleted
# this close to it were deleted with it.
DELETED_WITH_IT = timedelta(seconds=5)
LISTED = 200


class CannotRestore(Exception):
    pass


def concrete_fields(model):
    """The model's own columns, as the documented _meta API (get_fields) gives them."""
    return [
        field for field in model._meta.get_fields() if field.concrete and not field.many_to_many
    ]


def reverse_relations(model):
    """The relations other models hold to this one (ForeignKey and OneToOne pointing here)."""
    return [
        field for field in model._meta.get_fields() if field.auto_created and not field.concrete
    ]


def deleted(model, **lookups):
    """The deletion records of `model`'s objects that are gone, newest first, one per object."""
    pk = model._meta.pk.attname
    records = (
        model.history.model.objects.filter(history_type="-", **lookups)
        .exclude(**{f"{pk}__in": model._default_manager.values(pk)})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest = {}
    for record in records[: LISTED * 10]:
        latest.setdefault(getattr(record, pk), record)
    return list(latest.values())[:LISTED]


def with_parents(objects):
    """Attach each object's parents (its foreign keys' objects, theirs joined), a query per relation.

    What names a row may name its parent (a claim: its letter's sender): this names every row
    of a list without a query each, and names a row whose parent is deleted too, by the
    parent as its history last held it.
    """
    objects = list(objects)
    if not objects:
        return objects
    for field in concrete_fields(type(objects[0])):
        ids = (
            {getattr(obj, field.attname) for obj in objects} - {None}
            if field.many_to_one
            else set()
        )
        if not ids:
            continue
        parent = field.related_model
        grandparents = [f.name for f in concrete_fields(parent) if f.many_to_one]
        found = parent._default_manager.select_related(*grandparents).in_bulk(ids)
        if (gone := ids - found.keys()) and hasattr(parent, "history"):
            found.update(
                {
                    record.id: as_instance(record)
                    for record in parent.history.filter(id__in=gone).latest_of_each()
                }
            )
        for obj in objects:
            if getattr(obj, field.attname) in found:
                setattr(obj, field.name, found[getattr(obj, field.attname)])
    return objects


def restore(record, reason):
    """Restore the object a deletion record describes and the rows deleted with it; the number restored.

    What the database's own rules refuse (checked now, not at commit) is refused with its reason:
    a version saved before a rule existed may not meet it.
    """
    try:
        with transaction.atomic():
            restored = _restore(record, reason)
            if (
                connection.vendor == "postgresql"
            ):  # run the checks deferred to commit now, inside this block
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            return restored
    except IntegrityError as error:
        raise CannotRestore(
            f"It cannot come back as it was: the database refuses it ({error}).".replace("\n", " ")
        )


def _restore(record, reason):
    model = record.instance_type
    (obj,) = with_parents([as_instance(record)])
    label = f"{model._meta.verbose_name} “{obj}”"
    if model._default_manager.filter(pk=obj.pk).exists():
        raise CannotRestore(f"The {label} is already in the archive.")
    for field in concrete_fields(model):
        target = getattr(obj, field.attname) if field.many_to_one else None
        if (
            target is not None
            and not field.related_model._default_manager.filter(pk=target).exists()
        ):
            raise CannotRestore(
                f"The {label} cannot come back on its own: its {field.verbose_name} is deleted too. Restore that first."
            )
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as error:
        raise CannotRestore(f"The {label} cannot come back: " + " ".join(error.messages))
    obj._change_reason = reason
    obj.save(force_insert=True)
    _restore_links(obj, record.prev_record)
    return 1 + _restore_rows_deleted_with(obj, record, reason)


def _restore_links(obj, version):
    """Many-to-many links as the last version before the deletion had them (the deletion cleared them first)."""
    if version is None:
        return
    for field in obj._meta.many_to_many:
        snapshot = getattr(version, field.name, None)
        if snapshot is None or not hasattr(snapshot, "all"):
            continue  # not tracked by the history
        target = field.m2m_reverse_field_name()
        ids = [getattr(row, f"{target}_id") for row in snapshot.all()]
        getattr(obj, field.name).set(field.related_model._default_manager.filter(pk__in=ids))


def _restore_rows_deleted_with(obj, record, reason):
    window = {
        "history_date__gte": record.history_date - DELETED_WITH_IT,
        "history_date__lte": record.history_date + DELETED_WITH_IT,
    }
    pending = []
    for relation in reverse_relations(type(obj)):
        child = relation.related_model
        if (
            (
                relation.one_to_many or relation.one_to_one
            )  # a claim's link to its recurring assertion
            and relation.on_delete is models.CASCADE
            and hasattr(child, "history")
        ):
            pending += deleted(child, **{relation.field.attname: obj.pk}, **window)
    # A row may hang from two restored parents (a response from its letter and its claim):
    # restore in passes, each taking the rows whose parents are back.
    restored = 0
    while pending:
        waiting, reasons = [], []
        for child_record in pending:
            if child_record.instance_type._default_manager.filter(
                pk=as_instance(child_record).pk
            ).exists():
                continue  # brought back through its other parent
            try:
                with transaction.atomic():  # a refused row leaves nothing half-restored
                    restored += _restore(child_record, reason)
            except CannotRestore as error:
                waiting.append(child_record)
                reasons.append(str(error))
        if waiting and len(waiting) == len(pending):
            raise CannotRestore(
                f"{len(waiting)} row(s) deleted with it cannot come back. " + " ".join(reasons[:3])
            )
        pending = waiting
    return restored
