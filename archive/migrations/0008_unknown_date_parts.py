"""A date part no source states is unknown: help texts, the "oldest first" index, and the
stored bounds of uncertain dates widened by their uncertainty (the edtf package's fuzzy
bounds: 2026?-02-11 is 2025-02-11 to 2027-02-11), so no filter, sort or export reads one
day where the date is not known. Each letter whose bounds change gets a history row.
"""

from django.db import migrations, models
from django.utils import timezone
from edtf import parse_edtf, struct_time_to_date

import archive.dates

UNCERTAIN_MARKS = ("?", "~", "%")


def widen_uncertain_bounds(apps, schema_editor):
    Letter = apps.get_model("archive", "Letter")
    HistoricalLetter = apps.get_model("archive", "HistoricalLetter")
    names = {field.attname for field in HistoricalLetter._meta.concrete_fields} - {"history_id"}
    for letter in Letter.objects.all():
        if not any(mark in letter.date_edtf for mark in UNCERTAIN_MARKS):
            continue
        parsed = parse_edtf(letter.date_edtf.strip())
        bounds = (
            struct_time_to_date(parsed.lower_fuzzy()),
            struct_time_to_date(parsed.upper_fuzzy()),
        )
        if bounds == (letter.date_earliest, letter.date_latest):
            continue
        letter.date_earliest, letter.date_latest = bounds
        letter.save(update_fields=["date_earliest", "date_latest"])
        values = {
            f.attname: getattr(letter, f.attname)
            for f in Letter._meta.concrete_fields
            if f.attname in names
        }
        HistoricalLetter.objects.create(
            **values,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason="Bounds widened by the date's uncertainty",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0007_stored_search_documents"),
    ]

    operations = [
        migrations.RunPython(widen_uncertain_bounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalletter",
            name="date_edtf",
            field=models.CharField(
                help_text="Extended Date/Time Format: 2026-01-04, XXXX-02-11 (year unknown: no source states it), 2026?-02-11 (year uncertain), 2026-02 (month only). Give no part a source does not state.",
                max_length=64,
                validators=[archive.dates.validate_edtf],
                verbose_name="date (EDTF)",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrequestedaction",
            name="summary",
            field=models.TextField(
                help_text="What is asked, worded to follow “The letter asks …”: “for a review of …”, “that the UN …”."
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="date_edtf",
            field=models.CharField(
                help_text="Extended Date/Time Format: 2026-01-04, XXXX-02-11 (year unknown: no source states it), 2026?-02-11 (year uncertain), 2026-02 (month only). Give no part a source does not state.",
                max_length=64,
                validators=[archive.dates.validate_edtf],
                verbose_name="date (EDTF)",
            ),
        ),
        migrations.AlterField(
            model_name="requestedaction",
            name="summary",
            field=models.TextField(
                help_text="What is asked, worded to follow “The letter asks …”: “for a review of …”, “that the UN …”."
            ),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(
                fields=["date_latest", "title", "id"], name="archive_letter_oldest_idx"
            ),
        ),
    ]
