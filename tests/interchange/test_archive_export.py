"""export_letters: the whole archive in the import format, and back again, field by field."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus
from interchange.archive_export import write_archive
from interchange.importing import ImportFailed, import_document, import_file

from ..factory import build_archive, unverified_quote

pytestmark = pytest.mark.django_db

# Children before parents, so deleting in this order never hits a protected relation.
MODELS = [
    Evidence,
    Response,
    Claim,
    RequestedAction,
    Recipient,
    Letter,
    ActorIdentifier,
    Source,
    Actor,
    VerificationStatus,
]


def natural_key(obj):
    """How the import format names a row: by slug, or a claim by its letter and key."""
    if obj is None:
        return None
    if isinstance(obj, Claim):
        return (obj.letter.slug, obj.key)
    if isinstance(obj, (Letter, Actor, Source, VerificationStatus)):
        return obj.slug
    if isinstance(obj, get_user_model()):
        return obj.get_username()
    raise AssertionError(f"no natural key for {obj!r}")


def snapshot():
    """Every row of every model, every field but the database id, relations by natural key."""
    tables = {}
    for model in MODELS:
        rows = []
        for obj in model.objects.all():
            row = {}
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                value = getattr(obj, field.name)
                row[field.name] = natural_key(value) if field.is_relation else value
            for field in model._meta.many_to_many:
                row[field.name] = sorted(
                    natural_key(related) for related in getattr(obj, field.name).all()
                )
            rows.append(row)
        tables[model.__name__] = sorted(rows, key=repr)
    return tables


def empty_the_database():
    for model in MODELS:
        if model is Actor:
            while Actor.objects.exists():  # parents are protected while their children remain
                Actor.objects.filter(children__isnull=True).delete()
        else:
            model.objects.all().delete()


def enrich(archive):
    """What the shipped data lacks: a vocabulary entry of the editors' with a rating they chose, an
    orphaned quote, gaps in positions, a status set at a known moment, a status a source reports."""
    status = VerificationStatus.objects.create(
        slug="partly-corroborated",
        label="Partly corroborated",
        description="Some of it is borne out.",
        basis=VerificationStatus.Basis.EDITORS,
        rating_value=4,
        position=45,
    )
    claim = archive.claims[1]  # corroborated by the factory's editor, on supporting evidence
    assert claim.reviewed_by == archive.editor
    claim.status = status
    claim.save()
    Claim.objects.filter(pk=claim.pk).update(
        status_changed_at=datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    )
    unassessed = archive.claims[3]
    unassessed.status = VerificationStatus.objects.get(slug="unverified")
    unassessed.status_source, unassessed.status_quote = unassessed.source, unverified_quote(3)
    unassessed.save()
    RequestedAction.objects.filter(letter=archive.letters[0], position=2).update(position=5)
    Claim.objects.filter(pk=archive.claims[0].pk).update(position=9)
    source = archive.sources[1]
    orphan = Claim.objects.filter(letter=archive.letters[1]).first()
    source.text = source.text.replace(orphan.quote_exact, "[passage withdrawn]")
    source.save()
    orphan.refresh_from_db()
    assert orphan.is_orphan
    archive.actors["person-e"].identifiers.all().delete()


def export_text():
    stream = io.StringIO()
    write_archive(stream)
    return stream.getvalue()


def export(tmp_path, name="archive.json"):
    path = tmp_path / name
    call_command("export_letters", str(path), stdout=io.StringIO())
    return path


def test_importing_an_export_into_an_empty_database_gives_the_same_archive(tmp_path):
    archive = build_archive(24)
    enrich(archive)
    before = snapshot()
    assert len(before["Claim"]) == 24 and any(row["is_orphan"] for row in before["Claim"])
    claims = before["Claim"]
    assert any(row["status_quote"] for row in claims) and any(row["reviewed_by"] for row in claims)
    path = export(tmp_path)

    empty_the_database()
    assert all(not rows for rows in snapshot().values())
    import_file(path)

    after = snapshot()
    for model in before:
        assert after[model] == before[model], model


def test_an_export_of_the_restored_archive_is_the_same_file(tmp_path, shipped_letters):
    first = export(tmp_path, "first.json").read_text()
    empty_the_database()
    import_document(json.loads(first))
    assert export(tmp_path, "second.json").read_text() == first


def test_re_importing_an_export_into_the_same_archive_changes_nothing(tmp_path, shipped_letters):
    path = export(tmp_path)
    history = sum(model.history.count() for model in (Claim, Letter, Response, VerificationStatus))
    report = import_file(path)
    assert report.created == {} and report.updated == {}
    assert (
        sum(model.history.count() for model in (Claim, Letter, Response, VerificationStatus))
        == history
    )


def test_the_export_is_the_documented_import_format(tmp_path, shipped_letters):
    document = json.loads(export(tmp_path).read_text())
    assert (document["format"], document["version"]) == ("missive-letters", 1)
    # Oldest possible date first: a letter whose year no source states could be the oldest.
    assert [letter["slug"] for letter in document["letters"]] == [
        "balochistan-to-unsc-p5-un-oic-02-11",
        "balochistan-to-nato-2026-01-04",
    ]
    assert document["letters"][0]["date"] == "XXXX-02-11"
    statuses = {status["slug"]: status for status in document["statuses"]}
    assert {slug: status["basis"] for slug, status in statuses.items()} == {
        "unassessed": "none",
        "unverified": "source",
        "disputed": "response",
        "corroborated": "editors",
        "contradicted": "editors",
        "not-checkable": "classification",
    }
    assert all("requires_dispute" not in status for status in statuses.values())
    claims = {claim["key"]: claim for letter in document["letters"] for claim in letter["claims"]}
    assert claims["enforced-disappearances"]["status_basis"] == {
        "source": "report-balochistan-letter-nato",
        "quote": "These claims could not be independently verified.",
    }
    assert (
        "status_basis" not in claims["iran-executions"]
        and "reviewed_by" not in claims["iran-executions"]
    )


def test_the_export_names_the_reviewing_editor_by_login_and_restores_it(tmp_path, shipped_letters):
    reviewer = get_user_model().objects.create_user(
        "ada", first_name="Ada", last_name="Reviewer", is_staff=True
    )
    claim = Claim.objects.get(key="china-ai-training")
    with transaction.atomic():
        claim.status, claim.reviewed_by = (
            VerificationStatus.objects.get(slug="contradicted"),
            reviewer,
        )
        claim.save()
        Evidence.objects.create(
            claim=claim, relation="contradicts", source=claim.source, quote_exact=claim.quote_exact
        )
    document = json.loads(export(tmp_path).read_text())
    (record,) = [
        c
        for letter in document["letters"]
        for c in letter["claims"]
        if c["key"] == "china-ai-training"
    ]
    assert record["reviewed_by"] == "ada"
    assert record["evidence"][0]["relation"] == "contradicts"
    empty_the_database()
    import_document(document)
    restored = Claim.objects.get(key="china-ai-training")
    assert (restored.status.slug, restored.reviewed_by) == ("contradicted", reviewer)


def test_export_to_standard_output(capsys, shipped_letters):
    call_command("export_letters", "-")
    document = json.loads(capsys.readouterr().out)
    assert len(document["letters"]) == 2


def test_an_empty_archive_exports_to_a_file_that_says_there_is_nothing_to_import(tmp_path):
    empty_the_database()
    path = export(tmp_path)
    assert json.loads(path.read_text())["letters"] == []
    with pytest.raises(ImportFailed) as failure:
        import_file(path)
    assert failure.value.errors == ["letters: the list is empty; nothing to import"]


def test_an_unwritable_path_is_a_clear_error_and_leaves_nothing_behind(tmp_path, shipped_letters):
    with pytest.raises(CommandError, match="cannot write there"):
        call_command("export_letters", str(tmp_path / "missing-directory" / "archive.json"))
    assert list(tmp_path.iterdir()) == []


# --- The parts of the format the round trip needs --------------------------------------------


def document(**parts):
    return {"format": "missive-letters", "version": 1, "letters": [], **parts}


def errors_of(doc):
    with pytest.raises(ImportFailed) as failure:
        import_document(doc)
    return failure.value.errors


def test_a_status_of_the_file_is_created_and_claims_may_use_it(shipped_letters):
    doc = json.loads(export_text())
    doc["statuses"] = [
        {"slug": "retracted", "label": "Retracted by the sender", "description": "Withdrawn."}
    ]
    doc["letters"][0]["claims"][0]["status"] = "retracted"
    import_document(doc)
    assert (
        Claim.objects.get(key=doc["letters"][0]["claims"][0]["key"]).status.label
        == "Retracted by the sender"
    )


@pytest.mark.parametrize(
    "status, message",
    [
        (
            {"slug": "x", "label": "X", "description": "d", "basis": "editors", "rating_value": 9},
            "statuses[0].rating_value: a ClaimReview rating is between 1 and 5",
        ),
        (
            {"slug": "x", "label": "X", "description": "d", "rating_value": 3},
            "statuses[0].rating_value: a ClaimReview rating is only for the editors' own assessments",
        ),
        (
            {
                "slug": "x",
                "label": "X",
                "description": "d",
                "basis": "editors",
                "requires_dispute": True,
            },
            "statuses[0].requires_dispute: contradicts basis; give basis alone",
        ),
        (
            {"slug": "x", "label": "X", "description": "d", "basis": "source", "rating_value": 3},
            "statuses[0].rating_value: a ClaimReview rating is only for the editors' own assessments",
        ),
        (
            {"slug": "x", "label": "X", "description": "d", "basis": "bogus"},
            "statuses[0].basis: unknown value 'bogus'",
        ),
        (
            {"slug": "x", "label": "Disputed", "description": "d"},
            "statuses[0].label: the label 'Disputed' belongs to status 'disputed'",
        ),
        ({"slug": "x", "label": "X"}, "statuses[0].description: missing"),
        (
            {"slug": "x", "label": "X", "description": "d", "rating_value": "5"},
            "statuses[0].rating_value: expected a whole number",
        ),
    ],
)
def test_bad_statuses_are_refused(db, status, message):
    assert any(error.startswith(message) for error in errors_of(document(statuses=[status]))), (
        message
    )


def test_a_status_of_the_file_keeps_its_basis_and_a_rating_only_the_editors_chose(db):
    import_document(
        document(
            statuses=[
                {
                    "slug": "misleading",
                    "label": "Misleading",
                    "description": "d",
                    "basis": "editors",
                    "rating_value": 2,
                },
                {
                    "slug": "reported-false",
                    "label": "Reported false",
                    "description": "d",
                    "basis": "source",
                },
                {"slug": "nobodys", "label": "Nobody's", "description": "d"},
            ]
        )
    )
    stored = {
        status.slug: (status.basis, status.rating_value)
        for status in VerificationStatus.objects.all()
    }
    assert stored["misleading"] == ("editors", 2)
    assert stored["reported-false"] == ("source", None)
    assert stored["nobodys"] == ("none", None)


def test_a_file_written_before_statuses_had_a_basis_is_read(db):
    import_document(
        document(
            statuses=[
                {
                    "slug": "refuted",
                    "label": "Refuted by a party",
                    "description": "d",
                    "requires_dispute": True,
                },
                {"slug": "noted", "label": "Noted", "description": "d", "requires_dispute": False},
            ]
        )
    )
    assert VerificationStatus.objects.get(slug="refuted").basis == "response"
    assert (
        VerificationStatus.objects.get(slug="noted").basis == "editors"
    )  # as migration 0010 reads them


def test_an_older_backup_leaves_the_archives_own_vocabulary_as_it_is(db):
    """A backup from before statuses had a basis carries the old seeded wording and ratings:
    the archive's newer statuses stand, and the file's ratings of them are not taken."""
    before = {
        s.slug: (s.basis, s.description, s.rating_value) for s in VerificationStatus.objects.all()
    }
    import_document(
        document(
            statuses=[
                {
                    "slug": "unverified",
                    "label": "Could not be independently verified",
                    "rating_value": 3,
                    "requires_dispute": False,
                    "description": "The claim was checked but could not be confirmed.",
                    "position": 20,
                },
                {
                    "slug": "corroborated",
                    "label": "Corroborated",
                    "description": "Independent sources support the claim.",
                    "rating_value": 5,
                    "requires_dispute": False,
                    "position": 40,
                },
            ]
        )
    )
    assert {
        s.slug: (s.basis, s.description, s.rating_value) for s in VerificationStatus.objects.all()
    } == before


def test_the_basis_of_a_status_in_use_cannot_change_by_import(shipped_letters):
    doc = document(
        statuses=[{"slug": "disputed", "label": "Disputed", "description": "d", "basis": "editors"}]
    )
    assert errors_of(doc) == [
        "statuses[0].basis: claims have status 'disputed' with basis 'response'; it cannot change"
    ]
    assert VerificationStatus.objects.get(slug="disputed").basis == "response"


def test_status_set_at_needs_a_time_zone(shipped_letters):
    doc = json.loads(export_text())
    doc["letters"][0]["claims"][0]["status_set_at"] = "2026-01-01T10:00:00"
    assert errors_of(doc) == [
        "letters[0].claims[0].status_set_at: '2026-01-01T10:00:00' has no time zone offset; add one, e.g. +00:00"
    ]


def test_positions_must_be_unique_in_a_letter(shipped_letters):
    doc = json.loads(export_text())
    doc["letters"][0]["requested_actions"][1]["position"] = doc["letters"][0]["requested_actions"][
        0
    ]["position"]
    doc["letters"][0]["claims"][1]["position"] = 0
    assert errors_of(doc) == [
        "letters[0].requested_actions[1].position: position 1 is already taken in this letter",
        "letters[0].claims[1].position: expected a whole number from 1 to 32767",
    ]


def test_an_orphaned_quote_is_kept_as_an_orphan(shipped_letters):
    doc = json.loads(export_text())
    claim = doc["letters"][0]["claims"][0]
    claim["quote"] = {
        "source": claim["quote"]["source"],
        "exact": "words the report no longer has",
        "orphan": True,
    }
    import_document(doc)
    restored = Claim.objects.get(key=claim["key"])
    assert restored.is_orphan and restored.quote_exact == "words the report no longer has"


def test_claims_sharing_a_position_survive_the_round_trip(tmp_path, shipped_letters):
    Claim.objects.filter(letter__slug="balochistan-to-nato-2026-01-04", position=2).update(
        position=1
    )
    before = snapshot()
    path = export(tmp_path)
    empty_the_database()
    import_file(path)
    assert snapshot()["Claim"] == before["Claim"]
