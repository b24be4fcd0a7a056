"""Inserting many rows at once: PostgreSQL's COPY, bulk_create elsewhere.

bulk_create builds one INSERT of thousands of placeholders, and compiling and binding it
costs more than the database's own work; COPY streams the rows instead, several times
faster. The rows take their ids from the table's own sequence first, so each object has
its primary key at once, as bulk_create gives it. Like bulk_create, this calls no save()
and sends no signals.
"""

from django.db import connections, models, router

BATCH = 2000  # rows per bulk_create where COPY is not available

# Fields whose Python value is what get_db_prep_save returns for it on PostgreSQL, so COPY
# takes the attribute as it is. Exact types: a subclass may convert (JSONField, a custom
# field), and so may a field that sets itself on save (auto_now): those go through Django.
AS_STORED = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.EmailField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
    models.URLField,
}


def as_stored(field):
    return type(field) in AS_STORED and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


def insert(model, objects):
    """Insert the unsaved `objects` of `model`; each gets its primary key. Returns them."""
    objects = list(objects)
    if not objects:
        return objects
    # The connection itself, not django.db.connection's proxy: it is asked for every value.
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=BATCH)
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    fields = model._meta.concrete_fields
    for obj, pk in zip(objects, new_ids(connection, model, len(objects)), strict=True):
        obj.pk = pk
    plain = [field.attname for field in fields if as_stored(field)]
    converted = [field for field in fields if not as_stored(field)]
    copy_rows(
        connection,
        model,
        plain + [field.attname for field in converted],
        (
            [getattr(obj, name) for name in plain]
            + [
                field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                for field in converted
            ]
            for obj in objects
        ),
    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def insert_values(model, names, rows):
    """Insert rows given as values of the fields `names` (attnames: every column but the primary
    key, so no default is left to guess), with no model instance built for each; returns the new
    primary keys, in order."""
    rows = list(rows)
    opts = model._meta
    if missing := {f.attname for f in opts.concrete_fields if not f.primary_key} - set(names):
        raise ValueError(
            f"insert_values({model.__name__}): no value for {', '.join(sorted(missing))}"
        )
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        return [obj.pk for obj in model.objects.bulk_create(objects, batch_size=BATCH)]
    pks = new_ids(connection, model, len(rows))
    fields = [opts.get_field(name) for name in names]
    converted = [(index, field) for index, field in enumerate(fields) if not as_stored(field)]
    if converted:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, field in converted:
                row[index] = field.get_db_prep_save(row[index], connection)
    copy_rows(
        connection,
        model,
        [opts.pk.attname, *names],
        ([pk, *row] for pk, row in zip(pks, rows, strict=True)),
    )
    return pks


def new_ids(connection, model, count):
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_rows(connection, model, names, rows):
    """COPY `rows` (lists of database values) into the columns of the fields `names`."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
