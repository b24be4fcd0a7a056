"""An archive made before statuses had a basis upgrades with its data: every claim keeps its
status only with the basis it needs, and each change is in the history with its reason.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0008_reviewers_group"), ("archive", "0007_stored_search_documents")]
AFTER = [("claims", "0011_status_basis_guards"), ("archive", "0009_revision_moves_to_core")]
CAVEAT = "Nobody could verify it."
TEXT = f"The sender says the river rose. {CAVEAT} The sender says the dam broke. It asks for an inquiry."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_archive(transactional_db):
    """The archive as the previous release kept it: a reported status resting on "context" evidence,
    an assessment first set by Ada then edited by Ben, a reported status with no caveat at all."""
    try:
        build_old_archive(migrate(BEFORE))
        yield
    finally:
        # Leave the schema as the other tests expect it, whatever happened: every app at its latest.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def build_old_archive(apps):
    # Transactional tests before this one may have flushed the vocabulary: seed it as that release did.
    importlib.import_module("claims.migrations.0002_seed_statuses").seed(apps, None)
    User = apps.get_model("auth", "User")
    ada = User.objects.create(username="ada", first_name="Ada")
    ben = User.objects.create(username="ben", first_name="Ben")
    Actor, Source, Letter = (
        apps.get_model("archive", name) for name in ("Actor", "Source", "Letter")
    )
    Claim, Evidence, HistoricalClaim = (
        apps.get_model("claims", name) for name in ("Claim", "Evidence", "HistoricalClaim")
    )
    status = {s.slug: s for s in apps.get_model("claims", "VerificationStatus").objects.all()}
    sender = Actor.objects.create(name="Sender", slug="sender", kind="person")
    source = Source.objects.create(title="A report", slug="report", text=TEXT)
    letter = Letter.objects.create(
        title="A letter",
        slug="letter",
        date_edtf="2026?-02-11",
        sender=sender,
        summary="s",
        date_earliest="2026-02-11",
        date_latest="2026-02-11",
    )
    apps.get_model("archive", "RequestedAction").objects.create(
        letter=letter,
        position=1,
        summary="an inquiry",
        source=source,
        quote_exact="asks for an inquiry",
        quote_start=TEXT.index("asks for an inquiry"),
        quote_end=TEXT.index("asks for an inquiry") + 19,
    )

    def claim(key, quote, slug, **fields):
        start = TEXT.index(quote)
        return Claim.objects.create(
            letter=letter,
            key=key,
            statement=f"{key}.",
            kind=fields.pop("kind", "factual"),
            status=status[slug],
            source=source,
            quote_exact=quote,
            quote_start=start,
            quote_end=start + len(quote),
            **fields,
        )

    reported = claim("reported", "the river rose", "unverified")
    Evidence.objects.create(
        claim=reported,
        relation="context",
        source=source,
        quote_exact=CAVEAT,
        quote_start=TEXT.index(CAVEAT),
        quote_end=TEXT.index(CAVEAT) + len(CAVEAT),
    )
    assessed = claim("assessed", "the dam broke", "unassessed")
    Evidence.objects.create(
        claim=assessed,
        relation="supports",
        source=source,
        quote_exact=CAVEAT,
        quote_start=TEXT.index(CAVEAT),
        quote_end=TEXT.index(CAVEAT) + len(CAVEAT),
    )
    for version, (slug, user) in enumerate(
        [("unassessed", ada), ("corroborated", ada), ("corroborated", ben)]
    ):
        values = {
            f.attname: getattr(assessed, f.attname)
            for f in Claim._meta.concrete_fields
            if f.attname != "search_document"
        }
        HistoricalClaim.objects.create(
            **{**values, "status_id": status[slug].pk},
            history_type="~",
            history_user=user,
            history_date=f"2026-03-0{version + 1}T00:00:00Z",
        )
    Claim.objects.filter(pk=assessed.pk).update(status=status["corroborated"])
    claim("unbacked", "asks for an inquiry", "unverified")


def test_an_old_archive_upgrades_with_every_status_on_its_basis(old_archive):
    apps = migrate(AFTER)
    Claim = apps.get_model("claims", "Claim")
    reported, assessed, unbacked = (
        Claim.objects.select_related("status").get(key=key)
        for key in ("reported", "assessed", "unbacked")
    )

    assert (reported.status.slug, reported.status_quote, reported.evidence.count()) == (
        "unverified",
        CAVEAT,
        0,
    )
    assert (assessed.status.slug, assessed.reviewed_by.username) == (
        "corroborated",
        "ada",
    )  # who set it, not Ben
    assert unbacked.status.slug == "unassessed"
    assert unbacked.status_note.startswith("Was “Could not be independently verified”")

    reasons = set(
        apps.get_model("claims", "HistoricalClaim").objects.values_list(
            "history_change_reason", flat=True
        )
    )
    assert {
        "The source's words the status rests on, moved from its evidence",
        "The reviewing editor: whoever set the status",
        "Status without a recorded basis: set to not yet assessed",
    } <= reasons
    assert (
        apps.get_model("claims", "HistoricalEvidence").objects.filter(history_type="-").count() == 1
    )
    assert set(
        apps.get_model("claims", "HistoricalVerificationStatus").objects.values_list(
            "slug", "basis"
        )
    ) >= {("unverified", "source"), ("corroborated", "editors")}

    letter = apps.get_model("archive", "Letter").objects.get()
    assert (str(letter.date_earliest), str(letter.date_latest)) == ("2025-02-11", "2027-02-11")
    assert apps.get_model("archive", "RequestedAction").objects.get().summary == "for an inquiry"
