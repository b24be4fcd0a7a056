"""Bad input, tried at scale: hypothesis sends every public page random hostile query strings.

tests/test_hostile_input.py names the known-bad values one by one; here hypothesis mixes
them with generated text, random bytes percent-encoded (invalid UTF-8 included), broken
escapes and repeated parameters, several parameters at a time. Every answer is a 200 or
400 page of the site (a 404 on a detail page's bad version day), never a 500, and nothing
sent comes back as markup.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import test_hostile_input
from .test_hostile_input import (
    FILTER_PAGES,
    HOSTILE_NAMES,
    HOSTILE_VALUES,
    IGNORING_PAGES,
    assert_answered,
)

pytestmark = pytest.mark.django_db

# The shipped letters, loaded once per module: the fixture test_hostile_input defines.
shipped = test_hostile_input.shipped

PARAMETERS = sorted(
    {name for names in FILTER_PAGES.values() for name in names}
    | {"as_of", "page", "format", "next"}
)
PAGES = [*FILTER_PAGES, *IGNORING_PAGES, "/claims/export.csv", "/claims/export.json", "/login/"]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b>",
    "<svg onload=alert(1)>",
]


def encoded(text):
    return quote(text, safe="")


values = st.one_of(
    st.sampled_from([value for _, value in HOSTILE_VALUES if isinstance(value, str)]).map(encoded),
    st.sampled_from(MARKUP).map(encoded),
    st.text(max_size=80).map(
        encoded
    ),  # any Unicode, control characters and surrogates' neighbours included
    st.binary(max_size=40).map(
        lambda raw: "".join(f"%{byte:02X}" for byte in raw)
    ),  # often not UTF-8
    st.sampled_from(["%", "%g", "%zz", "%C0%80", "%ED%A0%80", "%00", "+", "&", "=", ";"]),
    st.tuples(st.sampled_from(MARKUP), st.integers(1, 4000)).map(
        lambda pair: encoded(pair[0] * pair[1])
    ),
)


def query_strings(page):
    """Mostly the page's own parameters (where a reflected value would show), sometimes any name."""
    own = FILTER_PAGES.get(page) or PARAMETERS
    names = st.one_of(
        st.sampled_from(own),
        st.sampled_from(own),
        st.sampled_from(PARAMETERS),
        st.sampled_from([name for _, name in HOSTILE_NAMES]).map(encoded),
        st.text(max_size=12).map(encoded),
    )
    return st.lists(st.tuples(names, values), min_size=1, max_size=5).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    )


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_random_hostile_query_strings_never_break_a_page_or_come_back_as_markup(
    client, shipped, data
):
    page = data.draw(st.sampled_from(PAGES), label="page")
    query = data.draw(query_strings(page), label="query")
    url = shipped.get(page, page)
    with transaction.atomic():  # each example in its own savepoint, like a request of its own
        response = client.get(url, QUERY_STRING=query)
    if response.streaming:  # read to the end, so the test client closes it as a server would:
        b"".join(
            response.streaming_content
        )  # an export left open keeps its place (interchange/streaming.py)
    allowed = (200, 400, 404) if page in ("letter", "claim") else (200, 400)
    if response["Content-Type"].startswith("text/html"):
        assert_answered(response, f"{url}?{query[:200]}", allowed)
    else:
        assert response.status_code in allowed, f"{url}?{query[:200]}: {response.status_code}"
