"""GIN indexes for full-text search on PostgreSQL, on the very expressions searches use.

SQLite has no tsvector: there the migration does nothing and search uses icontains.
"""

from django.db import migrations

from archive.migrations._frozen import (
    LETTER_FIELDS,
    SOURCE_TEXT_VECTOR,
    add_search_index,
    remove_search_index,
    weighted_vector,
)

INDEXES = [
    ("letter", "archive_letter_search_idx", weighted_vector(*LETTER_FIELDS)),
    ("source", "archive_source_search_idx", SOURCE_TEXT_VECTOR),
]


def add(apps, schema_editor):
    for model, name, vector in INDEXES:
        add_search_index(schema_editor, apps.get_model("archive", model), name, vector)


def remove(apps, schema_editor):
    for model, name, vector in INDEXES:
        remove_search_index(schema_editor, apps.get_model("archive", model), name, vector)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_letter_date_help")]
    operations = [migrations.RunPython(add, remove)]
