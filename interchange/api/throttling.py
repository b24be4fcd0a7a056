"""Anonymous clients are limited per address; signed-in readers are not."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRate(AnonRateThrottle):
    """MISSIVE_API_ANON_RATE requests per client address ("120/min"), counted in the shared
    cache. The address is the one the sign-in lockout uses (django-ipware through axes): behind
    the documented proxy, the client's, never the proxy's, which every client shares."""

    def get_rate(self):
        return settings.MISSIVE_API_ANON_RATE

    def get_ident(self, request):
        return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
