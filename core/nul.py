"""NUL characters kept away from the admin's own views.

PostgreSQL refuses text holding a NUL. Missive's pages check their parameters (core/browse.py),
but the admin's views (autocomplete, change lists, history) pass the address and its query
straight to queries: an admin request carrying a NUL anywhere in either is a 400 that says so.
"""

from django.shortcuts import render

MESSAGE = "The address contained a NUL character; remove it and try again."


class AdminRefusesNul:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in key or "\x00" in value for key, value in request.GET.items())
        ):
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
