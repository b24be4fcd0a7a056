"""Each PostgreSQL connection keeps Django's join order beyond a few tables (core/planner.py)."""

import pytest
from django.db import connection, connections
from django.test import override_settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]


def join_collapse_limit_of_a_new_connection():
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW join_collapse_limit")
            return cursor.fetchone()[0]
    finally:
        fresh.close()


def test_a_new_connection_reorders_at_most_four_joined_tables():
    assert join_collapse_limit_of_a_new_connection() == "4"


@override_settings(MISSIVE_JOIN_COLLAPSE_LIMIT=6)
def test_the_limit_is_a_setting():
    assert join_collapse_limit_of_a_new_connection() == "6"


@override_settings(MISSIVE_JOIN_COLLAPSE_LIMIT=0)
def test_zero_leaves_postgresqls_own_limit():
    assert join_collapse_limit_of_a_new_connection() == "8"
