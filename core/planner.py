"""PostgreSQL's planner asked to keep Django's join order beyond a few tables.

A claim loaded for a page comes with its letter, sender, status, the status's source and
reviewing editor: seven to ten tables in one query. PostgreSQL weighs every order of up to eight
joined tables (its join_collapse_limit): 5-9 ms to plan a query that then runs in 0.6 ms
(docs/performance.md). Django writes those joins outwards from the filtered table along foreign
keys, the order a good plan follows anyway; with a limit of four the same queries plan in 1-2 ms
and run as fast. DATABASE_JOIN_COLLAPSE_LIMIT sets another limit; 0 leaves PostgreSQL's own.

Set on each new connection rather than as a connection option, which PgBouncer would refuse.
"""

from django.conf import settings


def limit_join_search(sender, connection, **kwargs):
    limit = settings.MISSIVE_JOIN_COLLAPSE_LIMIT
    if connection.vendor == "postgresql" and limit:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('join_collapse_limit', %s, false)", [str(limit)])
