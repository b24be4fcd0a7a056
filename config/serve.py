"""The production server: `python -m config.serve` (`make serve`, `make bench`, `make fault-test`).

Granian serves Django over WSGI. Its HTTP layer (Rust, hyper) reads each request, headers and
body, before Django sees it, and writes each response while Django's thread moves on, so a
client that stalls mid-request or stops reading holds a socket, not a worker: the site stays
up (tests/test_slow_clients.py; the measurements are in docs/deployment.md).

MISSIVE_BIND (host:port), MISSIVE_WORKERS (processes, about one per core) and MISSIVE_THREADS
(Django threads per process, each with its own database connection) configure it.
"""

import gc
import math
import os
import sys


def number(name, default, kind=int, most=None):
    """A setting from the environment, or a plain message (not a traceback) when it is out of range."""
    value = os.environ.get(name) or str(default)
    try:
        parsed = kind(value)
    except ValueError:
        parsed = 0
    if not 0 < parsed <= (most or math.inf):
        limit = f" and at most {most}" if most else ""
        sys.exit(f"{name} must be a number above 0{limit}, not {value!r}.")
    return parsed


def settings():
    from granian.http import HTTP1Settings

    bind = os.environ.get("MISSIVE_BIND") or "127.0.0.1:8000"
    host, _, port = bind.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"MISSIVE_BIND must be host:port, such as 127.0.0.1:8000, not {bind!r}.")
    return {
        "address": host.strip("[]") or "127.0.0.1",
        "port": int(port),
        "workers": number("MISSIVE_WORKERS", 2),
        # A request's headers must arrive within this many seconds, or the connection is closed.
        "http1_settings": HTTP1Settings(
            header_read_timeout=int(number("MISSIVE_HEADER_TIMEOUT", 10, float, most=60) * 1000)
        ),
        # More threads than cores, so that a download stalled by its reader (at most
        # MISSIVE_CONCURRENT_EXPORTS of them) leaves threads for pages; as many as Granian
        # recommends. Each has a database connection: workers × threads in all.
        "blocking_threads": number("MISSIVE_THREADS", 2 * os.cpu_count() + 1),
    }


def application():
    """Django's WSGI application, loaded as a first request would, then frozen out of the collector's sight.

    A full garbage collection walks every tracked object: with Django, its URLconf and the
    models loaded that is about 100,000 of them, and a pass lands on one request in a few
    hundred (the cold p99; docs/performance.md). Objects that live as long as the worker need
    never be walked. Granian calls this once in each worker process.
    """
    from django.conf import settings as django_settings
    from django.urls import get_resolver

    from config.wsgi import application as wsgi

    _ = get_resolver(django_settings.ROOT_URLCONF).url_patterns  # imports every view module
    gc.collect()
    gc.freeze()
    return wsgi


def server():
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    return Granian(
        "config.serve:application",
        factory=True,
        interface=Interfaces.WSGI,
        # A worker that dies (killed, out of memory) is replaced; the others serve meanwhile.
        respawn_failed_workers=True,
        log_level=LogLevels(os.environ.get("MISSIVE_SERVER_LOG_LEVEL", "warning")),
        **settings(),
    )


if __name__ == "__main__":
    server().serve()
