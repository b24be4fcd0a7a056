"""The archive's own address, for identifiers that must not depend on which host a request used."""

from django.conf import settings


def public_url(request, path="/"):
    """`path` under MISSIVE_PUBLIC_URL, or under the address the request came to when that is unset."""
    base = settings.MISSIVE_PUBLIC_URL or f"{request.scheme}://{request.get_host()}"
    return base + path
