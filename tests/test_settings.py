"""Configuration comes from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def environment_with(**environment):
    """This process's environment without its Django settings, and with `environment`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return {**env, **environment}


def run_check(**environment):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment_with(**environment),
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_python(code, **environment):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
            "django.setup(); " + code,
        ],
        cwd=ROOT,
        env=environment_with(**environment),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="missive.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_a_nonsense_debug_value_is_refused():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    env = environment_with(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-production-secret-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="missive.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def print_database(**environment):
    environment.setdefault("DATABASE_URL", "")
    return run_python(
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        **environment,
    ).stdout.split()


def test_sqlite_is_the_default_database():
    assert print_database()[0] == "django.db.backends.sqlite3"
    assert print_database(DATABASE_URL="")[0] == "django.db.backends.sqlite3"


def test_a_postgres_url_selects_psycopg_with_persistent_health_checked_connections():
    engine, max_age, health_checks = print_database(
        DATABASE_URL="postgres://user@db.example:5432/missive"
    )
    assert engine == "django.db.backends.postgresql"
    assert int(max_age) > 0
    assert health_checks == "True"


def test_a_number_setting_that_is_not_a_number_is_refused_with_its_name():
    result = run_check(MISSIVE_IMPORT_MAX_MB="lots")
    assert result.returncode != 0
    assert "MISSIVE_IMPORT_MAX_MB must be a whole number, 0 or more, not 'lots'." in result.stderr


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("MISSIVE_WORKERS", "two", "MISSIVE_WORKERS must be a number above 0, not 'two'."),
        ("MISSIVE_THREADS", "0", "MISSIVE_THREADS must be a number above 0, not '0'."),
        (
            "MISSIVE_HEADER_TIMEOUT",
            "nan",
            "MISSIVE_HEADER_TIMEOUT must be a number above 0 and at most 60, not 'nan'.",
        ),
        (
            "MISSIVE_BIND",
            "localhost",
            "MISSIVE_BIND must be host:port, such as 127.0.0.1:8000, not 'localhost'.",
        ),
    ],
)
def test_the_production_server_refuses_a_bad_setting_in_plain_words(
    monkeypatch, name, value, message
):
    from config import serve

    monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as stopped:
        serve.settings()

    assert str(stopped.value) == message


def test_the_production_server_takes_its_settings_from_the_environment(monkeypatch):
    from config import serve

    for name, value in {
        "MISSIVE_BIND": "[::1]:8123",
        "MISSIVE_WORKERS": "3",
        "MISSIVE_THREADS": "7",
        "MISSIVE_HEADER_TIMEOUT": "2.5",
    }.items():
        monkeypatch.setenv(name, value)

    chosen = serve.settings()

    assert (chosen["address"], chosen["port"], chosen["workers"], chosen["blocking_threads"]) == (
        "::1",
        8123,
        3,
        7,
    )
    assert chosen["http1_settings"].header_read_timeout == 2500


def test_read_replicas_are_listed_as_mirrors_of_the_primary():
    result = run_python(
        "from django.conf import settings as s; "
        "print(s.MISSIVE_REPLICAS, [s.DATABASES[a]['HOST'] for a in s.MISSIVE_REPLICAS], "
        "s.DATABASES['replica2']['TEST']['MIRROR'], s.DATABASES['replica1']['OPTIONS'], "
        "s.MISSIVE_REPLICA_MAX_LAG)",
        DATABASE_URL="postgres://user@primary.example/missive",
        DATABASE_REPLICA_URLS="postgres://user@r1.example/missive, postgres://user@r2.example/missive",
        DATABASE_REPLICA_MAX_LAG="30",
    )
    assert result.stdout.strip() == (
        "['replica1', 'replica2'] ['r1.example', 'r2.example'] default {'connect_timeout': 2} 30"
    ), result.stderr


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"DATABASE_REPLICA_URLS": "sqlite:///elsewhere.sqlite3"}, "must list postgres://"),
        ({"DATABASE_POOL_SIZE": "4"}, "DATABASE_POOL_SIZE needs PostgreSQL"),
        ({"CACHE_URL": "memcached://cache:11211"}, "CACHE_URL must be"),
    ],
)
def test_a_setting_for_more_than_one_machine_that_cannot_work_is_refused(environment, message):
    result = run_check(DATABASE_URL="", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_connection_pool_lends_each_thread_one_of_its_connections():
    primary = os.environ.get("DATABASE_URL", "")
    if not primary.startswith(("postgres://", "postgresql://")):
        pytest.skip("connection pooling is PostgreSQL's: the PostgreSQL run tests it")
    # Eight threads, each running a query and giving its connection back, through a pool of two.
    result = run_python(
        "import threading; from django.db import connection, connections\n"
        "def query():\n"
        "    with connection.cursor() as c: c.execute('SELECT pg_backend_pid()'); pids.append(c.fetchone()[0])\n"
        "    connections.close_all()\n"
        "pids = []\n"
        "threads = [threading.Thread(target=query) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(pids), len(set(pids)), connection.pool.max_size)",
        DATABASE_URL=primary.rsplit("/", 1)[0] + "/postgres",
        DATABASE_POOL_SIZE="2",
    )
    assert result.stdout.split() == ["8", result.stdout.split()[1], "2"], result.stderr
    assert 1 <= int(result.stdout.split()[1]) <= 2


def cache_prefix(database_url):
    result = run_python(
        "from django.conf import settings as s; print(s.CACHES['pages']['KEY_PREFIX'])",
        DATABASE_URL=database_url,
        CACHE_URL="redis://cache.internal:6379/0",
    )
    return result.stdout.strip()


def test_archives_sharing_one_redis_have_keys_of_their_own_and_their_servers_share_them():
    production = cache_prefix("postgres://missive@db.example/missive")
    staging = cache_prefix("postgres://missive@db.example/missive_staging")
    assert production.startswith("missive-") and production.endswith("-pages")
    assert production != staging
    assert cache_prefix("postgres://missive@db.example/missive") == production
