"""Claim lists as CSV and JSON: the rows `/claims/` shows for the same filters, streamed.

Rows are read as values in chunks, so memory stays flat however many claims match;
each chunk costs a fixed number of queries.
"""

import csv
import datetime
import json
import unicodedata
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse

from archive.dates import describe_edtf
from archive.models import Actor, Letter, Recipient, RequestedAction
from claims.basis import Basis, phrase, published_name
from claims.models import Claim, Evidence, Response, attribute

CHUNK = 2000

# The attributed statement leads: a row read alone still says whose assertion it is.
COLUMNS = [
    "attributed_statement",
    "id",
    "permalink",
    "status",
    "status_label",
    "status_basis",
    "status_with_basis",
    "status_source",
    "status_quote",
    "status_note",
    "reviewed_by",
    "kind",
    "about",
    "responses",
    "quote",
    "quote_source",
    "statement",
    "letter",
    "letter_slug",
    "letter_date",
    "letter_date_edtf",
    "sender",
    "evidence",
    "evidence_count",
    "recurring_assertion",
    "recurring_assertion_url",
]

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection), also
# after leading spaces or line breaks, and in their full-width forms (＝, ＋, －, ＠).
FORMULA_STARTS = ("=", "+", "-", "@")
# Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark.
BYTE_ORDER_MARK = "\ufeff"


FIELDS = {  # record key -> the claim's value it comes from
    "id": "pk",
    "letter": "letter__title",
    "letter_slug": "letter__slug",
    "letter_date_edtf": "letter__date_edtf",
    "sender": "letter__sender__name",
    "statement": "statement",
    "quote": "quote_exact",
    "quote_source": "source__title",
    "status": "status__slug",
    "status_label": "status__label",
    "status_basis": "status__basis",
    "status_source": "status_source__title",
    "status_quote": "status_quote",
    "status_note": "status_note",
    "kind": "kind",
    "recurring_assertion": "recurrence__assertion__slug",
}
EXTRA = [
    "letter_id",
    "letter__date_earliest",
    "letter__date_inferred",
    "reviewed_by__first_name",
    "reviewed_by__last_name",
]


def rows(queryset):
    """The claims as plain values, in the queryset's order."""
    return queryset.values(*FIELDS.values(), *EXTRA)


def in_chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def response_entry(party, slug, stance, statement, source, quote):
    """A party's response as exports give it: who, the stance, what the source reports they said, and where."""
    return {
        "party": party,
        "party_slug": slug,
        "stance": stance,
        "stance_label": stance_label(stance),
        "statement": statement,
        "source": source,
        "quote": quote,
    }


def stance_label(value):
    return str(Response.Stance(value).label) if value in Response.Stance.values else value


RESPONSE_VALUES = (
    "actor__name",
    "actor__slug",
    "stance",
    "statement",
    "source__title",
    "quote_exact",
)


def related_rows(claim_ids):
    """({claim id: [party]}, {claim id: [response]}, {claim id: [evidence]}) for a chunk of claims: three queries."""
    about, responses, evidence = defaultdict(list), defaultdict(list), defaultdict(list)
    links = Claim.about.through.objects.filter(claim_id__in=claim_ids).order_by(
        "actor__name", "actor_id"
    )
    for claim_id, slug, name in links.values_list("claim_id", "actor__slug", "actor__name"):
        about[claim_id].append({"slug": slug, "name": name})
    answers = Response.objects.filter(claim_id__in=claim_ids).order_by("pk")
    for claim_id, *values in answers.values_list("claim_id", *RESPONSE_VALUES):
        responses[claim_id].append(response_entry(*values))
    items = Evidence.objects.filter(claim_id__in=claim_ids).order_by("pk")
    for claim_id, relation, note, source, quote in items.values_list(
        "claim_id", "relation", "note", "source__title", "quote_exact"
    ):
        evidence[claim_id].append(
            {
                "relation": relation,
                "relation_label": str(Evidence.Relation(relation).label),
                "note": note,
                "source": source,
                "quote": quote,
            }
        )
    return about, responses, evidence


def with_basis(record, row):
    """The status said with whose it is, as pages say it (claims.basis)."""
    opposing = [
        (entry["party"], entry["stance_label"])
        for entry in record["responses"]
        if entry["stance"] in Response.Stance.opposing()
    ]
    editors = row["status__basis"] == Basis.EDITORS
    record["reviewed_by"] = (
        published_name(row["reviewed_by__first_name"], row["reviewed_by__last_name"])
        if editors
        else ""
    )
    kind = str(Claim.Kind(row["kind"]).label) if row["kind"] in Claim.Kind.values else row["kind"]
    record["status_with_basis"] = record["status_label"] + phrase(
        row["status__basis"],
        source=record["status_source"],
        words=record["status_quote"],
        opposing=opposing,
        reviewer=record["reviewed_by"],
        kind=kind,
    )


def records(queryset, permalink, letters_seen=None):
    """Every claim as a plain dict: the JSON export's row, and the CSV row before flattening.

    Values, not model instances, read in chunks: a chunk costs three queries for its parties,
    responses and evidence, and nothing is built per row but the dict itself. `letters_seen`, a dict,
    collects the claims' letters (id: earliest date) for the JSON export's letters.
    """
    claims_url = permalink(reverse("claims:claim-list"))
    recurring_url = permalink(reverse("claims:recurring-list"))
    for chunk in in_chunks(rows(queryset).iterator(chunk_size=CHUNK), CHUNK):
        about, responses, evidence = related_rows([row["pk"] for row in chunk])
        for row in chunk:
            record = {key: row[field] for key, field in FIELDS.items()}
            record["status_source"] = record["status_source"] or ""
            record["permalink"] = f"{claims_url}{row['pk']}/"
            record["attributed_statement"] = attribute(record["sender"], record["statement"])
            record["letter_date"] = describe_edtf(
                row["letter__date_edtf"], row["letter__date_inferred"]
            )
            record["about"] = about[row["pk"]]
            record["responses"] = responses[row["pk"]]
            record["evidence"] = evidence[row["pk"]]
            record["evidence_count"] = len(record["evidence"])
            # The editors' link, by its address only: the assertion's wording stays on its page.
            slug = record["recurring_assertion"] or ""
            record["recurring_assertion"] = slug
            record["recurring_assertion_url"] = f"{recurring_url}{slug}/" if slug else ""
            with_basis(record, row)
            if letters_seen is not None:
                letters_seen[row["letter_id"]] = row["letter__date_earliest"]
            yield {column: record[column] for column in COLUMNS}


def csv_cell(value):
    """The value as a spreadsheet shows it and never runs it: a would-be formula gets a leading '."""
    text = str(value)
    stripped = unicodedata.normalize("NFKC", text.lstrip())
    starts_a_formula = stripped.startswith(FORMULA_STARTS) or text[:1] in ("\t", "\r", "\n")
    return "'" + text if starts_a_formula else text


def csv_row(record):
    flat = dict(record)
    flat["about"] = "; ".join(actor["name"] for actor in record["about"])
    flat["responses"] = "; ".join(
        f"{entry['party']}: {entry['stance_label'].lower()}"
        + (f" ({entry['statement']})" if entry["statement"] else "")
        for entry in record["responses"]
    )
    flat["evidence"] = "; ".join(
        f"{item['relation_label']}: “{item['quote']}” ({item['source']})"
        + (f" {item['note']}" if item["note"] else "")
        for item in record["evidence"]
    )
    return [csv_cell(flat[column]) for column in COLUMNS]


class Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_lines(queryset, permalink):
    writer = csv.writer(Echo())
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    for record in records(queryset, permalink):
        yield writer.writerow(csv_row(record))


def json_chunks(queryset, permalink, about):
    """A JSON object streamed piece by piece: what was exported, then the claims."""
    head = {
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **about,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "claims": ['
    separator = "\n"
    letters = {}
    for record in records(queryset, permalink, letters):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield '\n],\n"letters": ['
    separator = "\n"
    newest_first = sorted(
        letters, key=lambda pk: (letters[pk], -pk), reverse=True
    )  # as the letter list shows them
    for record in letter_records(newest_first, permalink):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def letter_records(letter_ids, permalink):
    """The letters of the exported claims: date, parties, what each asks for, and responses to it as a whole.

    A chunk of letters costs a fixed number of queries (the letter, its sender and
    signatory, recipients, requested actions with addressees, letter-level responses).
    """
    for ids in in_chunks(letter_ids, CHUNK):
        letters = (
            Letter.objects.filter(pk__in=ids)
            .select_related("sender", "signatory")
            .prefetch_related(
                Prefetch(
                    "recipients",
                    queryset=Recipient.objects.select_related("actor").order_by("role", "pk"),
                ),
                Prefetch(
                    "requested_actions",
                    queryset=RequestedAction.objects.select_related("source")
                    .prefetch_related(
                        Prefetch("addressees", queryset=Actor.objects.order_by("name"))
                    )
                    .order_by("position"),
                ),
                Prefetch(
                    "responses",
                    queryset=Response.objects.select_related("actor", "source").order_by("pk"),
                ),
            )
        )
        by_id = {letter.pk: letter for letter in letters}
        for letter in (by_id[pk] for pk in ids):
            yield {
                "slug": letter.slug,
                "title": letter.title,
                "permalink": permalink(letter.get_absolute_url()),
                "date": letter.date_display,
                "date_edtf": letter.date_edtf,
                "date_note": letter.date_note,
                "sender": letter.sender.name,
                "signatory": letter.signatory.name if letter.signatory else None,
                "recipients": [
                    {"name": r.actor.name, "slug": r.actor.slug, "role": r.role, "note": r.note}
                    for r in letter.recipients.all()
                ],
                "requested_actions": [
                    {
                        "position": action.position,
                        "attributed_summary": action.attributed_summary,
                        "summary": action.summary,
                        "addressees": [actor.name for actor in action.addressees.all()],
                        "outcome": action.outcome,
                        "outcome_label": action.get_outcome_display(),
                        "outcome_note": action.outcome_note,
                        "source": action.source.title,
                        "quote": action.quote_exact,
                    }
                    for action in letter.requested_actions.all()
                ],
                "responses": [
                    response_entry(
                        r.actor.name,
                        r.actor.slug,
                        r.stance,
                        r.statement,
                        r.source.title,
                        r.quote_exact,
                    )
                    for r in letter.responses.all()
                ],
            }
