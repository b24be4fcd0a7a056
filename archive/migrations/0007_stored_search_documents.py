"""Letter and source search on PostgreSQL read stored vectors, kept by triggers, as claim search does.

Searching 20,000 letters re-parsed every title and summary (the match sat in an OR with
the source-text match, so no index served it): 950 ms. A phrase search re-parsed every
candidate source's full text to check word order: 330 ms for 1,150 sources. The
triggers fill `search_document` on every insert and on every update of the fields it
is made of; the GIN indexes move from the expressions to the columns.
"""

import django.contrib.postgres.search
from django.db import migrations

from archive.migrations._frozen import (
    LETTER_FIELDS,
    SOURCE_FIELDS,
    SOURCE_TEXT_VECTOR,
    stored_vector_sql,
    weighted_vector,
)

STORED = [
    # model, table, weighted fields, the expression index the column replaces, that expression
    (
        "letter",
        "archive_letter",
        LETTER_FIELDS,
        "archive_letter_search_idx",
        weighted_vector(*LETTER_FIELDS),
    ),
    ("source", "archive_source", SOURCE_FIELDS, "archive_source_search_idx", SOURCE_TEXT_VECTOR),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, table, fields, old_index, _ in STORED:
        forwards, _ = stored_vector_sql(table, "search_document", fields)
        schema_editor.execute(forwards)
        schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    for model, table, fields, old_index, expression in STORED:
        _, backwards = stored_vector_sql(table, "search_document", fields)
        schema_editor.execute(backwards)
        schema_editor.add_index(
            apps.get_model("archive", model), GinIndex(expression, name=old_index)
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_list_order_indexes")]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="source",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(add, remove),
    ]
