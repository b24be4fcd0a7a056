"""The database itself refuses a quote that is not at its offsets in the source text.

PostgreSQL checks at commit (deferred), so these tests make constraints immediate;
SQLite checks as each row is written.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from archive.models import RequestedAction, Source

pytestmark = pytest.mark.django_db


def immediate_constraints():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_quote_moved_off_its_text_is_refused(letter, source):
    action = RequestedAction.objects.create(
        letter=letter, position=1, summary="x", source=source, quote_exact="asked for an inquiry"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        # Same length, so the CHECK constraint passes; only the trigger can tell.
        RequestedAction.objects.filter(pk=action.pk).update(
            quote_start=action.quote_start - 1, quote_end=action.quote_end - 1
        )


def test_a_quote_changed_without_re_anchoring_is_refused(letter, source):
    action = RequestedAction.objects.create(
        letter=letter, position=1, summary="x", source=source, quote_exact="asked for an inquiry"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        RequestedAction.objects.filter(pk=action.pk).update(quote_exact="asked for an inquirY")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite relies on the application re-anchoring"
)
def test_postgresql_refuses_a_source_text_change_that_leaves_a_quote_misplaced(letter, source):
    RequestedAction.objects.create(
        letter=letter, position=1, summary="x", source=source, quote_exact="asked for"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Source.objects.filter(pk=source.pk).update(text="Shifted. " + source.text)
