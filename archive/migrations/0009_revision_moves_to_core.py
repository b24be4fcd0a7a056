"""Revision now belongs to `core` (core.0001 took it over, table and rows unchanged)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0008_unknown_date_parts"),
        ("core", "0001_revision_moved_from_archive"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Revision")],
            database_operations=[],
        ),
    ]
