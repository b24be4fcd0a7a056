"""Read replicas: anonymous public page reads from a streaming replica, everything else from the primary.

With DATABASE_REPLICA_URLS set (config/settings.py), `ReadFromReplicas` marks each request
that may read from a replica: a GET or HEAD, outside the admin, from someone who carries no
session (no editor, no one signing in). For that request `ReplicaRouter` sends every read to
one replica, chosen in turn, so the revision number and the page it keys (core/page_cache.py)
come from the same copy. Writes, the admin, the workbench and every request of a signed-in
editor read and write the primary: an editor sees their own save at once, while a replica may
lag it by the time streaming takes (milliseconds on one network).

A replica that does not answer, or lags by more than MISSIVE_REPLICA_MAX_LAG seconds, is
passed over (each process asks each replica at most once a second): its turn goes to the
next replica, or to the primary when none is fit, so a replica's failure slows the primary
down rather than taking the public pages with it.
"""

import itertools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

from core.page_cache import NEVER_CACHED_PREFIXES

logger = logging.getLogger(__name__)

# The replica this request reads from; None: the primary.
_replica = ContextVar("missive_replica", default=None)
_turns = {}  # per tuple of replica aliases: an endless round-robin over them
_fitness = {}  # per replica alias: (when last asked, by time.monotonic(), and whether fit)
ASK_EVERY = 1.0  # seconds

# How far the replica's replay is behind: none when it has replayed all it received, else the
# time since the last transaction it replayed (PostgreSQL's own measure of a standby's lag).
LAG = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def fit(alias):
    """Whether the replica answers and lags by no more than MISSIVE_REPLICA_MAX_LAG seconds."""
    asked, was_fit = _fitness.get(alias, (None, None))
    now = time.monotonic()
    if asked is not None and now - asked < ASK_EVERY:
        return was_fit
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG)
            (lag,) = cursor.fetchone()
        is_fit, why = lag <= settings.MISSIVE_REPLICA_MAX_LAG, f"{lag:.1f} s behind the primary"
    except DatabaseError as error:
        connections[alias].close()  # the next question opens a new connection
        is_fit, why = False, f"not answering ({error})"
    if not is_fit and was_fit is not False:
        logger.warning("Read replica %s is %s: the primary reads for it.", alias, why)
    elif is_fit and was_fit is False:
        logger.warning("Read replica %s is back: public pages read it again.", alias)
    _fitness[alias] = (now, is_fit)
    return is_fit


def next_replica():
    """The next fit replica in turn, or None (the primary)."""
    replicas = tuple(settings.MISSIVE_REPLICAS)
    if replicas not in _turns:
        _turns[replicas] = itertools.cycle(replicas)
    for _ in replicas:
        if fit(replica := next(_turns[replicas])):
            return replica
    return None


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
