"""Read replicas, against a real streaming replica of the test database (scripts/pg_replica.py):
anonymous public pages read the replica; editors, the admin and every write use the primary,
so an editor reads their own save at once while the public sees it once the replica has it."""

import sys
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.models import Claim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import pg_replica

REPLICA = "replica-under-test"
GONE = "replica-not-answering"  # a replica whose server has stopped: nothing listens on its port

# Real commits: a replica sees only what the primary has committed.
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA, GONE]),
    pytest.mark.usefixtures("vocabulary"),
]


@pytest.fixture(scope="module", autouse=True)
def replica_database(django_db_setup):
    """The test database's replica: a database alias from before each test starts (as Django's
    test cases ask), a mirror of the test database that no test flushes."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "read replicas are PostgreSQL streaming replicas: the PostgreSQL run tests them"
        )
    port = pg_replica.ensure_replica()
    connections.settings[REPLICA] = {
        **connection.settings_dict,
        "PORT": port,
        "TEST": {"MIRROR": "default"},
    }
    connections.settings[GONE] = {
        **connection.settings_dict,
        "PORT": unused_port(),
        "TEST": {"MIRROR": "default"},
    }
    yield
    for alias in (REPLICA, GONE):
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def unused_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again at once: connecting there is refused


@pytest.fixture(autouse=True)
def replicas_asked_afresh():
    """Each test starts with no replica's fitness remembered (core.replicas asks once a second)."""
    from core import replicas

    replicas._fitness.clear()


@pytest.fixture
def replica(settings):
    """The replica, listed as the archive's one replica for this test."""
    settings.MISSIVE_REPLICAS = [REPLICA]
    return connections[REPLICA]


@pytest.fixture
def claim(shipped_letters, replica):
    pg_replica.wait_for_replay(connection.settings_dict["NAME"])
    return Claim.objects.order_by("pk").first()


@pytest.fixture
def editor(claim):
    """A signed-in editor (the roles' groups are gone with the flushed data: a superuser stands in)."""
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("editor", password="a-long-passphrase"))
    return client


def queries_on_each(client, url):
    """(response, queries on the primary, queries on the replica) for one GET."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(url)
    return response, len(primary), len(replica)


@pytest.mark.parametrize("url", ["/", "/claims/", "/letters/", "/claims/?q=annexation"])
def test_an_anonymous_public_page_is_read_from_the_replica_alone(claim, url):
    response, on_primary, on_replica = queries_on_each(Client(), url)

    assert response.status_code == 200
    assert (on_primary, on_replica > 0) == (0, True)


def test_a_claim_page_read_from_the_replica_shows_the_claim(claim):
    response, on_primary, _ = queries_on_each(Client(), claim.get_absolute_url())

    assert on_primary == 0
    assert claim.statement in response.content.decode()


def test_a_signed_in_editor_reads_everything_from_the_primary(claim, editor):
    for url in (claim.get_absolute_url(), "/claims/", f"/admin/claims/claim/{claim.pk}/change/"):
        response, on_primary, on_replica = queries_on_each(editor, url)
        assert response.status_code == 200, url
        assert (on_primary > 0, on_replica) == (True, 0), url


def test_an_editor_sees_their_save_at_once_and_the_public_once_the_replica_has_it(
    claim, replica, editor, settings
):
    settings.MISSIVE_REPLICA_MAX_LAG = 3600  # a lag of a moment is accepted, as by default
    url = claim.get_absolute_url()
    public = Client()
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")  # the replica lags, as it may for a moment
    try:
        claim.statement = "Pakistan annexed Balochistan in 1948 (wording corrected by the editors)."
        claim._change_reason = "Corrected the wording"
        claim.save()

        assert claim.statement in editor.get(url).content.decode()
        assert claim.statement not in public.get(url).content.decode()
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    pg_replica.wait_for_replay(connection.settings_dict["NAME"])

    assert claim.statement in public.get(url).content.decode()


def test_no_write_goes_to_a_replica(claim):
    from core.replicas import ReplicaRouter

    router = ReplicaRouter()
    assert router.db_for_write(Claim) == "default"
    assert not router.allow_migrate(REPLICA, "claims")


def test_a_replica_that_does_not_answer_is_passed_over_for_the_primary(claim, settings, caplog):
    settings.MISSIVE_REPLICAS = [GONE]

    response, on_primary, _ = queries_on_each(Client(), claim.get_absolute_url())

    assert response.status_code == 200
    assert on_primary > 0 and claim.statement in response.content.decode()
    assert f"Read replica {GONE} is not answering" in caplog.text


def test_the_turn_of_a_replica_that_does_not_answer_goes_to_one_that_does(claim, settings):
    settings.MISSIVE_REPLICAS = [GONE, REPLICA]

    for _ in range(3):
        response, on_primary, on_replica = queries_on_each(Client(), "/claims/")
        assert response.status_code == 200
        assert (on_primary, on_replica > 0) == (0, True)


def test_a_replica_too_far_behind_is_passed_over_until_it_catches_up(
    claim, replica, settings, caplog
):
    from core import replicas

    settings.MISSIVE_REPLICA_MAX_LAG = 0
    url = claim.get_absolute_url()
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        claim.statement = "Pakistan annexed Balochistan in 1948 (wording corrected by the editors)."
        claim._change_reason = "Corrected the wording"
        claim.save()

        response, on_primary, _ = queries_on_each(Client(), url)
        assert on_primary > 0 and claim.statement in response.content.decode()
        assert f"Read replica {REPLICA} is " in caplog.text and "behind the primary" in caplog.text
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    pg_replica.wait_for_replay(connection.settings_dict["NAME"])
    replicas._fitness.clear()  # rather than wait the second before it is asked again

    response, on_primary, on_replica = queries_on_each(Client(), url)
    assert (on_primary, on_replica > 0) == (0, True)
    assert claim.statement in response.content.decode()
