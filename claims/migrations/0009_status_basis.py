"""Every status says whose it is (its basis): the new columns. Data and guards follow in
0010 and 0011, each its own transaction, so PostgreSQL never alters a table with trigger
events still pending from the data step.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0007_stored_search_documents"),
        ("claims", "0008_reviewers_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="verificationstatus",
            name="claims_status_rating_1_to_5",
        ),
        migrations.AddField(
            model_name="claim",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="For the editors' own assessment: the editor who set it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviewed_claims",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewing editor",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="status_quote",
            field=models.TextField(
                blank=True,
                help_text="Copied exactly from that source, e.g. “These claims could not be independently verified.”",
                verbose_name="the source's words",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="status_source",
            field=models.ForeignKey(
                blank=True,
                help_text="For a status a source reports: the source that says it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_reports",
                to="archive.source",
                verbose_name="source reporting the status",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="For the editors' own assessment: the editor who set it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewing editor",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="status_quote",
            field=models.TextField(
                blank=True,
                help_text="Copied exactly from that source, e.g. “These claims could not be independently verified.”",
                verbose_name="the source's words",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="status_source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="For a status a source reports: the source that says it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="archive.source",
                verbose_name="source reporting the status",
            ),
        ),
        migrations.AddField(
            model_name="historicalverificationstatus",
            name="basis",
            field=models.CharField(
                choices=[
                    ("none", "Nobody's yet"),
                    ("source", "A source's report"),
                    ("response", "A party's response"),
                    ("editors", "The editors' own assessment"),
                    ("classification", "The editors' classification"),
                ],
                default="none",
                help_text="Whose the status is, and so what a claim must have to take it. Cannot change while in use.",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="verificationstatus",
            name="basis",
            field=models.CharField(
                choices=[
                    ("none", "Nobody's yet"),
                    ("source", "A source's report"),
                    ("response", "A party's response"),
                    ("editors", "The editors' own assessment"),
                    ("classification", "The editors' classification"),
                ],
                default="none",
                help_text="Whose the status is, and so what a claim must have to take it. Cannot change while in use.",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="historicalverificationstatus",
            name="description",
            field=models.TextField(
                help_text="What the status records, shown on the public vocabulary page."
            ),
        ),
        migrations.AlterField(
            model_name="historicalverificationstatus",
            name="rating_value",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="ratingValue on a 1 (worst) to 5 (best) scale, only for the editors' own assessments and only if the editors adopt such a scale; leave empty otherwise (ClaimReview then carries the label alone).",
                null=True,
                verbose_name="ClaimReview rating",
            ),
        ),
        migrations.AlterField(
            model_name="verificationstatus",
            name="description",
            field=models.TextField(
                help_text="What the status records, shown on the public vocabulary page."
            ),
        ),
        migrations.AlterField(
            model_name="verificationstatus",
            name="rating_value",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="ratingValue on a 1 (worst) to 5 (best) scale, only for the editors' own assessments and only if the editors adopt such a scale; leave empty otherwise (ClaimReview then carries the label alone).",
                null=True,
                verbose_name="ClaimReview rating",
            ),
        ),
    ]
