"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (`make serve`, `make bench`).

MISSIVE_BIND and MISSIVE_WORKERS set the address and the number of worker processes;
gunicorn's own GUNICORN_CMD_ARGS overrides anything here.
"""

import gc
import os

bind = os.environ.get("MISSIVE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MISSIVE_WORKERS", "2"))  # about one per core
worker_tmp_dir = "/dev/shm"  # heartbeats in memory, not on a possibly slow disk


def post_worker_init(worker):
    """Load everything a first request would, then freeze it out of the garbage collector's sight.

    A full collection walks every tracked object: with Django, its URLconf and the models
    loaded that is about 100,000 of them, and a pass lands on one request in a few hundred
    (the cold p99; docs/performance.md). Objects that live as long as the worker need never be walked.
    """
    from django.conf import settings
    from django.urls import get_resolver

    _ = get_resolver(settings.ROOT_URLCONF).url_patterns  # imports every view module
    gc.collect()
    gc.freeze()
