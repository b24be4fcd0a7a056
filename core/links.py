"""Addresses of detail pages, built without a reverse() for each row.

A list of fifty claims links each claim and its letter: a hundred reverse() calls, about a tenth
of a cold list page. Each URL pattern is reversed once (for each script prefix and URLconf) with
a stand-in key, and a row's address is that with the row's own key in its place. Only for
patterns whose one argument is an integer or a slug: reverse() writes those unchanged.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

STAND_IN = "9876543210"  # a valid integer and a valid slug


@functools.cache
def _around_key(name, script_prefix, urlconf):
    url = reverse(name, args=[STAND_IN], urlconf=urlconf)
    before, _, after = url.rpartition(STAND_IN)
    return before, after


def detail_url(name, key):
    """What `reverse(name, args=[key])` gives, for a pattern of one integer or slug argument."""
    before, after = _around_key(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{key}{after}"
