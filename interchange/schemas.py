"""JSON Schemas (draft 2020-12) of the letters file and of the claims' JSON export.

Built from the models' vocabularies and field lengths, so a schema cannot drift from what
the importer accepts; published, versioned, in docs/schemas/ (`manage.py write_schemas`
writes them there, and a test fails when a published file differs from this module's).
A schema states the shape; the importer also checks what no schema can (a quote found in
its source, a status with its basis) and names each error's place.
"""

from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, RecurringAssertion, Response, VerificationStatus
from interchange.claim_exports import COLUMNS
from interchange.format import FORMAT_NAME, FORMAT_VERSION
from interchange.importing.checker import MAX_SOURCE_TEXT, MAX_TEXT

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://missive.example/schemas/"  # identifiers, not addresses: the files are in docs/
LETTERS_SCHEMA = f"missive-letters-{FORMAT_VERSION}.schema.json"
EXPORT_VERSION = 1
EXPORT_SCHEMA = f"missive-claims-export-{EXPORT_VERSION}.schema.json"


def text(max_length=MAX_TEXT, nullable=False):
    schema = {"type": ["string", "null"] if nullable else "string", "maxLength": max_length}
    return schema


def field(model, name, nullable=True):
    return text(model._meta.get_field(name).max_length or MAX_TEXT, nullable)


def slug(model, name="slug"):
    return {
        "type": "string",
        "pattern": "^[-a-zA-Z0-9_]+$",
        "maxLength": model._meta.get_field(name).max_length,
    }


def choice(choices, nullable=False):
    return {"enum": [*choices.values, *([None] if nullable else [])]}


def strings():
    return {"type": ["array", "null"], "items": {"type": "string"}}


def obj(required, properties):
    return {
        "type": "object",
        "required": list(required),
        "properties": properties,
        "additionalProperties": False,
    }


def items(reference):
    return {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{reference}"}}


def letters_file():
    """The letters file that `import_letters` reads and `export_letters` writes."""
    date = {"type": ["string", "null"], "format": "date"}
    return {
        "$schema": DRAFT,
        "$id": BASE + LETTERS_SCHEMA,
        "title": f"Missive letters file, version {FORMAT_VERSION}",
        "description": "Letters, their claims and what they rest on (docs/import-format.md).",
        **obj(
            ["format", "version", "letters"],
            {
                "format": {"const": FORMAT_NAME},
                "version": {"const": FORMAT_VERSION},
                "statuses": items("status"),
                "actors": items("actor"),
                "sources": items("source"),
                "recurring_assertions": items("recurring_assertion"),
                "letters": {"type": "array", "items": {"$ref": "#/$defs/letter"}},
            },
        ),
        "$defs": {
            "status": obj(
                ["slug", "label", "description"],
                {
                    "slug": slug(VerificationStatus),
                    "label": field(VerificationStatus, "label", nullable=False),
                    "description": text(nullable=True),
                    "basis": choice(VerificationStatus.Basis, nullable=True),
                    "rating_value": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
                    "requires_dispute": {"type": ["boolean", "null"]},
                    "position": {"type": ["integer", "null"]},
                },
            ),
            "actor": obj(
                ["slug", "name", "kind"],
                {
                    "slug": slug(Actor),
                    "name": field(Actor, "name", nullable=False),
                    "kind": choice(Actor.Kind),
                    "parent": {"type": ["string", "null"]},
                    "description": text(nullable=True),
                    "identifiers": items("identifier"),
                },
            ),
            "recurring_assertion": obj(
                ["slug", "title"],
                {
                    "slug": slug(RecurringAssertion),
                    "title": field(RecurringAssertion, "title", nullable=False),
                    "note": text(nullable=True),
                },
            ),
            "identifier": obj(
                ["scheme", "value"],
                {
                    "scheme": choice(ActorIdentifier.Scheme),
                    "value": field(ActorIdentifier, "value", False),
                },
            ),
            "source": obj(
                ["slug", "title", "text"],
                {
                    "slug": slug(Source),
                    "title": field(Source, "title", nullable=False),
                    "text": text(MAX_SOURCE_TEXT),
                    "kind": choice(Source.Kind, nullable=True),
                    "language": field(Source, "language"),
                    "author": field(Source, "author"),
                    "publisher": field(Source, "publisher"),
                    "url": field(Source, "url"),
                    "published_on": date,
                    "note": text(nullable=True),
                },
            ),
            "quote": obj(
                ["source", "exact"],
                {
                    "source": {"type": "string"},
                    "exact": text(),
                    "prefix": text(nullable=True),
                    "suffix": text(nullable=True),
                    "orphan": {"type": ["boolean", "null"]},
                },
            ),
            "letter": obj(
                ["slug", "title", "date", "sender", "summary", "sources"],
                {
                    "slug": slug(Letter),
                    "title": field(Letter, "title", nullable=False),
                    "date": {
                        "type": "string",
                        "description": "EDTF; a part no source states is X (XXXX-02-11).",
                    },
                    "date_inferred": {"type": ["boolean", "null"]},
                    "date_note": field(Letter, "date_note"),
                    "sender": {"type": "string"},
                    "signatory": {"type": ["string", "null"]},
                    "summary": text(),
                    "published": {
                        "type": ["boolean", "null"],
                        "description": (
                            "false for a draft, which no public page shows; absent, a new letter "
                            "is published and one already in the archive keeps its state."
                        ),
                    },
                    "sources": {"type": "array", "items": {"type": "string"}},
                    "recipients": items("recipient"),
                    "requested_actions": items("requested_action"),
                    "claims": items("claim"),
                    "responses": items("response"),
                },
            ),
            "recipient": obj(
                ["actor"],
                {
                    "actor": {"type": "string"},
                    "role": choice(Recipient.Role, nullable=True),
                    "note": field(Recipient, "note"),
                },
            ),
            "requested_action": obj(
                ["summary", "quote"],
                {
                    "summary": text(),
                    "quote": {"$ref": "#/$defs/quote"},
                    "position": {"type": ["integer", "null"]},
                    "addressees": strings(),
                    "outcome": choice(RequestedAction.Outcome, nullable=True),
                    "outcome_note": text(nullable=True),
                },
            ),
            "claim": obj(
                ["key", "statement", "kind", "status", "quote"],
                {
                    "key": slug(Claim, "key"),
                    "statement": text(),
                    "kind": choice(Claim.Kind),
                    "status": {"type": "string"},
                    "quote": {"$ref": "#/$defs/quote"},
                    "position": {"type": ["integer", "null"]},
                    "about": strings(),
                    "status_note": text(nullable=True),
                    "status_basis": {
                        "oneOf": [
                            {"type": "null"},
                            obj(
                                ["source", "quote"], {"source": {"type": "string"}, "quote": text()}
                            ),
                        ]
                    },
                    "reviewed_by": {"type": ["string", "null"]},
                    "status_set_at": {"type": ["string", "null"], "format": "date-time"},
                    "responses": items("response"),
                    "evidence": items("evidence"),
                    "recurs_as": {
                        "oneOf": [
                            {"type": "null"},
                            obj(
                                ["assertion", "reason"],
                                {
                                    "assertion": {"type": "string"},
                                    "reason": text(),
                                    "confirmed_by": {"type": ["string", "null"]},
                                    "confirmed_at": {
                                        "type": ["string", "null"],
                                        "format": "date-time",
                                    },
                                },
                            ),
                        ]
                    },
                },
            ),
            "response": obj(
                ["actor", "stance", "quote"],
                {
                    "actor": {"type": "string"},
                    "stance": choice(Response.Stance),
                    "quote": {"$ref": "#/$defs/quote"},
                    "statement": text(nullable=True),
                    "responded_on": date,
                },
            ),
            "evidence": obj(
                ["relation", "quote"],
                {
                    "relation": choice(Evidence.Relation),
                    "quote": {"$ref": "#/$defs/quote"},
                    "note": text(nullable=True),
                },
            ),
        },
    }


def claims_export():
    """`/claims/export.json`: the claims a list shows, attributed, each status with whose it is."""
    string, nullable = {"type": "string"}, {"type": ["string", "null"]}
    uri = {"type": "string", "format": "uri"}
    named = obj(["slug", "name"], {"slug": string, "name": string})
    response = obj(
        ["party", "party_slug", "stance", "stance_label", "statement", "source", "quote"],
        {
            "party": string,
            "party_slug": string,
            "stance": choice(Response.Stance),
            "stance_label": string,
            "statement": string,
            "source": string,
            "quote": string,
        },
    )
    evidence = obj(
        ["relation", "relation_label", "note", "source", "quote"],
        {
            "relation": choice(Evidence.Relation),
            "relation_label": string,
            "note": string,
            "source": string,
            "quote": string,
        },
    )
    claim = obj(
        COLUMNS,  # every column of the CSV is a key of each claim here
        {
            "attributed_statement": {
                "type": "string",
                "pattern": "^The letter from .+ claims that ",
            },
            "id": {"type": "integer"},
            "permalink": uri,
            "status": string,
            "status_label": string,
            "status_basis": choice(VerificationStatus.Basis),
            "status_with_basis": string,
            "status_source": string,
            "status_quote": string,
            "status_note": string,
            "reviewed_by": string,
            "kind": choice(Claim.Kind),
            "recurring_assertion": string,
            "recurring_assertion_url": {"anyOf": [uri, {"const": ""}]},
            "about": {"type": "array", "items": named},
            "responses": {"type": "array", "items": response},
            "quote": string,
            "quote_source": string,
            "statement": string,
            "letter": string,
            "letter_slug": string,
            "letter_date": string,
            "letter_date_edtf": string,
            "sender": string,
            "evidence": {"type": "array", "items": evidence},
            "evidence_count": {"type": "integer", "minimum": 0},
        },
    )
    recipient = obj(
        ["name", "slug", "role", "note"],
        {"name": string, "slug": string, "role": choice(Recipient.Role), "note": string},
    )
    action = obj(
        [
            "position",
            "attributed_summary",
            "summary",
            "addressees",
            "outcome",
            "outcome_label",
            "outcome_note",
            "source",
            "quote",
        ],
        {
            "position": {"type": "integer"},
            "attributed_summary": {"type": "string", "pattern": "^The letter asks "},
            "summary": string,
            "addressees": {"type": "array", "items": string},
            "outcome": choice(RequestedAction.Outcome),
            "outcome_label": string,
            "outcome_note": string,
            "source": string,
            "quote": string,
        },
    )
    letter = obj(
        [
            "slug",
            "title",
            "permalink",
            "date",
            "date_edtf",
            "date_note",
            "sender",
            "signatory",
            "recipients",
            "requested_actions",
            "responses",
        ],
        {
            "slug": string,
            "title": string,
            "permalink": uri,
            "date": string,
            "date_edtf": string,
            "date_note": string,
            "sender": string,
            "signatory": nullable,
            "recipients": {"type": "array", "items": recipient},
            "requested_actions": {"type": "array", "items": action},
            "responses": {"type": "array", "items": response},
        },
    )
    return {
        "$schema": DRAFT,
        "$id": BASE + EXPORT_SCHEMA,
        "title": f"Missive claims export (JSON), version {EXPORT_VERSION}",
        "description": "What /claims/export.json gives for a list's filters (docs/interchange.md).",
        **obj(
            ["exported_at", "source", "query", "claims", "letters"],
            {
                "exported_at": {"type": "string", "format": "date-time"},
                "source": uri,
                "query": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": string},
                },
                "claims": {"type": "array", "items": claim},
                "letters": {"type": "array", "items": letter},
            },
        ),
    }


SCHEMAS = {LETTERS_SCHEMA: letters_file, EXPORT_SCHEMA: claims_export}
