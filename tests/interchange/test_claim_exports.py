"""CSV and JSON exports of the claim list: the same claims as /claims/ for the same parameters."""

import csv
import gc
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Source
from claims.models import Claim, Evidence, VerificationStatus
from interchange import claim_exports as exports
from interchange.claim_exports import COLUMNS

from ..factory import build_archive, grow

pytestmark = pytest.mark.django_db

CSV_URL = reverse("claims:claim-export-csv")
JSON_URL = reverse("claims:claim-export-json")


def body(response):
    assert response.streaming, "exports are streamed, never built in memory"
    return b"".join(response.streaming_content).decode("utf-8-sig")


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
        url = (
            response.request["PATH_INFO"] + "?" + _with(response, after=page.next_cursor)
            if page.has_next
            else ""
        )
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
def test_both_exports_hold_exactly_the_claims_the_list_shows_in_its_order(
    client, shipped_letters, query
):
    expected = listed_ids(client, query)
    assert expected or query == "?q=executions"  # the fixtures give every other query some rows
    assert [int(row["id"]) for row in csv_rows(client, query)] == expected
    assert [row["id"] for row in json_document(client, query)["claims"]] == expected


@pytest.mark.parametrize("paging", ["?page=2", "?after=anything", "?before=anything"])
def test_paging_parameters_are_ignored_an_export_is_the_whole_list(client, shipped_letters, paging):
    assert len(csv_rows(client, paging)) == Claim.objects.count() == 41


NATO_REPORT = (
    "News report on the “Republic of Balochistan” letter of 4 January 2026 to NATO member states"
)
SENDER = "“Republic of Balochistan” (self-declared)"


def test_a_csv_row_leads_with_the_attribution_and_carries_every_column(client, shipped_letters):
    rows = csv_rows(client, "?responder=iran&stance=denies")
    assert list(rows[0].keys()) == COLUMNS
    assert COLUMNS[0] == "attributed_statement"
    (row,) = rows
    claim = Claim.objects.get(pk=row["id"])
    assert row["attributed_statement"] == f"The letter from {SENDER} claims that {claim.statement}"
    assert row["permalink"] == f"http://testserver/claims/{claim.pk}/"
    assert row["letter"] == "Letter of 4 January 2026 to NATO member states"
    assert (row["letter_date"], row["letter_date_edtf"]) == ("4 January 2026", "2026-01-04")
    assert row["sender"] == SENDER
    assert row["statement"] == claim.statement
    assert (row["quote"], row["quote_source"]) == (claim.quote_exact, NATO_REPORT)
    assert (row["status"], row["status_label"], row["status_basis"], row["kind"]) == (
        "disputed",
        "Disputed",
        "response",
        "factual",
    )
    assert row["status_with_basis"] == "Disputed: Iran denies it"
    assert (row["status_source"], row["status_quote"], row["reviewed_by"]) == ("", "", "")
    assert row["status_note"] == claim.status_note
    assert row["about"] == "Iran"
    assert row["responses"] == f"Iran: denies ({claim.responses.get().statement})"
    assert row["evidence_count"] == "0"


def test_a_status_a_source_reports_is_exported_with_the_source_and_its_words(
    client, shipped_letters
):
    rows = csv_rows(client, "?status=unverified")
    assert len(rows) == 4
    for row in rows:
        assert (row["status_basis"], row["status_source"], row["status_quote"]) == (
            "source",
            NATO_REPORT,
            "These claims could not be independently verified.",
        )
        assert row["status_with_basis"] == (
            f"Could not be independently verified, according to “{NATO_REPORT}”: "
            "“These claims could not be independently verified.”"
        )
        assert row["reviewed_by"] == ""


def test_every_exported_status_says_whose_it_is(client, shipped_letters):
    by_status = {}
    for row in csv_rows(client):
        by_status.setdefault(row["status"], set()).add(row["status_with_basis"])
    assert by_status["unassessed"] == {
        "Not yet assessed: no source, party or editor has assessed it"
    }
    assert by_status["disputed"] == {"Disputed: Iran denies it", "Disputed: Pakistan rejects it"}
    assert by_status["not-checkable"] == {
        "Not checkable: the editors classify it as a characterisation, which no record could settle",
        "Not checkable: the editors classify it as a prediction or warning, which no record could settle",
    }
    assert set(by_status) == {"unassessed", "unverified", "disputed", "not-checkable"}


def assess(claim, user, slug="corroborated"):
    source = Source.objects.create(
        title="The registry", slug="registry", text="The registry records the event."
    )
    with transaction.atomic():
        claim.status, claim.reviewed_by = VerificationStatus.objects.get(slug=slug), user
        claim.save()
        Evidence.objects.create(
            claim=claim,
            relation="supports",
            source=source,
            quote_exact="The registry records the event.",
        )
    return claim


@pytest.mark.parametrize(
    "first_name, last_name, published", [("Ada", "Reviewer", "Ada Reviewer"), ("", "", "an editor")]
)
def test_the_editors_own_assessment_names_the_reviewer_never_the_login(
    client, shipped_letters, first_name, last_name, published
):
    user = get_user_model().objects.create_user(
        "ada-login", first_name=first_name, last_name=last_name
    )
    claim = assess(Claim.objects.get(key="china-ai-training"), user)
    (row,) = csv_rows(client, "?status=corroborated")
    assert int(row["id"]) == claim.pk
    assert (row["status_basis"], row["reviewed_by"], row["evidence_count"]) == (
        "editors",
        published,
        "1",
    )
    assert row["status_with_basis"] == (
        f"Corroborated: the editors' own assessment, reviewed by {published}, "
        "on the evidence listed with the claim"
    )
    (record,) = json_document(client, "?status=corroborated")["claims"]
    assert record["reviewed_by"] == published
    assert "ada-login" not in body(client.get(CSV_URL)) + body(client.get(JSON_URL))


def test_the_json_export_says_what_was_asked_and_keeps_lists_as_lists(client, shipped_letters):
    document = json_document(client, "?about=pakistan&status=disputed")
    assert document["query"] == {"about": ["pakistan"], "status": ["disputed"]}
    assert document["source"] == "http://testserver" + JSON_URL + "?about=pakistan&status=disputed"
    annexation = next(claim for claim in document["claims"] if "annexed" in claim["quote"])
    (rejection,) = annexation["responses"]
    assert rejection == {
        "party": "Pakistan",
        "party_slug": "pakistan",
        "stance": "rejects",
        "stance_label": "Rejects",
        "statement": Claim.objects.get(pk=annexation["id"]).responses.get().statement,
        "source": NATO_REPORT,
        "quote": "an assertion Pakistan has historically rejected",
    }
    assert {"slug": "pakistan", "name": "Pakistan"} in annexation["about"]
    assert annexation["status"] == "disputed"
    assert annexation["status_with_basis"] == "Disputed: Pakistan rejects it"
    assert list(annexation) == COLUMNS


def test_the_json_export_gives_the_letters_of_its_claims_with_their_requests_and_responses(
    client, shipped_letters
):
    document = json_document(client, "?about=pakistan&status=disputed")
    (letter,) = document["letters"]  # only the letter its claims come from
    assert letter["slug"] == "balochistan-to-nato-2026-01-04"
    assert letter["permalink"] == "http://testserver/letters/balochistan-to-nato-2026-01-04/"
    assert (letter["date"], letter["date_edtf"], letter["sender"], letter["signatory"]) == (
        "4 January 2026",
        "2026-01-04",
        SENDER,
        "Mir Yar Baloch",
    )
    assert [(r["slug"], r["role"]) for r in letter["recipients"]] == [
        ("nato-foreign-ministries", "cc"),
        ("nato-member-governments", "to"),
        ("nato-permanent-missions", "to"),
    ]
    actions = letter["requested_actions"]
    assert [action["position"] for action in actions] == [1, 2, 3]
    assert [action["outcome"] for action in actions] == [
        "no-public-response",
        "not-reported",
        "not-reported",
    ]
    assert actions[0]["addressees"] == ["NATO"]
    assert actions[2]["addressees"] == ["NATO member states", "United Kingdom"]
    for action in actions:
        assert action["attributed_summary"] == f"The letter asks {action['summary']}"
        assert action["source"] == NATO_REPORT and action["quote"]
    assert {(r["party"], r["stance"], r["stance_label"]) for r in letter["responses"]} == {
        ("NATO", "no-public-response", "No public response"),
        ("Pakistan", "no-public-response", "No public response"),
        ("Iran", "no-public-response", "No public response"),
    }
    assert {r["quote"] for r in letter["responses"]} == {
        "NATO, Pakistan and Iran have not publicly responded to the letter."
    }


def test_the_json_export_of_everything_gives_both_letters_newest_first(client, shipped_letters):
    letters = json_document(client)["letters"]
    assert [letter["slug"] for letter in letters] == [
        "balochistan-to-nato-2026-01-04",
        "balochistan-to-unsc-p5-un-oic-02-11",
    ]
    assert letters[1]["date"] == "11 February, year unknown"
    assert letters[1]["responses"] == []
    assert len(letters[1]["requested_actions"]) == 14
    assert {action["outcome"] for action in letters[1]["requested_actions"]} == {"not-reported"}
    nothing = json_document(client, "?q=zzzzzz")
    assert (nothing["claims"], nothing["letters"]) == ([], [])


def test_evidence_is_counted(client, shipped_letters):
    first, second = Claim.objects.filter(status__slug="unassessed")[:2]
    for claim, relations in ((first, ["context", "supports"]), (second, ["contradicts"])):
        for relation in relations:
            Evidence.objects.create(
                claim=claim, relation=relation, source=claim.source, quote_exact=claim.quote_exact
            )
    counted = {row["id"]: row["evidence_count"] for row in json_document(client)["claims"]}
    for claim in Claim.objects.all():
        assert counted[claim.pk] == claim.evidence.count()
    assert (counted[first.pk], counted[second.pk], sum(counted.values())) == (2, 1, 3)


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused_in_csv_but_not_in_json(
    client, make_claim
):
    make_claim(statement='=HYPERLINK("http://evil.example","click")', quote="asked for an inquiry")
    (row,) = csv_rows(client)
    assert row["statement"] == '\'=HYPERLINK("http://evil.example","click")'
    (record,) = json_document(client)["claims"]
    assert record["statement"] == '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    "statement",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        " =1+1",
        "\n=1+1",
        "\t=1+1",
        "\r=1+1",
        "\u3000=1+1",
        "\uff1d1+1",
        "\uff0b1",
        "\uff201",
        " \uff0dcmd",
    ],
    ids=repr,
)
def test_a_formula_after_blanks_or_in_full_width_is_defused_too(client, make_claim, statement):
    make_claim(statement=statement, quote="asked for an inquiry")
    (row,) = csv_rows(client)
    assert row["statement"] == "'" + statement


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf8(client, make_claim):
    make_claim(statement="Balochistan (بلوچستان) was annexed.")
    raw = b"".join(client.get(CSV_URL).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\xef\xbb\xbf") == 1
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["statement"] == "Balochistan (بلوچستان) was annexed."


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
def test_bad_parameters_are_refused_with_the_reason_in_the_format_asked(
    client, shipped_letters, url, query, field
):
    response = client.get(url + query)
    assert response.status_code == 400
    text = response.content.decode()
    if url == JSON_URL:
        assert field in json.loads(text)["errors"]
    else:
        assert f"\n{field}: " in text


def test_the_claim_list_offers_both_downloads_with_its_filters_but_not_its_page_cursor(
    client, shipped_letters
):
    html = client.get(
        reverse("claims:claim-list") + "?status=disputed&kind=factual&after=abc"
    ).content.decode()
    assert f'href="{CSV_URL}?status=disputed&amp;kind=factual"' in html
    assert f'href="{JSON_URL}?status=disputed&amp;kind=factual"' in html


def test_no_download_links_when_nothing_matches(client, shipped_letters):
    html = client.get(reverse("claims:claim-list") + "?q=zzzzzz").content.decode()
    assert CSV_URL not in html


def queries_to_export(client, url):
    with CaptureQueriesContext(connection) as queries:
        body(client.get(url))
    return len(queries)


@pytest.mark.parametrize(
    "url, budget",
    [
        (CSV_URL, 6),
        # The claims with their parties, responses and evidence as the CSV reads them, the status filter's
        # lookup, and the letters: the letter with its
        # sender and signatory, recipients, requested actions, their addressees, letter-level responses.
        (JSON_URL + "?status=disputed", 11),
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, url, budget):
    archive = build_archive(1)
    small = queries_to_export(client, url)
    grow(archive, 60)
    assert queries_to_export(client, url) == small <= budget


def test_rows_are_read_in_chunks_so_memory_stays_flat(client, monkeypatch):
    """Each chunk is one page of claims plus its prefetches; more rows, more chunks, never one big read."""
    build_archive(60)
    monkeypatch.setattr(exports, "CHUNK", 10)
    with CaptureQueriesContext(connection) as queries:
        rows = list(csv.reader(io.StringIO(body(client.get(CSV_URL)))))
    assert len(rows) == 61
    prefetches_of_parties = [
        q for q in queries.captured_queries if "claims_claim_about" in q["sql"]
    ]
    assert len(prefetches_of_parties) == 6


def test_an_editors_assessment_is_exported_with_the_evidence_it_rests_on(client, shipped_letters):
    editor = get_user_model().objects.create_user("grace-login", first_name="Grace", is_staff=True)
    claim = Claim.objects.get(key="china-ai-training")
    with transaction.atomic():
        claim.status, claim.reviewed_by = (
            VerificationStatus.objects.get(slug="corroborated"),
            editor,
        )
        claim.save()
        Evidence.objects.create(
            claim=claim,
            relation="supports",
            source=claim.source,
            quote_exact=claim.quote_exact,
            note="=the report's own words",
        )
    (record,) = [c for c in json_document(client)["claims"] if c["id"] == claim.pk]
    assert record["evidence"] == [
        {
            "relation": "supports",
            "relation_label": "Supports",
            "note": "=the report's own words",
            "source": claim.source.title,
            "quote": claim.quote_exact,
        }
    ]
    assert record["reviewed_by"] == "Grace" and record["evidence_count"] == 1
    (row,) = [r for r in csv_rows(client) if r["id"] == str(claim.pk)]
    assert (
        row["evidence"]
        == f"Supports: “{claim.quote_exact}” ({claim.source.title}) =the report's own words"
    )
    assert "grace-login" not in body(client.get(CSV_URL))


def test_exports_beyond_the_limit_are_asked_to_come_back_until_one_ends(client, settings):
    settings.MISSIVE_CONCURRENT_EXPORTS = 2
    build_archive(3)
    streaming = [client.get(CSV_URL), client.get(JSON_URL)]  # begun, not yet read

    refused = client.get(CSV_URL)

    assert [response.status_code for response in streaming] == [200, 200]
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    assert "try again in a minute" in refused.content.decode()
    body(streaming[0])  # read to the end: the download is over and its place free
    # (a download its reader abandons frees its place too: tests/test_slow_clients.py)
    assert len(csv_rows(client)) == Claim.objects.count()


def test_an_export_dropped_without_being_closed_still_gives_its_place_back(client, settings):
    settings.MISSIVE_CONCURRENT_EXPORTS = 1
    build_archive(3)
    dropped = client.get(CSV_URL)  # say a middleware failed after the view: nobody closes it
    assert client.get(CSV_URL).status_code == 503

    del dropped
    gc.collect()

    assert len(csv_rows(client)) == Claim.objects.count()
