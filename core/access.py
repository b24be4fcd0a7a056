"""Who may read the archive: everyone (the default), or with MISSIVE_PUBLIC=false only signed-in users.

A private archive still answers its health check and its sign-in pages (/login/ for any
user, the admin's for editors), and serves its stylesheet; everything else sends a
visitor to sign in and back.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.cache import patch_cache_control

# Whole paths: "/healthz" opens /healthz, not /healthz-anything.
ALWAYS_OPEN = frozenset({"/healthz", "/login/", "/logout/", "/admin/login/", "/admin/logout/"})
STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")
API_PREFIX = "/api/v1/"


def is_always_open(path):
    return path in ALWAYS_OPEN or path.startswith(STATIC_PREFIX)


class PrivateArchiveMiddleware:
    """Sends visitors of a private archive to sign in; marks every signed-in page private, so no
    shared cache (a proxy, a CDN) keeps one reader's page to show another."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = settings.MISSIVE_PUBLIC

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        if not (self.public or signed_in or is_always_open(request.path)):
            if request.path.startswith(API_PREFIX):  # a program, not a person: no sign-in page
                return JsonResponse(
                    {"detail": "This archive is not public: sign in (/login/) to read it."},
                    status=403,
                )
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if signed_in:
            patch_cache_control(response, private=True)
        return response
