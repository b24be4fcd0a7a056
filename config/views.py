from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """A plain 200 for load balancers: the app is up and serving (no database round trip)."""
    return HttpResponse("ok\n", content_type="text/plain")
