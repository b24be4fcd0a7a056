"""Revision moved from `archive` to `core` (the page cache's row): the table stays as it is.

Only Django's idea of which app owns the model changes; `archive.0009` removes it from
`archive`'s state after this adds it to `core`'s. Runs after every migration that read
`archive.Revision`, so none of them finds it gone.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("archive", "0008_unknown_date_parts"),
        ("claims", "0011_status_basis_guards"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Revision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.BigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "archive_revision"},
                ),
            ],
            database_operations=[],
        ),
    ]
