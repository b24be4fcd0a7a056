"""Read replicas: anonymous public page reads from a streaming replica, everything else from the primary.

With DATABASE_REPLICA_URLS set (config/settings.py), `ReadFromReplicas` marks each request
that may read from a replica: a GET or HEAD, outside the admin, from someone who carries no
session (no editor, no one signing in). For that request `ReplicaRouter` sends every read to
one replica, chosen in turn, so the revision number and the page it keys (core/page_cache.py)
come from the same copy. Writes, the admin, the workbench and every request of a signed-in
editor read and write the primary: an editor sees their own save at once, while a replica may
lag it by the time streaming takes (milliseconds on one network).
"""

import itertools
from contextvars import ContextVar

from django.conf import settings

from core.page_cache import NEVER_CACHED_PREFIXES

# The replica this request reads from; None: the primary.
_replica = ContextVar("missive_replica", default=None)
_turns = {}  # per tuple of replica aliases: an endless round-robin over them


def next_replica():
    replicas = tuple(settings.MISSIVE_REPLICAS)
    if not replicas:
        return None
    if replicas not in _turns:
        _turns[replicas] = itertools.cycle(replicas)
    return next(_turns[replicas])


def may_read_from_replica(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(NEVER_CACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReadFromReplicas:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replica = next_replica() if may_read_from_replica(request) else None
        if replica is None:
            return self.get_response(request)
        token = _replica.set(replica)
        try:
            return self.get_response(request)
        finally:
            _replica.reset(token)


class ReplicaRouter:
    """Reads where the request's mark says (the primary when unmarked); writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        return _replica.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas are copies of the primary: any two rows may be related

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
