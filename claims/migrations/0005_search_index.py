"""A GIN index for claim search on PostgreSQL, on the expression ClaimQuerySet.search uses."""

from django.db import migrations

from archive.migrations._frozen import CLAIM_FIELDS as SEARCH_FIELDS
from archive.migrations._frozen import add_search_index, remove_search_index, weighted_vector

NAME = "claims_claim_search_idx"


def add(apps, schema_editor):
    add_search_index(
        schema_editor, apps.get_model("claims", "claim"), NAME, weighted_vector(*SEARCH_FIELDS)
    )


def remove(apps, schema_editor):
    remove_search_index(
        schema_editor, apps.get_model("claims", "claim"), NAME, weighted_vector(*SEARCH_FIELDS)
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_editors_group"), ("archive", "0004_search_indexes")]
    operations = [migrations.RunPython(add, remove)]
