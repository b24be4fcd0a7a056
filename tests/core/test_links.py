"""Detail addresses built around a stand-in key are the ones reverse() gives."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from core.links import detail_url

NAMES_AND_KEYS = [
    ("claims:claim-detail", 1),
    ("claims:claim-detail", 9876543210),
    ("claims:claim-detail", 40),
    ("archive:letter-detail", "to-nato-2026-02"),
    ("archive:letter-detail", "9876543210"),
    ("archive:actor-detail", "islamic-republic-of-iran"),
]


@pytest.mark.parametrize(("name", "key"), NAMES_AND_KEYS)
@pytest.mark.parametrize("script_prefix", ["/", "/missive/", "/9876543210/"])
def test_a_detail_address_is_what_reverse_gives(name, key, script_prefix):
    set_script_prefix(script_prefix)
    try:
        assert detail_url(name, key) == reverse(name, args=[key])
        assert detail_url(name, key).startswith(script_prefix)
    finally:
        set_script_prefix("/")


@override_settings(ROOT_URLCONF="tests.core.other_urls")
def test_another_urlconf_gets_its_own_addresses():
    assert detail_url("claims:claim-detail", 7) == reverse("claims:claim-detail", args=[7])
    assert detail_url("claims:claim-detail", 7) == "/elsewhere/claims/7/"
