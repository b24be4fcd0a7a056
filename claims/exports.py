"""Claim lists as CSV and JSON: the rows `/claims/` shows for the same filters, streamed.

Rows are read as values in chunks, so memory stays flat however many claims match;
each chunk costs a fixed number of queries.
"""
import csv
import datetime
import json
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from .models import Claim, Evidence, Response

CHUNK = 2000

COLUMNS = [
    "id", "permalink", "letter", "letter_slug", "letter_date_edtf", "sender", "statement",
    "attributed_statement", "quote", "status", "status_label", "kind", "about", "responses",
    "evidence_count",
]

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


FIELDS = {  # record key -> the claim's value it comes from
    "id": "pk",
    "letter": "letter__title",
    "letter_slug": "letter__slug",
    "letter_date_edtf": "letter__date_edtf",
    "sender": "letter__sender__name",
    "statement": "statement",
    "quote": "quote_exact",
    "status": "status__slug",
    "status_label": "status__label",
    "kind": "kind",
}


def rows(queryset):
    """The claims as plain values, in the queryset's order, with their evidence counted."""
    evidence_count = (
        Evidence.objects.filter(claim=OuterRef("pk")).order_by().values("claim").annotate(n=Count("pk")).values("n")
    )
    return queryset.annotate(
        export_evidence_count=Coalesce(Subquery(evidence_count, output_field=IntegerField()), Value(0))
    ).values(*FIELDS.values(), "export_evidence_count")


def in_chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def parties_and_responses(claim_ids):
    """({claim id: [party]}, {claim id: [response]}) for a chunk of claims: two queries."""
    about, responses = defaultdict(list), defaultdict(list)
    links = Claim.about.through.objects.filter(claim_id__in=claim_ids).order_by("actor__name", "actor_id")
    for claim_id, slug, name in links.values_list("claim_id", "actor__slug", "actor__name"):
        about[claim_id].append({"slug": slug, "name": name})
    answers = Response.objects.filter(claim_id__in=claim_ids).order_by("pk")
    for claim_id, name, slug, stance in answers.values_list("claim_id", "actor__name", "actor__slug", "stance"):
        responses[claim_id].append({"party": name, "party_slug": slug, "stance": stance})
    return about, responses


def records(queryset, permalink):
    """Every claim as a plain dict: the JSON export's row, and the CSV row before flattening.

    Values, not model instances, read in chunks: a chunk costs two queries for its parties
    and responses, and nothing is built per row but the dict itself.
    """
    claims_url = permalink(reverse("claims:claim-list"))
    for chunk in in_chunks(rows(queryset).iterator(chunk_size=CHUNK), CHUNK):
        about, responses = parties_and_responses([row["pk"] for row in chunk])
        for row in chunk:
            record = {key: row[field] for key, field in FIELDS.items()}
            record["permalink"] = f"{claims_url}{row['pk']}/"
            record["attributed_statement"] = f"The letter from {record['sender']} claims that {record['statement']}"
            record["about"] = about[row["pk"]]
            record["responses"] = responses[row["pk"]]
            record["evidence_count"] = row["export_evidence_count"]
            yield {column: record[column] for column in COLUMNS}


def csv_cell(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(record):
    flat = dict(record)
    flat["about"] = "; ".join(actor["name"] for actor in record["about"])
    flat["responses"] = "; ".join(f"{entry['party']}: {entry['stance']}" for entry in record["responses"])
    return [csv_cell(flat[column]) for column in COLUMNS]


class Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_lines(queryset, permalink):
    writer = csv.writer(Echo())
    yield writer.writerow(COLUMNS)
    for record in records(queryset, permalink):
        yield writer.writerow(csv_row(record))


def json_chunks(queryset, permalink, about):
    """A JSON object streamed piece by piece: what was exported, then the claims."""
    head = {
        "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        **about,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "claims": ['
    separator = "\n"
    for record in records(queryset, permalink):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
