"""Bad input never breaks a page, and everything shown is escaped.

Every public page gets every parameter it reads, and some it does not, with hostile
values: the answer is a 200 or a 400 page (a 404 for a bad path segment), never a 500,
and never the hostile markup unescaped. Then a source, letter, claims, an actor and a
response full of markup are shown on every page that shows them, highlighting included:
the markup is displayed as text.

The shipped letters are loaded once for the whole module (loading them takes seconds
and there are hundreds of requests here), inside a transaction that is rolled back at
the end of the module; every test still runs in its own savepoint, rolled back after it,
so no test sees another's changes.
"""

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.utils.html import escape

from archive.models import Actor, Letter, Source
from claims.changes import shorten
from claims.models import Claim, Evidence, Response, VerificationStatus
from claims.views import ClaimListView
from interchange.importing import import_file

from .conftest import SHIPPED_LETTERS

pytestmark = pytest.mark.django_db

NATO = "balochistan-to-nato-2026-01-04"

# What must never appear in a page: the start of any element a hostile value could inject.
# No template of the site has an <img>, and its only <script> is the claim page's JSON-LD data
# block (whose JSON escapes every "<"), so any other one is injected.
FORBIDDEN = ("<script", "<img", "<b>bold", "<svg onload")
DATA_BLOCK = '<script type="application/ld+json">'


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The shipped letters, loaded once for this module and rolled back after it.

    The same rows as conftest's `shipped_letters`; returns the URLs of one letter, one
    claim and one actor of them for the detail pages.
    """
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            import_file(SHIPPED_LETTERS)
            claim = Claim.objects.filter(letter__slug=NATO).order_by("position", "pk").first()
            urls = {
                "letter": Letter.objects.get(slug=NATO).get_absolute_url(),
                "claim": claim.get_absolute_url(),
                "annotation": f"{claim.get_absolute_url()}annotation.json",
                "source": f"/sources/{claim.source.slug}.txt",
                "actor": Actor.objects.get(slug="pakistan").get_absolute_url(),
                "recurring": "/recurring/pakistan-fosters-militancy/",
            }
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield urls
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


def text_of(response):
    return response.content.decode("utf-8", errors="replace")


def assert_nothing_injected(body, where):
    assert body.count(DATA_BLOCK) <= 1, f"{where}: more than one data block"
    lowered = body.replace(DATA_BLOCK, "").lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in lowered, f"{where}: raw {forbidden!r} in the page"


def assert_answered(response, where, allowed=(200, 400)):
    """A 200 or 400 page, nothing injected; a 400 is a whole page that says what is wrong."""
    assert response.status_code in allowed, f"{where}: status {response.status_code}"
    body = text_of(response)
    assert_nothing_injected(body, where)
    if response.status_code == 400:
        assert re.search(r"<h1[ >]", body), f"{where}: a 400 without the site's page"
        assert 'class="errorlist' in body or 'role="alert"' in body, (
            f"{where}: a 400 that shows no error"
        )
    return body


# Hostile values: (id, value). A list is a repeated parameter.
LONG = ("<script>alert(1)</script>" + "x" * 75) * 1000
assert len(LONG) == 100_000

HOSTILE_VALUES = [
    ("unknown-slug", "no-such-thing-anywhere"),
    ("empty", ""),
    ("whitespace", " \t\r\n\u00a0\u2003 "),
    ("script", "<script>alert(1)</script>"),
    ("attribute-breakout", '"><img src=x onerror=alert(1)>'),
    ("single-quote-breakout", "'><svg onload=alert(1)>"),
    ("sql-or", "' OR 1=1 --"),
    ("sql-drop", "1; DROP TABLE claims_claim"),
    ("percent", "%"),
    ("underscore", "_"),
    ("backslashes", "\\ \\\\ \\' \\% \\_"),
    ("100k-string", LONG),
    ("nul", "a\x00<script>alert(1)</script>"),
    ("control-characters", "\x01\x02\x07\x08\x1b[2J\x7f\x85\u2028\ufeff"),
    ("rtl-override", "\u202e<script>alert(1)</script>\u202c مرحبا שלום"),
    ("emoji", "\U0001f4dc\U0001f3f3\ufe0f\u200d\U0001f308\U0001f469\U0001f3fd\u200d\u2696\ufe0f"),
    ("combining", "Z\u0334\u0321\u031ba\u0335l\u0336g\u0338o" + "\u0301" * 50),
    ("negative", "-1"),
    ("zero", "0"),
    ("huge-number", "99999999999999999999999999"),
    ("float-overflow", "1.5e308"),
    ("date-2026-13-45", "2026-13-45"),
    ("date-0000-00-00", "0000-00-00"),
    ("date-99999-01-01", "99999-01-01"),
    ("datetime-before-year-1-in-utc", "0001-01-01T00:00:00+14:00"),
    ("datetime-after-year-9999-in-utc", "9999-12-31T23:59:59-12:00"),
    ("headline-markers", "\ue000<script>alert(1)</script>\ue001"),
    ("websearch-syntax", '"unclosed -"- or OR -or "" *** :* & | !'),
    ("repeated", ["a", "b", "<script>alert(1)</script>"]),
]

# Query strings no dict can produce: bytes that are not UTF-8, broken %-escapes.
RAW_QUERIES = [
    ("raw-invalid-utf8-and-nul", "{}=%ff%fe%00"),
    ("raw-invalid-utf8", "{}=%ff%fe"),
    ("raw-broken-escapes-and-lone-percent", "{}=%zz%g%"),
    ("raw-overlong-nul-and-encoded-surrogate", "{}=%C0%80%ED%A0%80"),
    ("raw-script-percent-encoded", "{}=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
]

# Parameter names that are themselves hostile (the value is harmless).
HOSTILE_NAMES = [
    ("name-script", "<script>alert(1)</script>"),
    ("name-attribute-breakout", '"><img src=x onerror=alert(1)>'),
    ("name-nul", "q\x00"),
    ("name-empty", ""),
    ("name-brackets", "status[]"),
    ("name-100k", LONG),
    ("name-unicode", "\u202e\U0001f4dc"),
]

FILTER_PAGES = {
    "/letters/": ["q", "sender", "recipient", "date_from", "date_to", "sort", "after", "before"],
    "/claims/": [
        "q",
        "status",
        "kind",
        "letter",
        "about",
        "responder",
        "stance",
        "date_from",
        "date_to",
        "sort",
        "after",
        "before",
    ],
    "/letters/correspondence/": ["q", "sender", "recipient", "date_from", "date_to", "sort"],
    "/actors/": ["name", "kind", "after", "before"],
    "/changes/": ["before"],
}
LIST_PAGES = ["/letters/", "/claims/", "/actors/"]


def resolve_view(page):
    from archive.views import ActorListView, LetterListView

    return {"/letters/": LetterListView, "/claims/": ClaimListView, "/actors/": ActorListView}[page]


# Pages that read no parameter: they must ignore any they are given.
IGNORING_PAGES = [
    "/",
    "/statuses/",
    "/changes/feed/",
    "/healthz",
    "letter",
    "claim",
    "actor",
    "/letters/cmif.xml",
    "annotation",
    "source",
    "/recurring/",
    "recurring",
    "/api/",
]
JUNK_NAMES = ["q", "after", "sort", "status", "before"]


def resolve(page, urls):
    return urls.get(page, page)


@pytest.fixture
def small_claim_pages(monkeypatch):
    """Two claims a page, so the hundreds of requests below stay fast (a claim's date takes ~30 ms to
    render); paging, filtering and error handling are the same at any page size."""
    monkeypatch.setattr(ClaimListView, "paginate_by", 2)


def hostile_requests(parameter):
    """(id, data, raw query string) for every hostile value of one parameter."""
    for name, value in HOSTILE_VALUES:
        yield name, {parameter: value}, None
    for name, template in RAW_QUERIES:
        yield name, None, template.format(parameter)


def answer_all(client, url, requests, allowed=(200, 400)):
    """Send each request in its own savepoint and check every answer; report all failures at once.

    The test client re-raises a view's exception, so a 500 is caught here with its cause.
    """
    failures = []
    for name, data, raw_query in requests:
        try:
            with transaction.atomic():
                response = (
                    client.get(url, data)
                    if raw_query is None
                    else client.get(url, QUERY_STRING=raw_query)
                )
            assert_answered(response, name, allowed)
        except Exception as error:
            failures.append(f"{url} [{name}]: {type(error).__name__}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "page, parameter",
    [
        pytest.param(page, parameter, id=f"{page}?{parameter}")
        for page, parameters in FILTER_PAGES.items()
        for parameter in parameters
    ],
)
def test_every_parameter_of_every_page_answers_hostile_values_with_200_or_400(
    client, shipped, small_claim_pages, page, parameter
):
    rows = Claim.objects.count(), Letter.objects.count(), Actor.objects.count()
    answer_all(client, page, hostile_requests(parameter))
    assert (
        Claim.objects.count(),
        Letter.objects.count(),
        Actor.objects.count(),
    ) == rows  # no SQL got through


@pytest.mark.parametrize("page", ["letter", "claim"])
def test_the_day_of_a_past_version_answers_hostile_values_with_200_or_400(client, shipped, page):
    answer_all(client, resolve(page, shipped), hostile_requests("as_of"))


EXPORTS = ["/claims/export.csv", "/claims/export.json"]


@pytest.mark.parametrize(
    "export, parameter",
    [
        pytest.param(export, parameter, id=f"{export}?{parameter}")
        for export in EXPORTS
        for parameter in FILTER_PAGES["/claims/"]
    ],
)
def test_every_parameter_of_the_exports_answers_hostile_values_with_200_or_400(
    client, shipped, export, parameter
):
    """An export is data, not a page: a 400 names the bad parameter in text or JSON, never run as HTML."""
    failures = []
    for name, data, raw_query in hostile_requests(parameter):
        try:
            with transaction.atomic():
                response = (
                    client.get(export, data)
                    if raw_query is None
                    else client.get(export, QUERY_STRING=raw_query)
                )
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            assert response.status_code in (200, 400), response.status_code
            assert response["Content-Type"].split(";")[0] in (
                "text/csv",
                "application/json",
                "text/plain",
            )
            assert response["X-Content-Type-Options"] == "nosniff"
            if response.status_code == 400:
                assert body.startswith(b"The export was refused:\n") or b'"errors"' in body
        except Exception as error:
            failures.append(f"{export} [{name}]: {type(error).__name__}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", [*FILTER_PAGES, *IGNORING_PAGES])
def test_a_hostile_parameter_name_is_answered_with_200_or_400(
    client, shipped, small_claim_pages, page
):
    requests = [(name, {parameter: "1"}, None) for name, parameter in HOSTILE_NAMES]
    requests.append(("raw-hostile-names", None, "%ff%fe=1&%00=%00&&&=&q"))
    # A page that reads no parameter ignores them all: a 200.
    answer_all(
        client, resolve(page, shipped), requests, (200, 400) if page in FILTER_PAGES else (200,)
    )


def every_hostile_value():
    for _, value in HOSTILE_VALUES:
        yield from value if isinstance(value, list) else [value]


@pytest.mark.parametrize("page", IGNORING_PAGES)
def test_a_page_without_parameters_ignores_junk_ones(client, shipped, page):
    # These pages read nothing from the query string, so every hostile value goes in one request
    # (each junk name repeated with all of them), and every undecodable query string in another.
    url = resolve(page, shipped)
    requests = [
        ("every hostile value", {junk: list(every_hostile_value()) for junk in JUNK_NAMES}, None),
        (
            "every raw query",
            None,
            "&".join(t.format(junk) for _, t in RAW_QUERIES for junk in JUNK_NAMES),
        ),
    ]
    answer_all(client, url, requests, allowed=(200,))
    if page == "/healthz":
        assert client.get(url, {"q": "<script>"}).content == b"ok\n"


@pytest.mark.parametrize("page", list(FILTER_PAGES))
def test_every_parameter_hostile_at_once_is_a_400(client, shipped, page):
    hostile = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    response = client.get(page, dict.fromkeys(FILTER_PAGES[page], hostile))
    assert_answered(response, page)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/claims/99999999999999999999999/",
        "/claims/9223372036854775808/",
        "/claims/0/",
        "/claims/-1/",
        "/claims/1e3/",
        "/claims/%D9%A1/",  # Arabic-Indic digit one
        "/letters/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/letters/no-such-letter/",
        "/letters/%00/",
        "/letters/%ff%fe/",
        "/letters/" + "a" * 5000 + "/",
        "/actors/..%2F/",
        "/actors/../",
        "/actors/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/",
        "/actors/no-such-actor/",
        "/statuses/%3Cscript%3E/",
        "/changes/feed/%3Cscript%3E/",
    ],
)
def test_a_hostile_path_segment_is_a_404(client, shipped, path):
    response = client.get(path)
    assert response.status_code == 404, f"{path}: {response.status_code}"
    assert_nothing_injected(text_of(response), path)


# Specific answers, one behaviour each


DAMAGED_CURSORS = [
    "abc",
    "!!!",
    "W10",
    "WzEsIFsieCJdXQ",
    "WyJ4IiwgW11d",
    "WzEsIFtudWxsLCBudWxsLCBudWxsLCBudWxsXV0",
    "WzEsIFsibm90IGEgZGF0ZSIsIDEsIDEsIDFdXQ",
    "é",
    "x" * 5000,
]


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("direction", ["after", "before"])
@pytest.mark.parametrize("cursor", DAMAGED_CURSORS, ids=range(len(DAMAGED_CURSORS)))
def test_a_damaged_page_link_is_a_400_that_says_so(
    client, shipped, small_claim_pages, page, direction, cursor
):
    response = client.get(page, {direction: cursor})
    assert response.status_code == 400
    body = text_of(response)
    assert "This page link is damaged or out of date; start again from the first page." in body
    assert 'href="?">Go to the first page</a>' in body
    assert '<form method="get" class="filters"' in body  # the form is still there to correct


def test_a_damaged_page_link_keeps_the_filters_in_its_link_to_the_first_page(client, shipped):
    response = client.get("/claims/", {"kind": "historical", "after": "abc"})
    assert response.status_code == 400
    assert 'href="?kind=historical">Go to the first page</a>' in text_of(response)


@pytest.mark.parametrize("page", LIST_PAGES)
def test_a_link_past_the_last_row_is_an_empty_200_with_a_link_to_the_first_page(
    client, shipped, page
):
    from core.keyset import cursor_at

    view = resolve_view(page)
    queryset = view().get_queryset()
    response = client.get(page, {"after": cursor_at(queryset, queryset.count())})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    body = text_of(response)
    assert "Nothing comes after this point in the list." in body
    assert "Go to the first page</a>" in body


def test_an_unknown_status_slug_is_a_400_naming_the_problem(client, shipped):
    response = client.get("/claims/", {"status": ["disputed", "no-such-status"]})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["status"] == [
        "Select a valid choice. no-such-status is not one of the available choices."
    ]
    body = text_of(response)
    assert "Select a valid choice. no-such-status is not one of the available choices." in body
    assert list(response.context["object_list"]) == []


def test_an_unknown_status_slug_with_markup_is_named_escaped(client, shipped):
    response = client.get("/claims/", {"status": "<script>alert(1)</script>"})
    assert response.status_code == 400
    body = text_of(response)
    assert (
        "Select a valid choice. &lt;script&gt;alert(1)&lt;/script&gt; is not one of the available choices."
        in body
    )
    assert_nothing_injected(body, "/claims/?status=<script>")


@pytest.mark.parametrize("page", ["/letters/", "/claims/"])
def test_an_unknown_sort_is_a_400(client, shipped, page):
    response = client.get(page, {"sort": "by-the-moon"})
    assert response.status_code == 400
    assert "sort" in response.context["filter"].form.errors
    assert "Select a valid choice. by-the-moon is not one of the available choices." in text_of(
        response
    )


@pytest.mark.parametrize("page", ["/letters/", "/claims/"])
def test_a_date_range_that_ends_before_it_starts_is_a_400_saying_so(client, shipped, page):
    response = client.get(page, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["date_to"] == [
        "The end date is before the start date."
    ]
    assert "The end date is before the start date." in text_of(response)
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    "page, parameter",
    [(page, parameter) for page in LIST_PAGES for parameter in FILTER_PAGES[page]]
    + [("/changes/", "before")],
)
def test_a_nul_byte_in_any_parameter_is_a_400(client, shipped, small_claim_pages, page, parameter):
    response = client.get(page, {parameter: "ok\x00"})
    assert response.status_code == 400, f"{page}?{parameter}=ok%00: {response.status_code}"
    body = text_of(response)
    assert re.search(r"<h1[ >]", body)
    if page in LIST_PAGES:
        assert "A parameter contained a NUL character; remove it and try again." in body


@pytest.mark.parametrize("page", LIST_PAGES)
def test_a_nul_byte_in_a_parameter_name_is_a_400(client, shipped, small_claim_pages, page):
    response = client.get(page, QUERY_STRING="page%00=1")
    assert response.status_code == 400
    assert "A parameter contained a NUL character" in text_of(response)


@pytest.mark.parametrize(
    "page, parameter", [("/claims/", "q"), ("/letters/", "q"), ("/actors/", "name")]
)
def test_a_100_kb_search_string_does_not_500_or_come_back_unescaped(
    client, shipped, page, parameter
):
    response = client.get(page, {parameter: LONG})
    assert response.status_code in (200, 400)
    body = text_of(response)
    assert_nothing_injected(body, f"{page}?{parameter}=100 KB")
    assert LONG[:1000] not in body  # not even a kilobyte of it raw
    if response.status_code == 400:
        assert "Ensure this value has at most 200 characters (it has 100000)." in body


def test_a_thousand_repeated_parameters_is_a_400_page_of_the_site(client, shipped):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) parameters when a view first reads
    # request.GET (a page that reads none, like the home page, just ignores them); the 400 it answers
    # with must still be a page of the site, like every other 400 here.
    response = client.get("/claims/", {"status": ["disputed"] * 1001})
    assert response.status_code == 400
    body = text_of(response)
    assert re.search(r"<h1[ >]", body)
    assert 'class="site-header"' in body, "a bare error page, without the site"
    assert_nothing_injected(body, "/claims/ with 1,001 parameters")


# Markup in the data: shown as text everywhere, highlighting included

SOURCE_TEXT = (
    'The report opens. <script>alert("src")</script> Then &amp; an entity, and "quotes" here. '
    "It names <img src=x onerror=alert(1)> as a party. The last words mention a script."
)
SCRIPT_QUOTE = '<script>alert("src")</script>'
OVERLAPPING_QUOTE = 'alert("src")</script> Then &amp;'  # overlaps SCRIPT_QUOTE and OUTER_QUOTE
NESTED_QUOTE = 'alert("src")'  # inside SCRIPT_QUOTE and OVERLAPPING_QUOTE
OUTER_QUOTE = 'Then &amp; an entity, and "quotes" here.'
INNER_QUOTE = '"quotes"'  # inside OUTER_QUOTE
RESPONSE_QUOTE = "It names <img src=x onerror=alert(1)> as a party."
STATEMENT = 'a script said <b>bold</b> and <script>alert("stmt")</script> in "quotes" & more'
ACTOR_NAME = "<img src=x onerror=alert(1)>"
LETTER_TITLE = 'A letter with a script: <script>alert("title")</script>'
LETTER_SUMMARY = 'The summary quotes a script: <script>alert("summary")</script> &amp; <b>bold</b>.'
SOURCE_TITLE = 'Report <script>alert("source title")</script>'
RESPONSE_STATEMENT = 'They said <script>alert("response")</script>.'
CHANGE_REASON = 'Corrected <script>alert("reason")</script> by hand'

ESCAPED_SCRIPT = "&lt;script&gt;"


@pytest.fixture
def hostile(shipped):
    """A source, a letter, claims, an actor and a response, each carrying markup."""
    actor = Actor.objects.create(name=ACTOR_NAME, slug="img-actor", kind=Actor.Kind.PERSON)
    source = Source.objects.create(title=SOURCE_TITLE, slug="hostile-source", text=SOURCE_TEXT)
    letter = Letter.objects.create(
        title=LETTER_TITLE,
        slug="hostile-letter",
        date_edtf="2026-03-01",
        sender=actor,
        summary=LETTER_SUMMARY,
    )
    letter.sources.add(source)
    unassessed = VerificationStatus.objects.get(slug="unassessed")

    def claim(key, position, quote, statement=STATEMENT, reason=None):
        made = Claim(
            letter=letter,
            key=key,
            position=position,
            statement=statement,
            kind=Claim.Kind.FACTUAL,
            status=unassessed,
            source=source,
            quote_exact=quote,
        )
        if reason:
            made._change_reason = reason
        made.save()
        return made

    claims = {
        "script": claim("script-tag", 1, SCRIPT_QUOTE, reason=CHANGE_REASON),
        "overlapping": claim(
            "overlapping", 2, OVERLAPPING_QUOTE, statement="the script tag closes."
        ),
        "nested": claim("nested", 3, NESTED_QUOTE, statement="an alert is raised."),
        "outer": claim("outer", 4, OUTER_QUOTE, statement="there is an entity."),
        "inner": claim("inner", 5, INNER_QUOTE, statement="there are quotes."),
    }
    claims["script"].about.add(actor)
    response = Response.objects.create(
        claim=claims["script"],
        actor=actor,
        stance="denies",
        source=source,
        quote_exact=RESPONSE_QUOTE,
        statement=RESPONSE_STATEMENT,
    )
    for made in claims.values():
        made.refresh_from_db()
        assert not made.is_orphan, made.key
    return {
        "actor": actor,
        "source": source,
        "letter": letter,
        "claims": claims,
        "response": response,
    }


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class BalanceChecker(HTMLParser):
    """Every element closes in order; a <mark> never holds another <mark> or a link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.marks = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        if "mark" in self.stack and tag in ("mark", "a"):
            self.problems.append(f"<{tag}> inside a <mark> at {self.getpos()}")
        if tag == "mark":
            self.marks.append("")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.problems.append(f"self-closed <{tag}/> at {self.getpos()}")

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(
                f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}"
            )
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if "mark" in self.stack:
            self.marks[-1] += data


def assert_balanced(body):
    checker = BalanceChecker()
    checker.feed(body)
    checker.close()
    assert checker.problems == []
    assert checker.stack == [], f"unclosed: {checker.stack}"
    return checker


class SourceTextReader(HTMLParser):
    """What a reader sees in the highlighted source text, and which words each claim's highlight covers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the source-text div; 0 when outside it
        self.stack, self.problems, self.tags = [], [], set()
        self.text, self.quotes, self.open_quotes, self.marks = [], {}, set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth:
            if tag == "div" and attrs.get("class") == "source-text":
                self.depth = 1
            return
        self.tags.add(tag)
        if tag in VOID_ELEMENTS:
            return
        if "mark" in self.stack:
            self.problems.append(f"<{tag}> inside a <mark>")
        self.depth += 1
        self.stack.append((tag, attrs))
        if tag == "span" and attrs.get("class") == "quote-start":
            self.quotes[attrs["id"]] = ""
            self.open_quotes.add(attrs["id"])
        elif tag == "a":
            self.open_quotes.discard("quote-claim-" + attrs["href"].strip("/").split("/")[-1])
        elif tag == "mark":
            self.marks.append([attrs.get("class", ""), ""])

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.depth == 1:
            assert tag == "div", f"the source text closes with </{tag}>"
            self.depth = 0
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {[t for t, _ in self.stack[-1:]] or 'nothing'}")
            return
        self.stack.pop()
        self.depth -= 1

    def handle_data(self, data):
        if not self.depth or any(tag == "a" for tag, _ in self.stack):
            return  # outside the text, or the link naming a claim at a quote's end
        self.text.append(data)
        for key in self.open_quotes:
            self.quotes[key] += data
        if any(tag == "mark" for tag, _ in self.stack):
            self.marks[-1][1] += data
        elif self.open_quotes:
            self.problems.append(f"quoted text outside a <mark>: {data!r}")


def assert_escaped_everywhere(body, where, *escaped):
    assert_nothing_injected(body, where)
    for fragment in escaped:
        assert fragment in body, f"{where}: {fragment!r} not shown"


def without_marks(body):
    return body.replace("<mark>", "").replace("</mark>", "")


def test_the_letter_page_shows_its_source_text_as_text_with_every_quote_highlighted_in_place(
    client, hostile
):
    letter, claims = hostile["letter"], hostile["claims"]
    response = client.get(letter.get_absolute_url())
    assert response.status_code == 200
    body = text_of(response)
    assert_escaped_everywhere(
        body,
        "letter page",
        ESCAPED_SCRIPT,
        escape(LETTER_TITLE),
        escape(ACTOR_NAME),
        escape(LETTER_SUMMARY),
        escape(STATEMENT),
        escape(SOURCE_TITLE),
    )
    assert "&amp;amp;" in body  # the source's literal "&amp;" is shown as typed, not as "&"

    reader = SourceTextReader()
    reader.feed(body)
    reader.close()
    assert reader.problems == []
    assert reader.stack == []
    assert reader.tags <= {"mark", "span", "a"}, reader.tags  # the text itself adds no element
    assert "".join(reader.text) == SOURCE_TEXT  # every character of the source, as text, in order
    for claim in claims.values():
        assert reader.quotes[f"quote-claim-{claim.pk}"] == claim.quote_exact, claim.key


def test_overlapping_and_nested_quotes_with_markup_are_shaded_by_depth_and_balanced(
    client, hostile
):
    body = text_of(client.get(hostile["letter"].get_absolute_url()))
    assert_balanced(body)
    reader = SourceTextReader()
    reader.feed(body)
    shading = {text: css for css, text in reader.marks}
    assert (
        shading
        == {
            "<script>": "quote depth-1",
            'alert("src")': "quote depth-3",  # in the script quote, the overlapping one and the nested one
            "</script>": "quote depth-2",
            " ": "quote depth-1",
            "Then &amp;": "quote depth-2",  # where the overlapping quote and the outer one overlap
            " an entity, and ": "quote depth-1",
            '"quotes"': "quote depth-2",  # the inner quote nested in the outer one
            " here.": "quote depth-1",
        }
    )
    html_of_text = body[body.index('<div class="source-text" lang="en" dir="ltr">') :]
    assert '<mark class="quote depth-1">&lt;script&gt;</mark>' in html_of_text
    assert '<mark class="quote depth-3">alert(&quot;src&quot;)</mark>' in html_of_text
    assert '<mark class="quote depth-2">Then &amp;amp;</mark>' in html_of_text


def test_the_claim_page_shows_statement_quote_and_response_as_text(client, hostile):
    claim, response = hostile["claims"]["script"], hostile["response"]
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    body = text_of(page)
    assert_escaped_everywhere(
        body,
        "claim page",
        f"<h1>The letter from {escape(ACTOR_NAME)} claims that {escape(STATEMENT)}</h1>",
        f"<mark>{escape(SCRIPT_QUOTE)}</mark>",
        escape(RESPONSE_STATEMENT),
        escape(RESPONSE_QUOTE),
        escape(CHANGE_REASON),  # in the status timeline
        escape(LETTER_TITLE),
    )
    assert (
        f'<a href="{hostile["actor"].get_absolute_url()}">{escape(ACTOR_NAME)}</a>: denies' in body
    )
    assert response.pk and f'id="response-{response.pk}"' in body
    assert_balanced(body)


def test_claim_search_highlights_terms_and_shows_the_rest_as_text(client, hostile):
    response = client.get("/claims/", {"q": "script"})
    assert response.status_code == 200
    assert hostile["claims"]["script"] in response.context["object_list"]
    body = text_of(response)
    assert_nothing_injected(body, "/claims/?q=script")
    assert re.search(r"<mark>script</mark>", body, re.IGNORECASE), (
        "the search term is not highlighted"
    )
    checker = assert_balanced(body)
    assert checker.marks and all(mark.casefold() == "script" for mark in checker.marks), (
        checker.marks
    )
    # Take the highlighting away and the markup in the statement and the quote is there, as text.
    shown = without_marks(body)
    for markup in ["<b>bold</b>", '<script>alert("stmt")</script>']:
        assert escape(markup) in shown, f"the statement's {markup!r} is not shown as text"
    assert f"Quote: “{escape(SCRIPT_QUOTE)}”" in shown, "the quote is not shown as text"
    assert f"{escape(ACTOR_NAME)}: denies" in body


def test_letter_search_highlights_terms_and_shows_the_rest_as_text(client, hostile):
    response = client.get("/letters/", {"q": "script"})
    assert response.status_code == 200
    assert hostile["letter"] in response.context["object_list"]
    body = text_of(response)
    assert_nothing_injected(body, "/letters/?q=script")
    checker = assert_balanced(body)
    assert checker.marks and all(mark.casefold() == "script" for mark in checker.marks), (
        checker.marks
    )
    assert escape(LETTER_TITLE) in body
    assert escape(ACTOR_NAME) in body
    shown = without_marks(body)
    for markup in ['<script>alert("summary")</script>', "&amp;", "<b>bold</b>"]:
        assert escape(markup) in shown, f"the summary's {markup!r} is not shown as text"


def test_the_actor_page_shows_a_name_with_markup_as_text(client, hostile):
    actor = hostile["actor"]
    response = client.get(actor.get_absolute_url())
    assert response.status_code == 200
    body = text_of(response)
    assert_escaped_everywhere(
        body,
        "actor page",
        f"<h1>{escape(ACTOR_NAME)}</h1>",
        f"<title>{escape(ACTOR_NAME)} · Missive</title>",
        f"claims that {escape(STATEMENT)}</a>",  # claims about it
        escape(RESPONSE_STATEMENT),  # the response it gave
        escape(LETTER_TITLE),  # the letter it sent
    )
    assert_balanced(body)


def test_the_home_page_shows_letters_and_changes_with_markup_as_text(client, hostile):
    response = client.get("/")
    assert response.status_code == 200
    body = text_of(response)
    assert_escaped_everywhere(
        body,
        "home page",
        escape(LETTER_TITLE),
        f"from {escape(ACTOR_NAME)}",
        escape(CHANGE_REASON),
        escape(shorten(f"The letter from {ACTOR_NAME} claims that {STATEMENT}")),
    )
    assert_balanced(body)


def test_the_change_list_shows_labels_and_reasons_with_markup_as_text(client, hostile):
    response = client.get("/changes/")
    assert response.status_code == 200
    body = text_of(response)
    assert_escaped_everywhere(
        body,
        "/changes/",
        escape(LETTER_TITLE),
        escape(ACTOR_NAME),
        escape(SOURCE_TITLE),
        escape(CHANGE_REASON),
        escape(shorten(f"The letter from {ACTOR_NAME} claims that {STATEMENT}")),
        f"{escape(ACTOR_NAME)}: Denies",  # the response's label
    )
    assert_balanced(body)


REVIEWER_FIRST, REVIEWER_LAST = "<b>bold</b>", '<script>alert("reviewer")</script>'


@pytest.fixture
def hostile_statuses(hostile, django_user_model):
    """Three of the hostile claims with a status whose basis carries markup: a source's title and
    words, a party's name, a reviewing editor's name."""
    claims, source, actor = hostile["claims"], hostile["source"], hostile["actor"]
    sourced, disputed, assessed = claims["overlapping"], claims["script"], claims["outer"]
    sourced.status = VerificationStatus.objects.get(slug="unverified")
    sourced.status_source, sourced.status_quote = source, SCRIPT_QUOTE
    sourced.save()
    disputed.status = VerificationStatus.objects.get(slug="disputed")  # on the actor's denial
    disputed.save()
    reviewer = django_user_model.objects.create_user(
        "reviewer", first_name=REVIEWER_FIRST, last_name=REVIEWER_LAST
    )
    Evidence.objects.create(
        claim=assessed,
        relation=Evidence.Relation.SUPPORTS,
        source=source,
        quote_exact=RESPONSE_QUOTE,
        note='A note <script>alert("note")</script>.',
    )
    assessed.status, assessed.reviewed_by = (
        VerificationStatus.objects.get(slug="corroborated"),
        reviewer,
    )
    assessed.save()
    for claim in (sourced, assessed):
        claim.about.add(actor)
    return {"sourced": sourced, "disputed": disputed, "assessed": assessed}


WHOSE_WITH_MARKUP = [
    '<span class="status status-unverified">Could not be independently verified</span>, according to '
    f"“{escape(SOURCE_TITLE)}”",
    f'<span class="status status-disputed">Disputed</span>: {escape(ACTOR_NAME)} denies it',
    '<span class="status status-corroborated">Corroborated</span>: the editors&#x27; own assessment, reviewed by '
    f"{escape(REVIEWER_FIRST + ' ' + REVIEWER_LAST)}, on the evidence listed with the claim",
]


def test_whose_each_status_is_is_shown_as_text_on_the_claim_page(client, hostile_statuses):
    quoted = {"sourced": f": “{escape(SCRIPT_QUOTE)}”.", "disputed": ".", "assessed": "."}
    for (name, claim), whose in zip(hostile_statuses.items(), WHOSE_WITH_MARKUP, strict=False):
        body = text_of(client.get(claim.get_absolute_url()))
        assert_escaped_everywhere(
            body, f"claim page ({name})", f'<p class="status-basis">{whose}{quoted[name]}</p>'
        )
        assert_balanced(body)
    # The ClaimReview's data block carries the reviewer's name too, and cannot be closed by it.
    body = text_of(client.get(hostile_statuses["assessed"].get_absolute_url()))
    assert body.count(DATA_BLOCK) == 1 and "\\u003Cscript\\u003Ealert" in body


@pytest.mark.parametrize("page", ["letter", "claim list", "actor"])
def test_whose_each_status_is_is_shown_as_text_in_every_list(
    client, hostile, hostile_statuses, page
):
    url = {
        "letter": hostile["letter"].get_absolute_url(),
        "claim list": f"/claims/?letter={hostile['letter'].slug}",
        "actor": hostile["actor"].get_absolute_url(),
    }[page]
    body = text_of(client.get(url))
    assert_escaped_everywhere(body, page, *WHOSE_WITH_MARKUP)
    assert (
        escape(SCRIPT_QUOTE) + "”" not in body.split('class="source-text"')[0]
    )  # the words: on the claim page
    assert_balanced(body)


ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_changes_feed_carries_markup_as_escaped_text(client, hostile):
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    body = text_of(response)
    assert_escaped_everywhere(body, "/changes/feed/", ESCAPED_SCRIPT, escape(ACTOR_NAME))
    feed = ET.fromstring(response.content)  # well-formed XML whatever the data
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    # An Atom title is plain text: the reader shows these characters, markup included, as typed.
    assert f"Added: {ACTOR_NAME}" in titles
    assert f"Added: {LETTER_TITLE}" in titles
    assert f"Added: {ACTOR_NAME}: Denies" in titles  # the response


def test_the_changes_feed_escapes_the_html_of_its_summaries(client, hostile):
    """A summary is type="html": once the XML is read, what is left is HTML, and must hold no markup of ours."""
    feed = ET.fromstring(client.get("/changes/feed/").content)
    summaries = feed.findall(f"{ATOM}entry/{ATOM}summary")
    assert summaries
    for summary in summaries:
        if summary.get("type") == "html":
            html = summary.text or ""
            assert_nothing_injected(html, f"feed summary {html!r}")
    reasons = [summary.text for summary in summaries if "reason" in (summary.text or "")]
    assert reasons and all(reason == escape(CHANGE_REASON) for reason in reasons), reasons


def test_markup_in_a_search_is_echoed_escaped_in_the_form_and_the_title(client, shipped):
    hostile_query = '"><script>alert(1)</script>'
    response = client.get("/claims/", {"q": hostile_query})
    assert response.status_code == 200
    body = text_of(response)
    assert_nothing_injected(body, "/claims/?q=<script>")
    assert f'value="{escape(hostile_query)}"' in body
    assert f"<title>Claims: “{escape(hostile_query)}” · Missive</title>" in body


def cursor(payload):
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize("page", ["/claims/", "/letters/", "/actors/"])
@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e999", "-1e999"])
def test_a_page_link_carrying_a_number_no_key_can_hold_says_so(client, shipped, page, number):
    """Each place of a crafted cursor in turn holds the number: a 400 naming the link, never a 500."""
    for places in range(1, 6):
        for place in range(places):
            values = ["1"] * places
            values[place] = number
            for direction in ("after", "before"):
                token = cursor(f"[1, [{', '.join(values)}]]")
                response = client.get(f"{page}?{direction}={token}")
                body = assert_answered(response, f"{page} {direction} {values}", allowed=(400,))
                assert "page link is damaged or out of date" in body


@pytest.mark.parametrize("page", ["/claims/", "/letters/", "/actors/"])
@pytest.mark.parametrize("text", ["\\u0000", "a\\u0000b", "\\ud800", "\\udfff"])
def test_a_page_link_carrying_text_no_database_can_hold_says_so(client, shipped, page, text):
    for places in range(1, 4):
        for place in range(places):
            values = ["1"] * places
            values[place] = f'"{text}"'
            token = cursor(f"[1, [{', '.join(values)}]]")
            response = client.get(f"{page}?after={token}")
            assert_answered(response, f"{page} {values}", allowed=(400,))


@pytest.mark.parametrize(
    "path, status",
    [
        ("/admin/claims/claim/{pk}/history/abc/", 404),
        ("/admin/claims/claim/{pk}/history/99999999999999999999999/", 404),
        ("/admin/claims/claim/abc/history/", 404),
        ("/admin/archive/letter/abc/history/", 404),
        ("/admin/claims/claim/{pk}/history/%00/", 400),  # a NUL anywhere in an admin address
        ("/admin/claims/claim/%00/history/", 400),
    ],
)
def test_a_history_address_no_version_could_have_is_refused_not_a_500(
    admin_client, shipped, path, status
):
    from claims.models import Claim

    response = admin_client.get(path.format(pk=Claim.objects.order_by("pk").first().pk))
    assert response.status_code == status


@pytest.mark.parametrize(
    "query",
    [
        "term=%00&app_label=claims&model_name=claim&field_name=about",
        "term=a%00b&app_label=claims&model_name=response&field_name=actor",
        "term=x&app_label=archive%00&model_name=letter&field_name=sender",
    ],
)
def test_the_admins_autocomplete_refuses_a_nul_with_a_400(admin_client, shipped, query):
    response = admin_client.get(f"/admin/autocomplete/?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
