"""Claim search on PostgreSQL reads a stored vector, kept by a trigger, instead of re-parsing text.

Ranking 13,000 matching claims re-parsed each one's statement and quote: 400 ms. The
trigger fills `search_document` on every insert and on every update of either field,
whatever writes the row (the ORM, a bulk insert, psql). The GIN index moves from the
expression to the column.
"""

import django.contrib.postgres.search
from django.db import migrations

from archive.migrations._frozen import stored_vector_sql, weighted_vector

FIELDS = [("statement", "A"), ("quote_exact", "B")]
OLD_INDEX = "claims_claim_search_idx"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    forwards, _ = stored_vector_sql("claims_claim", "search_document", FIELDS)
    schema_editor.execute(forwards)
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _, backwards = stored_vector_sql("claims_claim", "search_document", FIELDS)
    schema_editor.execute(backwards)
    from django.contrib.postgres.indexes import GinIndex

    schema_editor.add_index(
        apps.get_model("claims", "claim"), GinIndex(weighted_vector(*FIELDS), name=OLD_INDEX)
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_search_index")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(add, remove),
    ]
