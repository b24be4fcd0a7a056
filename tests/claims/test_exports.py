"""CSV and JSON exports of the claim list: the same claims as /claims/ for the same parameters."""
import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import exports
from claims.exports import COLUMNS
from claims.models import Claim

from ..factory import build_archive, grow

pytestmark = pytest.mark.django_db

CSV_URL = reverse("claims:claim-export-csv")
JSON_URL = reverse("claims:claim-export-json")


def body(response):
    assert response.streaming, "exports are streamed, never built in memory"
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, query=""):
    response = client.get(CSV_URL + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="missive-claims-')
    return list(csv.DictReader(io.StringIO(body(response))))


def json_document(client, query=""):
    response = client.get(JSON_URL + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def listed_ids(client, query=""):
    """The ids of every claim /claims/ lists for the query, across all its pages."""
    ids, url = [], reverse("claims:claim-list") + query
    while url:
        response = client.get(url)
        assert response.status_code == 200
        ids += [claim.pk for claim in response.context["object_list"]]
        page = response.context["page_obj"]
        url = response.request["PATH_INFO"] + "?" + _with(response, after=page.next_cursor) if page.has_next else ""
    return ids


def _with(response, **params):
    query = response.wsgi_request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=disputed",
        "?status=disputed&status=unverified",
        "?about=pakistan",
        "?responder=iran&stance=opposes",
        "?kind=statistical",
        "?letter=balochistan-to-nato-2026-01-04&sort=status",
        "?q=executions",
        "?date_from=2026-01-01&date_to=2026-01-31&sort=oldest",
    ],
)
def test_both_exports_hold_exactly_the_claims_the_list_shows_in_its_order(client, shipped_letters, query):
    expected = listed_ids(client, query)
    assert expected or query == "?q=executions"  # the fixtures give every other query some rows
    assert [int(row["id"]) for row in csv_rows(client, query)] == expected
    assert [row["id"] for row in json_document(client, query)["claims"]] == expected


@pytest.mark.parametrize("paging", ["?page=2", "?after=anything", "?before=anything"])
def test_paging_parameters_are_ignored_an_export_is_the_whole_list(client, shipped_letters, paging):
    assert len(csv_rows(client, paging)) == Claim.objects.count() == 40


def test_a_csv_row_carries_every_column_the_issue_names(client, shipped_letters):
    rows = csv_rows(client, "?responder=iran&stance=denies")
    assert list(rows[0].keys()) == COLUMNS
    (row,) = rows
    claim = Claim.objects.get(pk=row["id"])
    assert row["permalink"] == f"http://testserver/claims/{claim.pk}/"
    assert row["letter"] == "Letter of 4 January 2026 to NATO member states"
    assert row["letter_date_edtf"] == "2026-01-04"
    assert row["sender"] == "“Republic of Balochistan” (self-declared)"
    assert row["statement"] == claim.statement
    assert row["attributed_statement"].startswith("The letter from “Republic of Balochistan” (self-declared) claims that Iran")
    assert row["quote"] == claim.quote_exact
    assert (row["status"], row["status_label"], row["kind"]) == ("disputed", "Disputed", "factual")
    assert row["about"] == "Iran"
    assert row["responses"] == "Iran: denies"
    assert row["evidence_count"] == "0"


def test_the_json_export_says_what_was_asked_and_keeps_lists_as_lists(client, shipped_letters):
    document = json_document(client, "?about=pakistan&status=disputed")
    assert document["query"] == {"about": ["pakistan"], "status": ["disputed"]}
    assert document["source"] == "http://testserver" + JSON_URL + "?about=pakistan&status=disputed"
    annexation = next(claim for claim in document["claims"] if "annexed" in claim["quote"])
    assert annexation["responses"] == [{"party": "Pakistan", "party_slug": "pakistan", "stance": "rejects"}]
    assert {"slug": "pakistan", "name": "Pakistan"} in annexation["about"]
    assert annexation["status"] == "disputed"


def test_evidence_is_counted(client, shipped_letters):
    counted = {row["id"]: row["evidence_count"] for row in json_document(client)["claims"]}
    for claim in Claim.objects.all():
        assert counted[claim.pk] == claim.evidence.count()
    assert sum(counted.values()) == 4


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused_in_csv_but_not_in_json(client, make_claim):
    make_claim(statement='=HYPERLINK("http://evil.example","click")', quote="asked for an inquiry")
    (row,) = csv_rows(client)
    assert row["statement"] == '\'=HYPERLINK("http://evil.example","click")'
    (record,) = json_document(client)["claims"]
    assert record["statement"] == '=HYPERLINK("http://evil.example","click")'


def test_markup_in_a_statement_is_data_not_html(client, make_claim):
    make_claim(statement="<script>alert(1)</script> & more")
    (row,) = csv_rows(client)
    assert row["statement"] == "<script>alert(1)</script> & more"


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
@pytest.mark.parametrize(
    "query, field",
    [
        ("?status=bogus", "status"),
        ("?date_from=yesterday", "date_from"),
        ("?date_from=2026-02-01&date_to=2026-01-01", "date_to"),
        ("?sort=sideways", "sort"),
        ("?q=" + "x" * 500, "q"),
        ("?letter=%00", "query"),
    ],
)
def test_bad_parameters_are_refused_with_the_reason_in_the_format_asked(client, shipped_letters, url, query, field):
    response = client.get(url + query)
    assert response.status_code == 400
    text = response.content.decode()
    if url == JSON_URL:
        assert field in json.loads(text)["errors"]
    else:
        assert f"\n{field}: " in text


def test_the_claim_list_offers_both_downloads_with_its_filters_but_not_its_page_cursor(client, shipped_letters):
    html = client.get(reverse("claims:claim-list") + "?status=disputed&kind=factual&after=abc").content.decode()
    assert f'href="{CSV_URL}?status=disputed&amp;kind=factual"' in html
    assert f'href="{JSON_URL}?status=disputed&amp;kind=factual"' in html


def test_no_download_links_when_nothing_matches(client, shipped_letters):
    html = client.get(reverse("claims:claim-list") + "?q=zzzzzz").content.decode()
    assert CSV_URL not in html


def queries_to_export(client, url):
    with CaptureQueriesContext(connection) as queries:
        body(client.get(url))
    return len(queries)


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL + "?status=disputed"])
def test_the_query_count_does_not_grow_with_the_rows(client, url):
    archive = build_archive(1)
    small = queries_to_export(client, url)
    grow(archive, 60)
    assert queries_to_export(client, url) == small <= 6


def test_rows_are_read_in_chunks_so_memory_stays_flat(client, monkeypatch):
    """Each chunk is one page of claims plus its prefetches; more rows, more chunks, never one big read."""
    build_archive(60)
    monkeypatch.setattr(exports, "CHUNK", 10)
    with CaptureQueriesContext(connection) as queries:
        rows = list(csv.reader(io.StringIO(body(client.get(CSV_URL)))))
    assert len(rows) == 61
    prefetches_of_parties = [q for q in queries.captured_queries if "claims_claim_about" in q["sql"]]
    assert len(prefetches_of_parties) == 6
