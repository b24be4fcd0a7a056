"""The read API (/api/v1/): the pages' data as JSON, for the same filters, in the same order.

Each filter is checked against its page: the API's list for a parameter holds exactly the rows
the page lists for it, in its order. Then what every claim carries (its attribution and whose
status it is), paging, the OpenAPI 3.1 document, hostile parameters, query counts, ETags,
rate limits, CORS, a private archive and drafts.
"""

import json

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openapi_spec_validator import validate

from archive.models import Letter
from claims.models import Claim, VerificationStatus
from core import page_cache
from interchange.api import views
from interchange.api.views import openapi_document
from tests.test_hostile_input import HOSTILE_VALUES, RAW_QUERIES

from ..factory import build_archive, grow

pytestmark = pytest.mark.django_db

NATO = "balochistan-to-nato-2026-01-04"
UNSC = "balochistan-to-unsc-p5-un-oic-02-11"


def api(client, name, params=None, *args, status=200, **headers):
    response = client.get(reverse(f"api:{name}", args=args), params or {}, **headers)
    assert response.status_code == status, (
        name,
        params,
        response.status_code,
        response.content[:500],
    )
    return response.json() if response.status_code != 304 else None


def page_rows(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, (name, params)
    return list(response.context["object_list"])


# --- The same rows as the pages, filter by filter -------------------------------------------------

CLAIM_FILTERS = [
    {},
    {"q": "Pakistan"},
    {"q": '"sovereign entity" -annexed'},
    {"status": "disputed"},
    {"status": ["disputed", "unverified"]},
    {"kind": "historical"},
    {"letter": NATO},
    {"about": "pakistan"},
    {"responder": "iran"},
    {"stance": "opposes"},
    {"responder": "pakistan", "stance": "rejects"},
    {"date_from": "2026-01-01", "date_to": "2026-01-31"},
    {"date_from": "2025-01-01"},
    {"sort": "oldest"},
    {"sort": "status"},
    {"sort": "recently-reviewed"},
]


@pytest.mark.parametrize("params", CLAIM_FILTERS, ids=lambda p: json.dumps(p) if p else "none")
def test_the_claims_api_lists_what_the_claim_list_lists_for_each_filter(
    client, shipped_letters, params
):
    expected = [claim.pk for claim in page_rows(client, "claims:claim-list", params)]
    got = [claim["id"] for claim in api(client, "claim-list", params)["results"]]
    assert got == expected
    assert got or params.get("q", "").startswith('"'), "a filter that finds nothing tests little"


LETTER_FILTERS = [
    {},
    {"q": "NATO"},
    {"sender": "republic-of-balochistan"},
    {"recipient": "united-kingdom"},
    {"recipient": "nato-foreign-ministries"},
    {"date_from": "2026-01-01", "date_to": "2026-01-31"},
    {"date_from": "2027-01-01"},  # the letter whose year no source states is in every range
    {"sort": "oldest"},
    {"sort": "title"},
]


@pytest.mark.parametrize("params", LETTER_FILTERS, ids=lambda p: json.dumps(p) if p else "none")
def test_the_letters_api_lists_what_the_letter_list_lists_for_each_filter(
    client, shipped_letters, params
):
    expected = [letter.slug for letter in page_rows(client, "archive:letter-list", params)]
    got = [letter["slug"] for letter in api(client, "letter-list", params)["results"]]
    assert got == expected and got


@pytest.mark.parametrize(
    "params", [{}, {"name": "nato"}, {"kind": "state"}], ids=["none", "name", "kind"]
)
def test_the_actors_api_lists_what_the_actor_list_lists_for_each_filter(
    client, shipped_letters, params
):
    expected = [actor.slug for actor in page_rows(client, "archive:actor-list", params)]
    got = [actor["slug"] for actor in api(client, "actor-list", params)["results"]]
    assert got == expected and got


# --- What each resource says ------------------------------------------------------------------------


def test_every_claim_is_attributed_and_says_whose_its_status_is(client, shipped_letters):
    claims = api(client, "claim-list", {"page_size": 200})["results"]
    assert len(claims) == Claim.objects.count()
    for claim in claims:
        assert claim["attributed_statement"].startswith("The letter from "), claim["id"]
        assert claim["status_with_basis"].startswith(claim["status_label"]), claim["id"]
        assert claim["status_basis"] in VerificationStatus.Basis.values
    executions = Claim.objects.get(key="iran-executions").pk
    iran = next(claim for claim in claims if claim["id"] == executions)
    assert iran["status_with_basis"] == "Disputed: Iran denies it"
    detail = api(client, "claim-detail", None, iran["id"])
    assert detail == iran


def test_a_letter_gives_its_date_as_known_and_its_recipients_by_role(client, shipped_letters):
    unsc = api(client, "letter-detail", None, UNSC)
    assert unsc["date"]["edtf"] == "XXXX-02-11"
    assert unsc["date"]["display"] == "11 February, year unknown"
    assert unsc["date"]["earliest"] is unsc["date"]["latest"] is None  # no year, not year 1 to 9999
    nato_date = api(client, "letter-detail", None, NATO)["date"]
    assert (nato_date["earliest"], nato_date["latest"]) == ("2026-01-04", "2026-01-04")
    nato = api(client, "letter-detail", None, NATO)
    assert {r["role"] for r in nato["recipients"]} == {"to", "cc"}
    assert nato["claim_count"] == Claim.objects.filter(letter__slug=NATO).count()
    claims = client.get(nato["claims"]).json()["results"]
    assert {claim["letter_slug"] for claim in claims} == {NATO}


def test_statuses_responses_requests_and_recurring_assertions(client, shipped_letters):
    statuses = {s["slug"]: s for s in api(client, "status-list")["results"]}
    assert statuses["disputed"]["basis"] == "response"
    assert (
        statuses["disputed"]["claim_count"] == Claim.objects.filter(status__slug="disputed").count()
    )

    responses = api(client, "response-list", {"party": "iran"})["results"]
    assert sorted((r["party"]["slug"], r["stance"]) for r in responses) == [
        ("iran", "denies"),
        ("iran", "no-public-response"),
    ]
    to_letter = api(client, "response-list", {"letter": NATO, "stance": "no-public-response"})[
        "results"
    ]
    assert {r["party"]["slug"] for r in to_letter} == {"nato", "pakistan", "iran"}
    assert all(r["to_letter"] and r["to_claim"] is None for r in to_letter)

    asked = api(client, "requested-action-list", {"letter": NATO, "page_size": 200})["results"]
    assert asked and all(a["attributed_summary"].startswith("The letter asks ") for a in asked)
    assert all(a["letter"]["slug"] == NATO for a in asked)

    assertions = api(client, "recurring-assertion-list")["results"]
    assert len(assertions) == 3
    militancy = api(client, "recurring-assertion-detail", None, "pakistan-fosters-militancy")
    assert militancy["attributed_title"].startswith("2 letters from ")
    assert len(militancy["recurrences"]) == 3 and all(r["reason"] for r in militancy["recurrences"])
    for recurrence in militancy["recurrences"]:  # every claim, wherever it appears, is the letter's
        claim = recurrence["claim"]
        assert claim == api(client, "claim-detail", None, claim["id"])
        assert claim["attributed_statement"].startswith("The letter from ")


# --- Paging ---------------------------------------------------------------------------------------


def test_following_next_walks_every_claim_once_and_previous_walks_back(client, shipped_letters):
    seen, url, pages = [], reverse("api:claim-list") + "?page_size=7", []
    while url:
        response = client.get(url)
        page = response.json()
        pages.append(page)
        seen += [claim["id"] for claim in page["results"]]
        url = page["next"]
        if url:
            assert f'<{url}>; rel="next"' in response["Link"]
    assert seen == [c["id"] for c in api(client, "claim-list", {"page_size": 200})["results"]]
    assert len(seen) == len(set(seen)) == Claim.objects.count()
    back = client.get(pages[-1]["previous"]).json()
    assert [c["id"] for c in back["results"]] == [c["id"] for c in pages[-2]["results"]]


@pytest.mark.parametrize(
    "params",
    [
        {"after": "not-a-cursor"},
        {"before": "%%%"},
        {"page_size": "0"},
        {"page_size": "201"},
        {"page_size": "ten"},
        {"page_size": "٣"},
        {"status": "no-such-status"},
        {"date_from": "2026-13-45"},
        {"letter": "no-such-letter"},
        {"q": "a\x00b"},
    ],
    ids=lambda p: next(iter(p)) + "=" + repr(next(iter(p.values())))[:20],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, shipped_letters, params):
    errors = api(client, "claim-list", params, status=400)["errors"]
    assert errors and all(isinstance(messages, list) and messages for messages in errors.values())


# --- The OpenAPI document ---------------------------------------------------------------------------


def test_the_openapi_document_is_valid_openapi_3_1_and_describes_every_list(client, db):
    document = api(client, "openapi")
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on anything the OpenAPI 3.1 specification's schema refuses
    paths = document["paths"]
    for path in [
        "letters",
        "claims",
        "actors",
        "statuses",
        "responses",
        "requested-actions",
        "recurring-assertions",
    ]:
        assert f"/api/v1/{path}/" in paths, path
    claim_parameters = {p["name"] for p in paths["/api/v1/claims/"]["get"]["parameters"]}
    assert {
        "q",
        "status",
        "about",
        "responder",
        "stance",
        "sort",
        "after",
        "page_size",
    } <= claim_parameters
    for path, item in paths.items():  # every error a client may meet is declared, with its body
        declared = item["get"]["responses"]
        expected = {"200", "403", "429"} | ({"404"} if "{" in path else {"400"})
        assert set(declared) == expected, (path, set(declared))
    assert "errors" in document["components"]["schemas"]["Errors"]["properties"]
    claim = document["components"]["schemas"]["Claim"]["properties"]
    assert {"attributed_statement", "status_with_basis", "status_basis"} <= claim.keys()


def test_the_documentation_page_shows_every_address_and_the_pandas_example(client, db):
    html = client.get(reverse("api:documentation")).content.decode()
    for path in openapi_document()["paths"]:
        assert f"GET {path}" in html, path
    assert 'claims = pd.json_normalize(page["results"])' in html


# --- Hostile input ------------------------------------------------------------------------------------

LISTS = {
    "claim-list": views.ClaimList,
    "letter-list": views.LetterList,
    "actor-list": views.ActorList,
    "response-list": views.ResponseList,
    "requested-action-list": views.RequestedActionList,
    "status-list": views.StatusList,
    "recurring-assertion-list": views.RecurringAssertionList,
}
# Every parameter each list reads: its FilterSet's, and the paging ones.
API_PARAMETERS = {
    name: [
        *(view.filterset_class.base_filters if view.filterset_class else ()),
        "after",
        "before",
        "page_size",
    ]
    for name, view in LISTS.items()
}


@pytest.mark.parametrize(
    "name, parameter",
    [(name, parameter) for name, parameters in API_PARAMETERS.items() for parameter in parameters],
)
def test_every_parameter_answers_hostile_values_with_json_200_or_400(
    client, shipped_letters, name, parameter
):
    failures = []
    url = reverse(f"api:{name}")
    requests = [(label, {parameter: value}, None) for label, value in HOSTILE_VALUES]
    requests += [(label, None, raw.format(parameter)) for label, raw in RAW_QUERIES]
    for label, data, raw in requests:
        try:
            with transaction.atomic():
                response = (
                    client.get(url, data) if raw is None else client.get(url, QUERY_STRING=raw)
                )
            assert response.status_code in (200, 400), response.status_code
            assert response["Content-Type"] == "application/json", response["Content-Type"]
            body = response.json()
            assert "errors" in body if response.status_code == 400 else "results" in body
        except Exception as error:
            failures.append(
                f"{url}?{parameter} [{label}]: {type(error).__name__}: {str(error)[:200]}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    [
        "letters/%00/",
        "claims/99999999999999999999/",
        "actors/no-one/",
        "recurring-assertions/%3Cscript%3E/",
    ],
)
def test_a_bad_address_is_a_json_404(client, db, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_only_reading_is_allowed(client, shipped_letters):
    for method in (client.post, client.put, client.delete, client.patch):
        assert method(reverse("api:claim-list")).status_code in (403, 405)
    assert Claim.objects.count() == 41


# --- Queries --------------------------------------------------------------------------------------

# At most, and the same for 1 claim and for 60, and for a page of 1 row and of 60. Each list counts
# its rows as the pages do: on PostgreSQL the planner's estimate first, one query more than SQLite.
BUDGET = {
    "claim-list": 9,  # the archive's revision; the page's keys, its rows (letters joined, for the
    # cursor), the count; then the page's records, their parties, responses, evidence; any drafts
    "letter-list": 7,  # revision; keys; rows (senders, signatories joined); sources; recipients;
    # count
    "actor-list": 6,  # revision; keys; rows (parents joined); identifiers; count
    "response-list": 5,  # revision; keys; rows (parties, sources, letters, claims joined); count
    "requested-action-list": 6,  # revision; keys; rows; addressees; count
    "status-list": 7,  # revision; keys; rows; count; claims by status; any drafts
    "recurring-assertion-list": 10,  # revision; keys; rows; their claims (letters, senders);
    # count; the claims' records, their parties, responses, evidence
}


def queries_and_body(client, name, size):
    with CaptureQueriesContext(connection) as queries:
        body = api(client, name, {"page_size": size})
    return len(queries), body


@pytest.mark.parametrize("name", BUDGET)
def test_queries_do_not_grow_with_the_rows_shown(client, name):
    archive = build_archive(1)
    first, small = queries_and_body(client, name, 60)
    grow(archive, 60)
    page_cache.forget()
    counts = [first]
    for size in (1, 60):
        count, body = queries_and_body(client, name, size)
        counts.append(count)
        assert len(body["results"]) == min(size, body["count"])
    assert counts == [first] * 3 and first <= BUDGET[name], counts
    if name not in ("actor-list", "requested-action-list"):  # these do not grow with the claims
        assert json.dumps(body) != json.dumps(small)  # more to show, in the same queries


# --- ETags, rate limits, CORS -------------------------------------------------------------------------


def test_an_unchanged_answer_is_a_304_and_any_change_makes_a_new_etag(
    client, vocabulary, make_claim
):
    # Committed transactions, as in production: the revision moves once a transaction, at its commit.
    claim = make_claim()
    url = reverse("api:claim-list") + "?kind=factual"
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(reverse("api:claim-list"), HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert "ETag" not in client.get(reverse("api:documentation"))  # HTML, names who is signed in
    # "*" would claim the address has a representation: only the view knows, and it may be a 404.
    assert client.get("/api/v1/letters/no-such-letter/", HTTP_IF_NONE_MATCH="*").status_code == 404
    # The same bytes whatever Accept asks, so one ETag and one cached copy serve every client.
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=4")
    assert indented.content == first.content and indented["ETag"] == etag
    claim.statement = "there was a changed flood."
    claim.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "there was a changed flood" in changed.content.decode()


def test_a_deploy_changes_every_etag_and_cached_copy(client, shipped_letters, monkeypatch):
    url = reverse("api:claim-list")
    before = client.get(url)["ETag"]
    monkeypatch.setattr(page_cache, "release", lambda: "another-release")
    after = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_the_release_is_a_digest_of_the_code_unless_set(settings):
    page_cache.release.cache_clear()
    try:
        digest = page_cache.release()
        assert len(digest) == 16 and digest == page_cache.release()
        settings.MISSIVE_RELEASE = "2026.11.30"
        page_cache.release.cache_clear()
        assert page_cache.release() == "2026.11.30"
    finally:
        page_cache.release.cache_clear()


def test_a_filtered_list_is_kept_in_the_page_cache_until_the_archive_changes(
    client, vocabulary, make_claim, django_assert_num_queries
):
    claim = make_claim()
    url = reverse("api:claim-list") + "?kind=factual&page_size=10"
    first = client.get(url).content
    with django_assert_num_queries(1):  # the revision: the answer is the cached one
        assert client.get(url).content == first
    for _ in range(2):  # a parameter no list reads: answered, never kept
        with CaptureQueriesContext(connection) as queries:
            client.get(url + "&made_up=1")
        assert len(queries) > 1
    claim.statement = "there was a second flood."
    claim.save()
    assert b"second flood" in client.get(url).content


def test_anonymous_clients_are_limited_and_signed_in_readers_are_not(client, settings, db):
    settings.MISSIVE_API_ANON_RATE = "3/min"
    codes = [client.get(reverse("api:status-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(reverse("api:status-list"))
    assert int(limited["Retry-After"]) > 0 and "detail" in limited.json()
    client.force_login(User.objects.create_user("reader"))
    assert all(client.get(reverse("api:status-list")).status_code == 200 for _ in range(5))


def test_any_site_may_read_it_from_a_browser_but_never_with_cookies(client, db):
    response = client.get(reverse("api:status-list"), HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        reverse("api:status-list"),
        HTTP_ORIGIN="https://notebook.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://x.example")


# --- Who may read, and what --------------------------------------------------------------------------


def test_a_private_archive_answers_only_signed_in_readers(client, settings, shipped_letters):
    settings.MISSIVE_PUBLIC = False
    refused = client.get(reverse("api:claim-list"))
    assert refused.status_code == 403 and "sign in" in refused.json()["detail"]
    client.force_login(User.objects.create_user("reader"))
    assert api(client, "claim-list")["count"] == Claim.objects.count()


def test_drafts_are_never_in_the_api(client, shipped_letters):
    Letter.objects.filter(slug=NATO).update(published=False)
    page_cache.bump()
    letters = [letter["slug"] for letter in api(client, "letter-list")["results"]]
    assert letters == [UNSC]
    claims = api(client, "claim-list", {"page_size": 200})["results"]
    assert {claim["letter_slug"] for claim in claims} == {UNSC}
    api(client, "letter-detail", None, NATO, status=404)
    draft_claim = Claim.objects.filter(letter__slug=NATO).first()
    api(client, "claim-detail", None, draft_claim.pk, status=404)
    assert all(
        r["to_letter"] is None or NATO not in r["to_letter"]
        for r in api(client, "response-list")["results"]
    )
    asked = api(client, "requested-action-list", {"page_size": 200})["results"]
    assert {a["letter"]["slug"] for a in asked} == {UNSC}
