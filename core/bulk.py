"""Inserting many rows at once: PostgreSQL's COPY, bulk_create elsewhere.

bulk_create builds one INSERT of thousands of placeholders, and compiling and binding it
costs more than the database's own work; COPY streams the rows instead, several times
faster. The rows take their ids from the table's own sequence first, so each object has
its primary key at once, as bulk_create gives it. Like bulk_create, this calls no save()
and sends no signals.
"""

from django.db import connections, router

BATCH = 2000  # rows per bulk_create where COPY is not available


def insert(model, objects):
    """Insert the unsaved `objects` of `model`; each gets its primary key. Returns them."""
    objects = list(objects)
    if not objects:
        return objects
    # The connection itself, not django.db.connection's proxy: it is asked for every value.
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=BATCH)
    opts = model._meta
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    fields = opts.concrete_fields
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                        for field in fields
                    ]
                )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects
