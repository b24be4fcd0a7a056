"""Who may read the archive: everyone (the default), or with MISSIVE_PUBLIC=false only signed-in users.

A private archive still answers its health check and its sign-in pages (/login/ for any
user, the admin's for editors), and serves its stylesheet; everything else sends a
visitor to sign in and back.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

ALWAYS_OPEN = (
    "/healthz",
    "/login/",
    "/logout/",
    "/admin/login/",
    "/admin/logout/",
    "/" + settings.STATIC_URL.lstrip("/"),
)


class PrivateArchiveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = settings.MISSIVE_PUBLIC

    def __call__(self, request):
        if self.public or request.user.is_authenticated or request.path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())
