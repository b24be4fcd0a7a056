"""Claim lists as CSV and JSON: the rows `/claims/` shows for the same filters, streamed.

Rows are read with `iterator(chunk_size=…)`, which prefetches per chunk, so memory
stays flat however many claims match; each chunk costs a fixed number of queries.
"""
import csv
import datetime
import json

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Evidence, Response

CHUNK = 2000

COLUMNS = [
    "id", "permalink", "letter", "letter_slug", "letter_date_edtf", "sender", "statement",
    "attributed_statement", "quote", "status", "status_label", "kind", "about", "responses",
    "evidence_count",
]

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(queryset):
    """The claim queryset with everything a row needs, in a fixed number of queries per chunk."""
    evidence_count = (
        Evidence.objects.filter(claim=OuterRef("pk")).order_by().values("claim").annotate(n=Count("pk")).values("n")
    )
    return queryset.select_related("letter__sender", "status").prefetch_related(
        "about", Prefetch("responses", queryset=Response.objects.select_related("actor").order_by("pk"))
    ).annotate(evidence_count=Coalesce(Subquery(evidence_count, output_field=IntegerField()), Value(0)))


def claim_record(claim, permalink):
    """One claim as a plain dict: the JSON export's row, and the CSV row before flattening."""
    letter = claim.letter
    return {
        "id": claim.pk,
        "permalink": permalink(claim.get_absolute_url()),
        "letter": letter.title,
        "letter_slug": letter.slug,
        "letter_date_edtf": letter.date_edtf,
        "sender": letter.sender.name,
        "statement": claim.statement,
        "attributed_statement": f"The letter from {letter.sender.name} claims that {claim.statement}",
        "quote": claim.quote_exact,
        "status": claim.status.slug,
        "status_label": claim.status.label,
        "kind": claim.kind,
        "about": [{"slug": actor.slug, "name": actor.name} for actor in claim.about.all()],
        "responses": [
            {"party": response.actor.name, "party_slug": response.actor.slug, "stance": response.stance}
            for response in claim.responses.all()
        ],
        "evidence_count": claim.evidence_count,
    }


def records(queryset, permalink):
    for claim in export_queryset(queryset).iterator(chunk_size=CHUNK):
        yield claim_record(claim, permalink)


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
