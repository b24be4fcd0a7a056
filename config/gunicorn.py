"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (`make bench`).

Override with gunicorn's own environment variable, GUNICORN_CMD_ARGS ("--bind … --workers …").
"""
import gc

bind = "127.0.0.1:8000"
workers = 2  # one per core on the 2-core machines Missive is measured on
worker_tmp_dir = "/dev/shm"  # heartbeats in memory, not on a possibly slow disk


def post_worker_init(worker):
    """Load everything a first request would, then freeze it out of the garbage collector's sight.

    A full collection walks every tracked object: with Django, its URLconf and the models
    loaded that is about 100,000 of them, 60 ms a pass, landing on one request in a few
    hundred (the cold p99). Objects that live as long as the worker need never be walked.
    """
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver(settings.ROOT_URLCONF).url_patterns  # imports every view module
    gc.collect()
    gc.freeze()
