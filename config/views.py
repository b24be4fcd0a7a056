import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache

# Seconds a client should wait before trying again when the database is unreachable.
RETRY_AFTER = 10


@never_cache
def healthz(request):
    """A plain 200 for load balancers: the app is up and serving (no database round trip)."""
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page; or, when the database cannot be reached (a restart, a failover), a 503 that says so.

    Django calls this inside its handler for the uncaught exception, which is therefore the
    one sys.exc_info() gives. The connection recovers by itself: each request checks its
    persistent connection first (CONN_HEALTH_CHECKS) and opens a new one if it broke.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request)
