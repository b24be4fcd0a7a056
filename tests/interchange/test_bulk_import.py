"""Imports in bulk: one version per row written, nothing for rows left as they were, a number of
queries that does not grow with the file, and progress drawn only on a terminal."""

import io
import json

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response
from core.bulk import insert, insert_values
from core.progress import terminal_progress
from history.bulk import record_versions
from interchange.archive_export import write_archive
from interchange.importing import import_document
from interchange.synthetic import seed

pytestmark = pytest.mark.django_db

MODELS = (Source, Letter, Recipient, RequestedAction, Claim, Response, Evidence)


def exported():
    stream = io.StringIO()
    write_archive(stream)
    return json.loads(stream.getvalue())


def versions():
    return {model.__name__: model.history.count() for model in MODELS}


def synthetic_document(letters, claims):
    """A synthetic archive as an export file, and the database emptied of it."""
    seed(letters, claims, seed=7)
    document = exported()
    for model in reversed(MODELS):
        model.objects.all().delete()
        model.history.all().delete()
    return document


def test_every_row_an_import_creates_has_one_version_with_the_reason_and_its_links():
    document = synthetic_document(6, 40)

    import_document(document, reason="Restored from a backup")

    for model in MODELS:
        rows = model.objects.count()
        assert rows and model.history.count() == rows, model
        assert set(model.history.values_list("history_type", "history_change_reason")) == {
            ("+", "Restored from a backup")
        }, model
    for claim in Claim.objects.prefetch_related("about"):
        (version,) = claim.history.all()
        assert {party.actor_id for party in version.about.all()} == {
            actor.pk for actor in claim.about.all()
        }
    for letter in Letter.objects.prefetch_related("sources"):
        (version,) = letter.history.all()
        assert {link.source_id for link in version.sources.all()} == {
            source.pk for source in letter.sources.all()
        }


def test_an_import_that_changes_a_few_claims_writes_those_claims_and_their_versions_alone():
    document = synthetic_document(10, 100)
    import_document(document, reason="Restored")
    before = versions()
    letter = next(letter for letter in document["letters"] if len(letter["claims"]) >= 2)
    corrected, unlinked = letter["claims"][0], letter["claims"][1]
    assert unlinked["about"], "the synthetic claim names a party"
    corrected["statement"] = "A statement corrected by the editors."
    unlinked["about"] = []

    report = import_document(document, reason="Corrected two claims")

    assert report.created == {} and report.updated == {"claims": 2}
    assert versions() == {**before, "Claim": before["Claim"] + 2}
    for data in (corrected, unlinked):
        claim = Claim.objects.get(letter__slug=letter["slug"], key=data["key"])
        latest = claim.history.latest("history_id")
        assert (latest.history_type, latest.history_change_reason) == ("~", "Corrected two claims")
        assert latest.statement == data["statement"]
        assert sorted(party.actor.slug for party in latest.about.all()) == sorted(data["about"])
    assert not Claim.objects.get(letter__slug=letter["slug"], key=unlinked["key"]).about.exists()


def test_importing_the_same_file_again_writes_nothing():
    document = synthetic_document(6, 40)
    import_document(document)
    before = versions()

    with CaptureQueriesContext(connection) as queries:
        report = import_document(document)

    assert report.created == {} and report.updated == {}
    assert versions() == before
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
    ]
    # The revision number is the one row bumped: nothing else.
    assert all("core_revision" in sql for sql in writes), writes


def test_an_import_writes_in_batches_not_row_by_row():
    document = synthetic_document(40, 300)

    with CaptureQueriesContext(connection) as queries:
        report = import_document(document)

    written = sum(report.created.values())
    assert written > 700
    # Row by row, each row and its version would take two queries or more.
    assert len(queries) * 10 < written, len(queries)


def test_bulk_insert_gives_every_row_its_primary_key_as_saved():
    first = Source.objects.create(slug="first", title="First", text="Some text.")

    sources = insert(
        Source, [Source(slug=f"s{n}", title=f"S{n}", text=f"Text {n}.") for n in range(5)]
    )

    assert [source.pk for source in sources] == sorted(source.pk for source in sources)
    assert {source.pk: source.slug for source in sources} == dict(
        Source.objects.exclude(pk=first.pk).values_list("pk", "slug")
    )
    assert not any(source._state.adding for source in sources)


def test_a_version_written_in_bulk_holds_what_a_save_would_have_recorded():
    saved = Source(slug="saved", title="Saved", text="Some text.", original="sources/a.pdf")
    saved.save()
    bulk = Source(slug="bulk", title="Bulk", text="Some text.", original="sources/a.pdf")
    bulk.prepare_text()  # as the importer does: what save() would
    insert(Source, [bulk])
    when = saved.history.get().history_date

    [(row, history_id)] = record_versions(
        Source, [bulk], update=False, reason="Imported", when=when
    )

    fields = [field.attname for field in Source.history.model.tracked_fields]
    fields = [name for name in fields if name not in ("id", "slug", "title")] + ["history_type"]
    by_save = Source.history.filter(id=saved.pk).values(*fields).get()
    in_bulk = (
        Source.history.filter(history_id=history_id).values(*fields, "history_change_reason").get()
    )
    assert row == bulk.pk
    assert in_bulk.pop("history_change_reason") == "Imported"
    assert in_bulk == by_save
    assert in_bulk["original"] == "sources/a.pdf"


def test_rows_given_as_values_get_primary_keys_in_order():
    links = apps.get_model("claims", "HistoricalClaim_about")
    rows = [[n, 100 + n, 200 + n, 300 + n] for n in range(3)]

    ids = insert_values(links, ["id", "history_id", "claim_id", "actor_id"], rows)

    stored = links.objects.values_list("m2m_history_id", "id", "history_id", "claim_id", "actor_id")
    assert sorted(stored) == [(pk, *row) for pk, row in zip(ids, rows, strict=True)]


def test_rows_given_as_values_must_give_every_column():
    with pytest.raises(ValueError, match="kind"):
        insert_values(Source, ["slug", "title", "text"], [["v", "V", "Text."]])


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_drawn_on_a_terminal_and_nowhere_else():
    document = synthetic_document(6, 40)
    terminal, file = Terminal(), io.StringIO()

    import_document(document, progress=terminal_progress(stream=terminal))
    for model in reversed(MODELS):
        model.objects.all().delete()
    import_document(document, progress=terminal_progress(stream=file))

    drawn = terminal.getvalue()
    assert "Importing" in drawn and "0/6" in drawn
    assert file.getvalue() == ""
