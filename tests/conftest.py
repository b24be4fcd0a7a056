"""Shared fixtures: the shipped letters, and small factories for hand-made rows."""

from pathlib import Path

import pytest

from archive.models import Actor, Letter, Source
from claims.models import Claim, VerificationStatus
from interchange.importing import import_file

SHIPPED_LETTERS = Path(__file__).resolve().parent.parent / "archive" / "fixtures" / "letters.json"

SOURCE_TEXT = (
    "The sender wrote that the river flooded in 1950. Officials denied it. "
    "The sender also wrote that the river flooded in 1950 again, and asked for an inquiry."
)


@pytest.fixture
def shipped_letters(db):
    """The two letters as `make run` loads them."""
    return import_file(SHIPPED_LETTERS)


@pytest.fixture
def actor(db):
    return Actor.objects.create(name="Sender", slug="sender", kind=Actor.Kind.PERSON)


@pytest.fixture
def source(db):
    return Source.objects.create(title="A report", slug="a-report", text=SOURCE_TEXT)


@pytest.fixture
def letter(db, actor, source):
    letter = Letter.objects.create(
        title="A letter",
        slug="a-letter",
        date_edtf="2026-01-04",
        sender=actor,
        summary="It asks for an inquiry.",
    )
    letter.sources.add(source)
    return letter


def status(slug):
    return VerificationStatus.objects.get(slug=slug)


@pytest.fixture
def make_claim(letter, source):
    def make(key="flood", quote="asked for an inquiry", status_slug="unassessed", **fields):
        return Claim.objects.create(
            letter=letter,
            key=key,
            statement=fields.pop("statement", "there was a flood."),
            kind=fields.pop("kind", Claim.Kind.FACTUAL),
            status=status(status_slug),
            source=fields.pop("source", source),
            quote_exact=quote,
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test's database starts at the same revision number, so no test may see another's pages
    (or the figures core.page_cache.per_revision keeps)."""
    from django.core.cache import caches

    from core.page_cache import forget

    for cache in ("pages", "default"):
        caches[cache].clear()
    forget()
    yield
    for cache in ("pages", "default"):
        caches[cache].clear()
    forget()


@pytest.fixture(autouse=True)
def relaxed_api_rate_limit(settings):
    """Tests send hundreds of API requests from one address: the limit has a test of its own.

    Named to sort after empty_page_cache (pytest orders autouse fixtures by name): `settings` is
    then restored first, so a test's own CACHES are gone before that fixture clears the caches."""
    settings.MISSIVE_API_ANON_RATE = "1000000/min"


@pytest.fixture(autouse=True)
def no_export_in_progress():
    """The test client closes a streamed response only once it is read to the end: an export a
    test leaves unread would otherwise hold its slot (interchange/streaming.py) into the next."""
    from interchange import streaming

    # Each test counts afresh: an unread export of an earlier test, collected mid-test, gives its
    # slot back to the count it took it from, not to this test's.
    streaming.exports = streaming.Slots()
    yield


@pytest.fixture
def vocabulary(transactional_db):
    """Transactional tests flush the database, seeded rows included: seed the statuses again
    with the latest vocabulary migration's own (idempotent) function."""
    import importlib

    from django.apps import apps

    importlib.import_module("claims.migrations.0010_status_basis_data").seed(apps, None)


def sign_in_as_member(client, group):
    """client, signed in as a staff user of group ("Editors", "Reviewers"): what the roles allow them."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(group.lower(), password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def editor_in_admin(db, client):
    return sign_in_as_member(client, "Editors")


@pytest.fixture
def reviewer_in_admin(db, client):
    return sign_in_as_member(client, "Reviewers")
