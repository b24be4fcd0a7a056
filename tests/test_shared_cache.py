"""CACHE_URL: every app server shares one page cache and one set of per-revision figures in a real
Redis (Debian's redis-server, started here when none is running), invalidated at once for all."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from claims.models import Claim
from config.settings import cache_from_url
from core.page_cache import forget, per_revision

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]

DATABASE = 15  # a Redis database of the tests' own, emptied before each test


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_port(tmp_path_factory):
    """A Redis server: the machine's own on 6379, or one started for the session."""
    if answers(6379):
        yield 6379
        return
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (Debian's package redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if answers(port):
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"redis-server did not answer on port {port}")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def shared_cache(redis_port, settings):
    """Both caches in one Redis, as CACHE_URL=redis://… sets them, emptied first."""
    url = f"redis://127.0.0.1:{redis_port}/{DATABASE}"
    settings.CACHES = {
        "default": cache_from_url(url, "default", 1000),
        "pages": cache_from_url(url, "pages", 1000),
    }
    from django.core.cache import caches

    caches["pages"].clear()
    forget()
    yield caches
    caches["pages"].clear()


@pytest.fixture
def claim(shipped_letters):
    return Claim.objects.order_by("pk").first()


def another_server():
    """What a second app server has: its own process memory (empty) and its own client."""
    forget()
    return Client()


def test_a_page_one_server_rendered_is_served_by_another_from_redis(
    shared_cache, claim, django_assert_num_queries
):
    url = claim.get_absolute_url()
    first = Client().get(url)
    assert shared_cache["pages"]._cache.get_client().dbsize() > 0

    with django_assert_num_queries(1):  # the revision number, nothing else
        second = another_server().get(url)

    assert second.content == first.content


def test_an_edit_is_seen_by_every_server_on_its_next_request(shared_cache, claim):
    url = claim.get_absolute_url()
    Client().get(url)
    other = another_server()
    other.get(url)

    claim.statement = "A statement the editors corrected."
    claim._change_reason = "Corrected"
    claim.save()

    assert claim.statement in Client().get(url).content.decode()
    assert claim.statement in other.get(url).content.decode()


def test_a_per_revision_figure_is_computed_once_for_every_server(shared_cache, claim):
    computed = []

    def compute():
        computed.append(1)
        return {"claims": Claim.objects.count()}

    assert per_revision("test-figure", compute) == {"claims": Claim.objects.count()}
    forget()  # another server's process
    assert per_revision("test-figure", compute) == {"claims": Claim.objects.count()}
    assert len(computed) == 1

    claim.save()  # a new revision
    per_revision("test-figure", compute)
    assert len(computed) == 2


def test_pages_are_served_from_the_database_when_redis_is_down(settings, claim, caplog):
    settings.CACHES = {
        name: cache_from_url("redis://127.0.0.1:1/0", name, 1000) for name in ("default", "pages")
    }
    forget()

    response = Client().get(claim.get_absolute_url())

    assert response.status_code == 200
    assert claim.statement in response.content.decode()
    assert "could not be read" in caplog.text


@pytest.mark.parametrize(
    "url, backend",
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://cache.internal:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("rediss://cache.internal:6380/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_url_chooses_the_backend(url, backend):
    assert cache_from_url(url, "pages", 10)["BACKEND"] == backend


def test_two_archives_sharing_one_redis_keep_their_entries_apart():
    production = cache_from_url("redis://cache:6379/0", "pages", 10, namespace="a1b2c3")
    staging = cache_from_url("redis://cache:6379/0", "pages", 10, namespace="d4e5f6")
    assert production["KEY_PREFIX"] != staging["KEY_PREFIX"]


@pytest.mark.parametrize("url", ["memcache://cache:11211", "cache.internal:6379", "file:///tmp"])
def test_an_unknown_cache_url_is_refused_with_a_reason(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        cache_from_url(url, "pages", 10)
