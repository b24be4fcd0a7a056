"""Whole public pages cached, and forgotten the moment anything changes.

A page is cached under the archive's revision number (one database row, read once per
request before anything else), today's date (citations give the access day) and the
release of the code that rendered it (`release()`: a deploy never serves the old code's pages). Every
save, delete or many-to-many change of an archive or claims model bumps the number in
its own transaction, so the new number becomes visible with the change; bulk writes
that send no signals (`set_status`, the seeder) call `bump()` themselves. A cached page is
therefore never older than the data: the first
request after an edit renders afresh. Only anonymous GET and HEAD requests that carry no
session are cached, and only complete 200 answers that set no cookie.

Set MISSIVE_PAGE_CACHE=false to turn it off (the benchmark's "cold" figures do).

`per_revision()` keeps smaller things the same way: archive-wide figures that many different
pages show (status counts, the actor menus), computed once per revision. They live in the
"default" cache, which CACHE_URL may make one Redis shared by every app server, with each
process's own copy in front of it so that a page does not unpickle them. A page request reads
the revision number once, whatever asks for it.

Both caches are an optimisation: when a shared cache cannot be reached, pages are rendered
from the database as if it were empty, and the failure is logged.
"""

import functools
import hashlib
import logging
from contextvars import ContextVar

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import parse_etags

NEVER_CACHED_PREFIXES = ("/admin/", "/healthz")  # a health check must not need the database
HEADERS_KEPT = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "X-Robots-Tag",
    "Link",  # the read API's next and previous pages
)


logger = logging.getLogger(__name__)
MISSING = object()

# Within a page request: {"revision": n} once read, so a page reads the number once.
_request_memo = ContextVar("missive_request_memo", default=None)
# This process's copies of per_revision values, {name: (revision, value)}: objects, not pickled.
_remembered = {}
# The apps whose every change shows on a page: each domain app adds itself (watch_app).
_watched_apps = set()


def read_revision():
    from core.models import Revision

    number = Revision.objects.filter(pk=1).values_list("number", flat=True).first()
    return number or 0


def current_revision():
    """The archive's revision number; within a page request, the number it first read."""
    memo = _request_memo.get()
    if memo is None:
        return read_revision()
    if "revision" not in memo:
        memo["revision"] = read_revision()
    return memo["revision"]


def _bump_now():
    from core.models import Revision

    if not Revision.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now()):
        Revision.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": timezone.now()})


def _bumped_in_this_transaction():
    """A no-op on-commit callback marks a transaction that has bumped; Django drops it on commit or rollback."""


def bump():
    """Make every cached page stale: at once, and once per transaction however many rows it writes.

    Inside a transaction the new number is visible to other connections when the change is,
    at commit (and never, on rollback). The row stays locked until then, so concurrent edits
    queue on it: fine for an archive's handful of editors.
    """
    if not connection.in_atomic_block:
        _bump_now()
    elif not any(
        callback is _bumped_in_this_transaction for _, callback, _ in connection.run_on_commit
    ):
        _bump_now()
        transaction.on_commit(_bumped_in_this_transaction)


def content_changed(sender, **kwargs):
    # A migration's historical models live in their own registry: the archive is being built,
    # and the revision's table may not exist yet.
    if sender._meta.app_label in _watched_apps and sender._meta.apps is django_apps:
        bump()


def user_changed(sender, update_fields=None, **kwargs):
    """Pages name editors (a claim's reviewing editor, who made a change): a new name shows at once.
    A login saves the user's last_login alone, and changes no page."""
    if update_fields is None or {"first_name", "last_name"} & set(update_fields):
        bump()


def watch_app(label):
    """Every save, delete or many-to-many change of this app's models changes the archive's revision."""
    _watched_apps.add(label)


def connect_signals():
    from django.contrib.auth import get_user_model

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"missive-page-cache-{signal}")
    for signal in (post_save, post_delete):
        signal.connect(
            user_changed, sender=get_user_model(), dispatch_uid=f"missive-page-cache-user-{signal}"
        )


def cache_get(cache, key):
    """The cached value, or MISSING, also when the cache cannot be reached."""
    try:
        return cache.get(key, MISSING)
    except Exception:  # a cache server down or refusing: any of its client's errors
        logger.exception(
            "A cache (%s) could not be read; rendering without it.", type(cache).__name__
        )
        return MISSING


def cache_set(cache, key, value):
    try:
        cache.set(key, value)
    except Exception:
        logger.exception("A cache (%s) could not be written; going on.", type(cache).__name__)


def per_revision(name, compute, in_process=True):
    """compute(), remembered (in the shared cache and in this process) until the archive next changes.

    With in_process=False, in the shared cache only: for names without bound (one per actor),
    which this process would otherwise keep until it ends.

    The value is shared, not copied: callers must not change it. The revision is read first,
    so a value is never older than its revision. Inside a transaction the value may include
    uncommitted writes (or miss ones a rollback undoes): it is kept for one page request at
    most (a page reads, it does not write), and outside one computed afresh each time.
    """
    if connection.in_atomic_block:
        memo = _request_memo.get()
        if memo is None:
            return compute()
        if ("per_revision", name) not in memo:
            memo["per_revision", name] = compute()
        return memo["per_revision", name]
    revision = current_revision()
    remembered = _remembered.get(name) if in_process else None
    if remembered is not None and remembered[0] == revision:
        return remembered[1]
    shared, key = caches["default"], f"per-revision:{revision}:{name}"
    value = cache_get(shared, key)
    if value is MISSING:
        value = compute()
        cache_set(shared, key, value)
    if in_process:
        _remembered[name] = (revision, value)
    return value


def forget():
    """Drop this process's copies of per_revision values (tests start each database at the
    same revision, and clear the caches too)."""
    _remembered.clear()


CODE_FOLDERS = (
    "config",
    "core",
    "history",
    "archive",
    "claims",
    "interchange",
    "templates",
    "static",
)


@functools.cache
def release():
    """MISSIVE_RELEASE, or a digest of the code that renders pages: a cached page or an ETag made
    by other code (a deploy, with Redis keeping the pages) is never taken for this code's."""
    if settings.MISSIVE_RELEASE:
        return settings.MISSIVE_RELEASE
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(request, revision):
    # Host and scheme are in the key: pages carry absolute URLs (citations, ClaimReview).
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
    day = timezone.localdate().isoformat()
    return f"page:{release()}:{revision}:{day}:{request.method}:{digest}"


def cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(NEVER_CACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def accepts_parameters(request, names):
    """The view says which query parameters its page reads. A page is kept only when every parameter
    its address carries is one of them: made-up ones (?x=1, ?x=2, …) cannot fill the cache."""
    request.missive_page_parameters = frozenset(names)


def cacheable_parameters(request):
    return set(request.GET) <= getattr(request, "missive_page_parameters", frozenset())


def cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= settings.MISSIVE_PAGE_CACHE_PAGE_KB * 1024
        and not response.cookies
        and "no-cache" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = getattr(settings, "MISSIVE_PAGE_CACHE", True)

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        # RevisionETag, outside, may have read the revision for this request already.
        token = _request_memo.set({}) if _request_memo.get() is None else None
        try:
            return self.cached_response(request) if self.enabled else self.get_response(request)
        finally:
            if token is not None:
                _request_memo.reset(token)

    def cached_response(self, request):
        key = cache_key(request, current_revision())  # read before the page reads any data
        cache = caches["pages"]
        stored = cache_get(cache, key)
        if stored is not MISSING:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = self.get_response(request)
        # A page rendered inside a transaction (tests, ATOMIC_REQUESTS) may show what a rollback
        # undoes, and changes after its transaction's first do not bump again: never keep one.
        if (
            cacheable_response(response)
            and cacheable_parameters(request)
            and not connection.in_atomic_block
        ):
            headers = {name: response[name] for name in HEADERS_KEPT if response.has_header(name)}
            cache_set(cache, key, (response.content, headers))
        return response


# The read API's JSON, the same for every reader. Not its HTML page (/api/), nor any page that
# names the reader signed in: a 304 would show them the page they saw before signing out.
ETAG_PREFIXES = ("/api/v1/",)


def revision_etag(request):
    """A weak ETag for what this address answers at the archive's current revision (and day)."""
    identity = "|".join(
        (
            release(),
            str(current_revision()),
            timezone.localdate().isoformat(),
            f"{request.scheme}://{request.get_host()}{request.get_full_path()}",
        )
    )
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()
    return f'W/"{digest[:32]}"'


def weak(etag):
    return etag.removeprefix("W/")


class RevisionETag:
    """ETags for the read API: a client holding the latest answer gets a 304 for one query.

    The tag is the revision's: every change of the archive changes it (bump()), so it is never
    stale, and nothing is rendered to compare. Before the page cache, whose copies carry it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(ETAG_PREFIXES):
            return self.get_response(request)
        token = _request_memo.set({})
        try:
            etag = revision_etag(request)
            # "*" is not honoured: it matches only an address that has a representation, which
            # only the view knows, and a 304 for a 404 would be wrong.
            held = {weak(tag) for tag in parse_etags(request.headers.get("If-None-Match", ""))}
            if weak(etag) in held:
                response = HttpResponseNotModified()
                response["ETag"] = etag
                return response
            response = self.get_response(request)
        finally:
            _request_memo.reset(token)
        if response.status_code == 200 and not response.streaming:
            response["ETag"] = etag
        return response
