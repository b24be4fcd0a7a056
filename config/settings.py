"""Missive settings, read from the environment.

Development defaults need nothing set. With DJANGO_DEBUG=false the app refuses to
start unless DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are given.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name) or str(default)
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {value!r}.")
    return number


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    # A fixed key is fine for a development machine and nowhere else.
    SECRET_KEY = SECRET_KEY or "django-insecure-missive-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is false.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # Layers, lowest first: each imports only those above it in this list (docs/architecture.md).
    "core",
    "history",
    "archive",
    "claims",
    "interchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Any site may read the API from a browser (CORS_* below): GET only, never with cookies.
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous public reads go to a read replica, when there are any (core/replicas.py).
    "core.replicas.ReadFromReplicas",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # With MISSIVE_PUBLIC=false, only signed-in users get past this (core/access.py).
    "core.access.PrivateArchiveMiddleware",
    # PostgreSQL refuses NUL in text; the admin's own views would pass one on (core/nul.py).
    "core.nul.AdminRefusesNul",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the logged-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # An API answer's ETag is the archive's revision: If-None-Match is a 304 before any work.
    "core.page_cache.RevisionETag",
    # Innermost, so the headers the middleware above adds are on cached pages too.
    "core.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with its own page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files straight from the app server, compressed, with far-future caching of hashed
    # names (in development, runserver serves them).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite file when DATABASE_URL is unset; postgres://… selects PostgreSQL (psycopg 3)
# with persistent connections that are health-checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing for a local file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Connection pooling (psycopg's pool, through Django): DATABASE_POOL_SIZE=n keeps up to n
# connections per process, opened once and lent to each request, instead of one persistent
# connection per thread. Measured in docs/performance.md.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
if DATABASE_POOL_SIZE:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOL_SIZE needs PostgreSQL.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
    }

# How many joined tables PostgreSQL's planner reorders freely (core/planner.py); 0 leaves
# PostgreSQL's own limit (8).
MISSIVE_JOIN_COLLAPSE_LIMIT = env_int("DATABASE_JOIN_COLLAPSE_LIMIT", 4)

# Read replicas: DATABASE_REPLICA_URLS=postgres://…,postgres://… serves anonymous public pages
# from the replicas (streaming copies of the primary), and every write, the admin, the
# workbench and anyone signed in from the primary, so an editor reads their own writes
# (core/replicas.py). A replica that does not answer, or lags the primary by more than
# DATABASE_REPLICA_MAX_LAG seconds, is passed over until it recovers: its readers read the
# primary. Tests treat each replica as a mirror of the test database.
MISSIVE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 10)
MISSIVE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    replica = dj_database_url.parse(
        url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must list postgres:// URLs.")
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)  # a host gone quiet
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    MISSIVE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]

# Import files larger than this are refused before they are read (interchange/importing/read.py).
MISSIVE_IMPORT_MAX_MB = env_int("MISSIVE_IMPORT_MAX_MB", 25)

# Files a new source is made from (interchange/ingest.py): larger ones are refused unread.
MISSIVE_SOURCE_MAX_MB = env_int("MISSIVE_SOURCE_MAX_MB", 10)

# Claim exports stream from the database while the client reads, holding one of the server's
# threads (config/serve.py) until it finishes: at most this many at once in a process, so a
# client that stops reading cannot take every thread. Beyond it, a 503 asks to retry.
MISSIVE_CONCURRENT_EXPORTS = env_int("MISSIVE_CONCURRENT_EXPORTS", 2)

# Public read-only browsing (the default), or a private archive where every page needs a sign-in.
MISSIVE_PUBLIC = env_bool("MISSIVE_PUBLIC", True)

# Rendered public pages, keyed by the archive's revision number so an edit is visible on the
# next request (core/page_cache.py), and the per-revision figures many pages share. 10–250 KB a
# page. In each process's memory by default; CACHE_URL=redis://host:6379/0 puts both in one
# Redis that every app server shares (docs/deployment.md). Invalidation needs no messages: the
# revision number lives in the database, and a new one makes every older key unreachable.
MISSIVE_PAGE_CACHE = env_bool("MISSIVE_PAGE_CACHE", True)
# What the running code is: part of every cached page's key and every ETag, so a deploy that
# changes what a page or the API says never serves the old words. Unset, a digest of the
# project's own code, templates and static files, read once per process (core/page_cache.py).
MISSIVE_RELEASE = os.environ.get("MISSIVE_RELEASE", "")
MISSIVE_PAGE_CACHE_PAGE_KB = env_int("MISSIVE_PAGE_CACHE_PAGE_KB", 256)


def cache_from_url(url, prefix, max_entries, namespace=""):
    """A CACHES entry: Django's local-memory cache, or its Redis cache for redis:// or rediss://.
    `namespace` keeps apart archives that share one Redis (each database's own)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    if scheme in ("", "locmem"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"missive-{prefix}",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if scheme in ("redis", "rediss"):
        # Redis bounds itself (maxmemory with an LRU policy, docs/deployment.md), not per entry.
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"missive-{namespace}-{prefix}" if namespace else f"missive-{prefix}",
            "TIMEOUT": 24 * 3600,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://host:port/db, rediss://… or locmem://, not {url!r}."
    )


CACHE_URL = os.environ.get("CACHE_URL", "")
# Two archives (production and staging, say) sharing one Redis never share an entry: every key
# names the primary database the archive lives in, which all of one archive's servers share.
_primary = DATABASES["default"]
CACHE_NAMESPACE = hashlib.sha256(
    f"{_primary.get('HOST')}:{_primary.get('PORT')}/{_primary.get('NAME')}".encode()
).hexdigest()[:12]
CACHES = {
    "default": cache_from_url(CACHE_URL, "default", 1000, CACHE_NAMESPACE),
    # Bounded in bytes when local: no page larger than MISSIVE_PAGE_CACHE_PAGE_KB is kept, and as
    # many pages as MISSIVE_PAGE_CACHE_MB holds at that size (core/page_cache.py).
    "pages": cache_from_url(
        CACHE_URL,
        "pages",
        max(1, env_int("MISSIVE_PAGE_CACHE_MB", 64) * 1024 // MISSIVE_PAGE_CACHE_PAGE_KB),
        CACHE_NAMESPACE,
    ),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Uploaded files (a source's original file). Never served at a public address: editors download
# them through the admin. Another storage (S3, say) is a STORAGES["default"] away.
MEDIA_ROOT = Path(os.environ.get("MISSIVE_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, names carry a content hash (cache-busting) and gzip/Brotli copies sit beside
    # them; both need `collectstatic`, which `make serve` runs.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "/"

# Sign-in guessing (django-axes): five failures for one username from one address lock that
# pair out for 15 minutes; a success clears the count. Per pair, so no one can lock an editor
# out from elsewhere. Attempts are kept in the database, shared by every server process.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_VERBOSE = False

# Production hardening; harmless in development because each depends on DEBUG.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# The sign-in lockout keys on the client's address (django-ipware, through axes). Behind the
# documented proxy that is the address the proxy appended to X-Forwarded-For, counting
# DJANGO_TRUSTED_PROXIES proxies from the right (addresses a client wrote further left are
# ignored), never the proxy's own, which every client shares.
if BEHIND_TLS_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", 1) - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# No MIME sniffing, no framing, referrers only to this site (Django's defaults, stated because
# the archive relies on them); session and CSRF cookies out of scripts' reach (the latter is not
# a default: no script here reads it).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles and images from this site only, no
# inline script or style, nothing framed and no framing. JSON-LD blocks are data, not script.

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The archive's name, used in titles and citations.
MISSIVE_TITLE = "Missive"
# Who publishes the archive's data, named in the CMIF file correspSearch harvests and in citations.
MISSIVE_PUBLISHER = os.environ.get("MISSIVE_PUBLISHER", "Missive")
# The publishing organisation's own address, the `url` of the author of every ClaimReview
# (the editors' own assessments); the archive's home page when unset.
MISSIVE_PUBLISHER_URL = os.environ.get("MISSIVE_PUBLISHER_URL", "")
if MISSIVE_PUBLISHER_URL and not MISSIVE_PUBLISHER_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("MISSIVE_PUBLISHER_URL must be an http(s) URL.")
# The archive's public address (https://missive.example): the base of the permanent identifiers
# feeds and exchange files carry. Unset, the address a request came to stands in (development).
MISSIVE_PUBLIC_URL = os.environ.get("MISSIVE_PUBLIC_URL", "").rstrip("/")
if MISSIVE_PUBLIC_URL and not MISSIVE_PUBLIC_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("MISSIVE_PUBLIC_URL must be an http(s) URL.")
# The language of the sources' texts (BCP 47), which annotations of their quotes declare.
MISSIVE_SOURCE_LANGUAGE = os.environ.get("MISSIVE_SOURCE_LANGUAGE", "en")
MISSIVE_EDITOR = os.environ.get("MISSIVE_EDITOR", "The Missive editors")
MISSIVE_EDITOR_EMAIL = os.environ.get("MISSIVE_EDITOR_EMAIL", "")
# The licence of the letter metadata: CMIF requires CC-BY 4.0 or CC0 1.0.
MISSIVE_LICENCE = os.environ.get("MISSIVE_LICENCE", "CC-BY-4.0")
if MISSIVE_LICENCE not in {"CC-BY-4.0", "CC0-1.0"}:
    raise ImproperlyConfigured(
        f"MISSIVE_LICENCE must be CC-BY-4.0 or CC0-1.0, not {MISSIVE_LICENCE!r}."
    )


# The read API (/api/v1/, interchange/api/): Django REST framework, its schema by drf-spectacular.
# JSON only: the browsable documentation is /api/, a page of the site. Anonymous clients are
# limited per address (MISSIVE_API_ANON_RATE, "120/min" unless set: n/second, minute, hour or
# day); signed-in readers are not.
MISSIVE_API_ANON_RATE = os.environ.get("MISSIVE_API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["interchange.api.renderers.PlainJSON"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["interchange.api.throttling.AnonymousRate"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "interchange.api.errors.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Missive read API",
    "DESCRIPTION": (
        "Letters and the claims they make, each claim attributed to its letter's sender and "
        "shown with its verification status and whose status it is. Read only."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SORT_OPERATION_PARAMETERS": False,
    "ENUM_NAME_OVERRIDES": {"StatusBasisEnum": "claims.models.VerificationStatus.Basis"},
    # The values are listed as an enum already; their labels are the pages'.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Link", "Retry-After")
