from django.db import migrations

from archive.migrations import _frozen as db_guards


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(db_guards.POSTGRES_FUNCTIONS, params=None)
    db_guards.add_quote_guard(schema_editor, "archive_requestedaction")
    db_guards.set_source_guard(schema_editor, ["archive_requestedaction"])


def backwards(apps, schema_editor):
    db_guards.set_source_guard(schema_editor, [])
    db_guards.remove_quote_guard(schema_editor, "archive_requestedaction")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(db_guards.POSTGRES_DROP_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
