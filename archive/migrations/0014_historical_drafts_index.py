"""An index of the history rows of drafts, for the public change record.

The change record leaves out letters deleted while drafts, found by their deletion row
(history_type "-", published false). Without an index that was a scan of every letter's
history on each cold render of the home page and the changes page: 3.5 ms at 20,000
letters. Partial, so it holds only drafts' rows: a handful. simple-history's models take
no Meta indexes, so the index is plain SQL (the same on PostgreSQL and SQLite).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("archive", "0013_letter_published")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX archive_historicalletter_drafts_idx "
            "ON archive_historicalletter (id) WHERE NOT published",
            "DROP INDEX archive_historicalletter_drafts_idx",
        )
    ]
