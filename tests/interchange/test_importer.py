"""The letter importer: what it accepts, what it refuses and where, and that it never half-writes.

Each refusal test takes a minimal valid document, breaks one thing, and checks the exact
location of the error, the gist of its message, and that no row was written.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response
from core.bulk import insert
from interchange.archive_export import write_archive
from interchange.importing import ImportFailed, import_document, import_file
from interchange.importing import write as writer
from tests.conftest import SHIPPED_LETTERS

pytestmark = pytest.mark.django_db

# "the bridge was closed" occurs twice: once after "says ", once after "denied that ".
SOURCE_TEXT = (
    "The sender says the bridge was closed on Monday and asks for a hearing. "
    "The ministry denied that the bridge was closed."
)


# --- building documents --------------------------------------------------------------


def quote(exact, source="report", **context):
    return {"source": source, "exact": exact, **context}


def claim(key="bridge-closed", **fields):
    return {
        "key": key,
        "statement": "the bridge was closed on Monday.",
        "kind": "factual",
        "status": "unassessed",
        "quote": quote("the bridge was closed on Monday"),
        **fields,
    }


def response(actor="ministry", stance="denies"):
    return {"actor": actor, "stance": stance, "quote": quote("The ministry denied")}


def letter(slug="bridge-letter", **fields):
    return {
        "slug": slug,
        "title": "Letter about the bridge",
        "date": "2026-01-04",
        "sender": "ministry",
        "summary": "It says the bridge was closed and asks for a hearing.",
        "sources": ["report"],
        "recipients": [{"actor": "ministry", "role": "to"}],
        "requested_actions": [{"summary": "a hearing", "quote": quote("asks for a hearing")}],
        "claims": [claim()],
        **fields,
    }


def valid_document():
    """One actor, one source, one letter with one recipient, one requested action and one claim."""
    return {
        "format": "missive-letters",
        "version": 1,
        "actors": [{"slug": "ministry", "name": "The Ministry", "kind": "office"}],
        "sources": [{"slug": "report", "title": "A report", "text": SOURCE_TEXT}],
        "letters": [letter()],
    }


def first_letter(document):
    return document["letters"][0]


def first_claim(document):
    return document["letters"][0]["claims"][0]


def write(tmp_path, content, name="letters.json"):
    """A file holding content: bytes as they are, anything else as JSON."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


# --- checking outcomes ---------------------------------------------------------------


def row_counts():
    return {
        model.__name__: model.objects.count() for model in (Letter, Claim, Actor, Source, Response)
    }


def refused(document):
    """Every error the importer gives for document, having checked that it wrote nothing."""
    before = row_counts()
    with pytest.raises(ImportFailed) as failure:
        import_document(document)
    assert row_counts() == before
    return failure.value.errors


def refused_file(path):
    before = row_counts()
    with pytest.raises(ImportFailed) as failure:
        import_file(path)
    assert row_counts() == before
    return failure.value.errors


def the_error(document):
    """(location, message) of the one and only error for document."""
    errors = refused(document)
    assert len(errors) == 1, errors
    location, message = errors[0].split(": ", 1)
    return location, message


def force_deferred_checks():
    """Run PostgreSQL's commit-time triggers now (the test transaction never commits), then defer
    them again, as the next import's own transaction would find them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def imported(document, reason="Imported"):
    report = import_document(document, reason)
    force_deferred_checks()
    return report


# --- the valid document --------------------------------------------------------------


def test_the_minimal_document_imports_every_part():
    report = imported(valid_document())

    assert report.created == {
        "actors": 1,
        "sources": 1,
        "letters": 1,
        "recipients": 1,
        "requested actions": 1,
        "claims": 1,
    }
    stored = Claim.objects.get(letter__slug="bridge-letter", key="bridge-closed")
    assert SOURCE_TEXT[stored.quote_start : stored.quote_end] == "the bridge was closed on Monday"


# --- reading the file ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"  \n\t\n",
        b"\xef\xbb\xbf\n",
    ],
    ids=["no-bytes", "whitespace-only", "byte-order-mark-only"],
)
def test_an_empty_file_is_refused_as_empty(tmp_path, content):
    path = write(tmp_path, content)

    [error] = refused_file(path)

    assert error.startswith(f"{path}: the file is empty")


def test_malformed_json_is_refused_with_its_line_and_column(tmp_path):
    path = write(
        tmp_path, b'{\n  "format": "missive-letters",\n  "version": 1,\n  "letters": [,]\n}'
    )

    [error] = refused_file(path)

    assert error.startswith(f"{path}: not valid JSON: line 4, column 15")


def test_a_file_that_is_not_utf8_is_refused_with_the_bad_byte(tmp_path):
    content = '{"format": "missive-letters", "note": "café"}'.encode("latin-1")
    path = write(tmp_path, content)

    bad_byte = content.index("é".encode("latin-1"))

    [error] = refused_file(path)

    assert error == f"{path}: not UTF-8 text (byte {bad_byte} is invalid)"


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + json.dumps(valid_document()).encode())

    import_file(path)

    assert Letter.objects.filter(slug="bridge-letter").exists()


def test_the_public_reason_names_the_imported_file_never_where_it_lay_on_the_server(tmp_path):
    folder = tmp_path / "srv" / "private-uploads"
    folder.mkdir(parents=True)
    path = write(folder, json.dumps(valid_document()).encode())

    import_file(
        str(path)
    )  # as `manage.py import_letters /srv/private-uploads/letters.json` passes it

    reasons = set(Letter.history.values_list("history_change_reason", flat=True))
    assert reasons == {f"Imported from {path.name}"}
    assert not any(str(folder) in reason or "private-uploads" in reason for reason in reasons)


def test_a_file_nested_far_too_deep_is_refused_with_a_reason(tmp_path):
    path = write(tmp_path, b"[" * 200_000 + b"]" * 200_000)

    [error] = refused_file(path)

    assert error == f"{path}: nested too deeply to be a letters file (more than 100 levels)"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100 + "]" * 100,
        "[" * 101 + "]" * 101,
        '{"a": [' * 60 + "[]" + "]}" * 60,
        '["[[[[", "]]]"]',  # brackets inside strings are text
        '["\\ud800"]',  # an escaped backslash, then "ud800": text, no surrogate
        '["\\\ud800"]',
        '{"n": ' + "1" * 101 + "}",
        '{"n": "' + "1" * 101 + '"}',
        "[[]",
        "[" * 5000,
        '["unterminated',
    ],
)
def test_the_quick_shape_check_agrees_with_the_token_by_token_walk(text):
    from interchange.importing.read import first_problem, line_and_column, shape_problem

    assert shape_problem(text) == first_problem(text, line_and_column(text))


def test_a_number_too_long_to_read_is_refused_with_its_place(tmp_path):
    path = write(tmp_path, b'{"format": "missive-letters", "version": ' + b"9" * 5000 + b"}")

    [error] = refused_file(path)

    assert error == f"{path}: not valid JSON: line 1, column 42: a number of 5000 digits"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud800x"])
def test_a_lone_surrogate_is_refused_with_its_place(tmp_path, escape):
    document = json.dumps(valid_document())
    document = document.replace("Letter about the bridge", f"Letter {escape} about the bridge", 1)
    path = write(tmp_path, document.encode())

    [error] = refused_file(path)

    assert error.startswith(f"{path}: not valid JSON: line 1, column ")
    assert error.endswith("half of a UTF-16 surrogate pair, which no text can hold")


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_a_number_json_does_not_allow_is_refused(tmp_path, number):
    path = write(tmp_path, f'{{"format": "missive-letters", "version": {number}}}'.encode())

    [error] = refused_file(path)

    assert error == f"{path}: not valid JSON: {number} is not a number JSON allows"


def test_a_key_given_twice_in_one_object_is_refused_naming_the_key(tmp_path):
    document = json.dumps(valid_document())
    twice = '"title": "Letter about the bridge", "title": "Another"'
    document = document.replace('"title": "Letter about the bridge"', twice, 1)
    path = write(tmp_path, document.encode())

    [error] = refused_file(path)

    assert error == f'{path}: the key "title" is given twice in one object; give it once'


def test_a_file_that_does_not_exist_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "missing.json"

    [error] = refused_file(path)

    assert error.startswith(f"{path}: cannot be read")


# --- the top level -------------------------------------------------------------------


def test_a_top_level_list_is_refused_at_the_root():
    assert the_error([valid_document()]) == ("$", "expected an object, got a list")


def test_a_wrong_format_name_is_refused():
    document = valid_document() | {"format": "letters"}

    assert the_error(document) == ("format", "expected 'missive-letters', got \"letters\"")


def test_a_wrong_version_is_refused():
    document = valid_document() | {"version": 2}

    assert the_error(document) == ("version", "expected 1, got 2")


def test_a_file_with_nothing_to_import_is_refused():
    document = valid_document() | {"letters": [], "actors": [], "sources": []}

    assert the_error(document) == ("letters", "the list is empty; nothing to import")


def test_a_file_of_actors_and_sources_alone_is_imported():
    document = valid_document() | {"letters": []}

    import_document(document)

    assert Actor.objects.exists() and Source.objects.exists()


# --- shape: missing fields, wrong types, unknown fields --------------------------------


@pytest.mark.parametrize(
    "remove, location",
    [
        (lambda d: first_letter(d).pop("sender"), "letters[0].sender"),
        (lambda d: first_claim(d).pop("quote"), "letters[0].claims[0].quote"),
        (
            lambda d: first_letter(d)["requested_actions"][0].pop("summary"),
            "letters[0].requested_actions[0].summary",
        ),
        (lambda d: d.pop("letters"), "letters"),
    ],
    ids=["letter-sender", "claim-quote", "action-summary", "letters"],
)
def test_a_missing_required_field_is_reported_where_it_is_missing(remove, location):
    document = valid_document()
    remove(document)

    assert the_error(document) == (location, "missing")


@pytest.mark.parametrize(
    "change, location, message",
    [
        (
            lambda d: first_letter(d).update(date_inferred="yes"),
            "letters[0].date_inferred",
            "expected true or false, got a string",
        ),
        (
            lambda d: first_letter(d).update(recipients={}),
            "letters[0].recipients",
            "expected a list, got an object",
        ),
        (
            lambda d: first_claim(d).update(about=["ministry", 5]),
            "letters[0].claims[0].about[1]",
            "expected an actor slug, got a number",
        ),
        (
            lambda d: first_claim(d).update(statement=42),
            "letters[0].claims[0].statement",
            "expected a string, got a number",
        ),
    ],
    ids=["date-inferred-string", "recipients-object", "about-number", "statement-number"],
)
def test_a_value_of_the_wrong_type_is_refused(change, location, message):
    document = valid_document()
    change(document)

    assert the_error(document) == (location, message)


def test_a_misspelt_field_is_reported_as_unknown_and_the_real_one_as_missing():
    document = valid_document()
    first_claim(document)["statment"] = first_claim(document).pop("statement")

    errors = refused(document)

    assert len(errors) == 2, errors
    assert errors[0].startswith("letters[0].claims[0].statment: unknown field")
    assert errors[1] == "letters[0].claims[0].statement: missing"


def test_an_unknown_optional_field_is_reported_with_its_path():
    document = valid_document()
    document["actors"][0]["descripton"] = "A typo for description."

    location, message = the_error(document)

    assert location == "actors[0].descripton"
    assert message.startswith("unknown field")


@pytest.mark.parametrize(
    "change, location",
    [
        (lambda d: first_letter(d).update(sender=None), "letters[0].sender"),
        (lambda d: first_letter(d).update(title=None), "letters[0].title"),
        (lambda d: first_claim(d).update(statement=None), "letters[0].claims[0].statement"),
        (
            lambda d: first_letter(d)["requested_actions"][0].update(quote=None),
            "letters[0].requested_actions[0].quote",
        ),
        (lambda d: d.update(format=None), "format"),
    ],
    ids=["letter-sender", "letter-title", "claim-statement", "action-quote", "format"],
)
def test_a_required_field_set_to_null_is_refused_at_its_path(change, location):
    document = valid_document()
    change(document)

    errors = refused(document)

    assert any(error.startswith(f"{location}: ") for error in errors), errors


def test_an_empty_letter_title_is_refused():
    document = valid_document()
    first_letter(document)["title"] = ""

    assert the_error(document) == ("letters[0].title", "must not be empty")


# --- references: actors, statuses and vocabularies ----------------------------------


@pytest.mark.parametrize(
    "change, location",
    [
        (lambda d: first_letter(d).update(sender="nobody"), "letters[0].sender"),
        (
            lambda d: first_letter(d)["recipients"][0].update(actor="nobody"),
            "letters[0].recipients[0].actor",
        ),
        (lambda d: first_claim(d).update(about=["nobody"]), "letters[0].claims[0].about[0]"),
        (
            lambda d: first_claim(d).update(responses=[response(actor="nobody")]),
            "letters[0].claims[0].responses[0].actor",
        ),
        (
            lambda d: first_letter(d).update(responses=[response(actor="nobody")]),
            "letters[0].responses[0].actor",
        ),
        (
            lambda d: first_letter(d)["requested_actions"][0].update(addressees=["nobody"]),
            "letters[0].requested_actions[0].addressees[0]",
        ),
        (lambda d: d["actors"][0].update(parent="nobody"), "actors[0].parent"),
    ],
    ids=[
        "sender",
        "recipient",
        "claim-about",
        "claim-response",
        "letter-response",
        "addressee",
        "actor-parent",
    ],
)
def test_a_reference_to_an_unknown_actor_is_refused(change, location):
    document = valid_document()
    change(document)

    assert the_error(document) == (location, "unknown actor 'nobody'")


def test_an_actor_already_in_the_database_can_be_referred_to():
    Actor.objects.create(slug="observer", name="An observer", kind=Actor.Kind.PERSON)
    document = valid_document()
    first_letter(document)["recipients"].append({"actor": "observer", "role": "cc"})

    imported(document)

    assert Recipient.objects.filter(actor__slug="observer", role="cc").exists()


def test_two_unknown_responders_give_one_error_each():
    document = valid_document()
    first_claim(document)["responses"] = [response(actor="nobody"), response(actor="somebody")]

    assert refused(document) == [
        "letters[0].claims[0].responses[0].actor: unknown actor 'nobody'",
        "letters[0].claims[0].responses[1].actor: unknown actor 'somebody'",
    ]


def test_an_unknown_status_is_refused_listing_the_known_ones():
    document = valid_document()
    first_claim(document)["status"] = "bogus"

    location, message = the_error(document)

    assert location == "letters[0].claims[0].status"
    assert message.startswith("unknown status 'bogus'; known: ")
    assert {"unassessed", "disputed", "not-checkable"} <= set(
        message.split("known: ")[1].split(", ")
    )


@pytest.mark.parametrize(
    "change, location",
    [
        (lambda d: first_claim(d).update(kind="bogus"), "letters[0].claims[0].kind"),
        (
            lambda d: first_letter(d)["recipients"][0].update(role="bogus"),
            "letters[0].recipients[0].role",
        ),
        (
            lambda d: first_claim(d).update(responses=[response(stance="bogus")]),
            "letters[0].claims[0].responses[0].stance",
        ),
        (
            lambda d: first_letter(d)["requested_actions"][0].update(outcome="bogus"),
            "letters[0].requested_actions[0].outcome",
        ),
        (
            lambda d: first_claim(d).update(
                evidence=[{"relation": "bogus", "quote": quote("asks for a hearing")}]
            ),
            "letters[0].claims[0].evidence[0].relation",
        ),
        (lambda d: d["sources"][0].update(kind="bogus"), "sources[0].kind"),
        (
            lambda d: d["actors"].append({"slug": "observer", "name": "Observer", "kind": "bogus"}),
            "actors[1].kind",
        ),
    ],
    ids=[
        "claim-kind",
        "recipient-role",
        "response-stance",
        "action-outcome",
        "evidence-relation",
        "source-kind",
        "actor-kind",
    ],
)
def test_a_value_outside_its_vocabulary_is_refused(change, location):
    document = valid_document()
    change(document)

    found_location, message = the_error(document)

    assert found_location == location
    assert message.startswith("unknown value 'bogus'; expected one of ")


def test_an_invalid_wikidata_identifier_is_refused():
    document = valid_document()
    document["actors"][0]["identifiers"] = [{"scheme": "wikidata", "value": "843"}]

    location, message = the_error(document)

    assert location == "actors[0].identifiers[0].value"
    assert message.startswith("'843': A Wikidata identifier looks like Q843")


# --- quotes --------------------------------------------------------------------------


def test_a_quote_not_in_the_source_text_is_refused_at_its_exact_text():
    document = valid_document()
    first_claim(document)["quote"] = quote("the bridge was never closed")

    location, message = the_error(document)

    assert location == "letters[0].claims[0].quote.exact"
    assert message.startswith("not found in the text of source 'report'")


def test_a_quote_from_a_source_the_letter_does_not_cite_is_refused():
    document = valid_document()
    document["sources"].append(
        {"slug": "other-report", "title": "Another report", "text": SOURCE_TEXT}
    )
    first_claim(document)["quote"] = quote("the bridge was closed on Monday", source="other-report")

    assert the_error(document) == (
        "letters[0].claims[0].quote.source",
        "'other-report' is not one of this letter's sources",
    )


def test_a_quote_that_occurs_twice_without_context_is_refused_as_ambiguous():
    document = valid_document()
    first_claim(document)["quote"] = quote("the bridge was closed")

    location, message = the_error(document)

    assert location == "letters[0].claims[0].quote.exact"
    assert message.startswith("occurs more than once in source 'report'")


def test_a_repeated_quote_with_a_prefix_is_anchored_where_the_prefix_says():
    document = valid_document()
    first_claim(document)["quote"] = quote(
        "the bridge was closed", prefix="The ministry denied that "
    )

    imported(document)

    stored = Claim.objects.get(key="bridge-closed")
    assert stored.quote_start == SOURCE_TEXT.rindex("the bridge was closed")


# --- duplicates ----------------------------------------------------------------------


def test_two_actors_with_the_same_slug_are_refused():
    document = valid_document()
    document["actors"].append({"slug": "ministry", "name": "Another ministry", "kind": "office"})

    assert the_error(document) == ("actors[1].slug", "duplicate actor slug 'ministry'")


def test_two_letters_with_the_same_slug_are_refused():
    document = valid_document()
    document["letters"].append(letter())

    assert the_error(document) == ("letters[1].slug", "duplicate letter slug 'bridge-letter'")


def test_two_claims_with_the_same_key_in_one_letter_are_refused():
    document = valid_document()
    first_letter(document)["claims"].append(claim(quote=quote("asks for a hearing")))

    assert the_error(document) == (
        "letters[0].claims[1].key",
        "duplicate claim key 'bridge-closed' in this letter",
    )


def test_a_recipient_listed_twice_with_the_same_role_is_refused():
    document = valid_document()
    first_letter(document)["recipients"].append({"actor": "ministry"})  # the role defaults to "to"

    assert the_error(document) == (
        "letters[0].recipients[1].actor",
        "'ministry' is already a recipient with role 'to'",
    )


def test_two_actors_sharing_a_wikidata_identifier_are_refused_at_the_second():
    document = valid_document()
    document["actors"][0]["identifiers"] = [{"scheme": "wikidata", "value": "Q843"}]
    document["actors"].append(
        {
            "slug": "twin",
            "name": "Twin",
            "kind": "office",
            "identifiers": [{"scheme": "wikidata", "value": "Q843"}],
        }
    )

    location, _ = the_error(document)

    assert location == "actors[1].identifiers[0].value"


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2026-13-45", "yesterday"])
def test_a_date_that_is_not_edtf_is_refused(date):
    document = valid_document()
    first_letter(document)["date"] = date

    location, message = the_error(document)

    assert location == "letters[0].date"
    assert f"“{date}” is not a date in EDTF" in message


def test_an_inferred_date_without_a_note_is_refused():
    document = valid_document()
    first_letter(document)["date_inferred"] = True

    assert the_error(document) == ("letters[0].date_note", "say how the inferred date is known")


def test_a_month_date_imports_with_the_first_and_last_day_as_bounds():
    document = valid_document()
    first_letter(document).update(
        date="2026-02", date_inferred=True, date_note="Only the month is reported."
    )

    imported(document)

    stored = Letter.objects.get(slug="bridge-letter")
    assert (stored.date_earliest.isoformat(), stored.date_latest.isoformat()) == (
        "2026-02-01",
        "2026-02-28",
    )


# --- every status with its basis -------------------------------------------------------


@pytest.mark.parametrize(
    "responses", [[], [response(stance="acknowledges")]], ids=["no-response", "acknowledges"]
)
def test_disputed_without_an_opposing_response_is_refused_at_the_responses(responses):
    document = valid_document()
    first_claim(document).update(status="disputed", responses=responses)

    location, message = the_error(document)

    assert location == "letters[0].claims[0].responses"
    assert "rests on a party's response that rejects, denies or disputes the claim" in message


def test_disputed_with_a_denial_imports_the_claim_and_the_denial():
    document = valid_document()
    first_claim(document).update(status="disputed", responses=[response(stance="denies")])

    imported(document)

    stored = Claim.objects.get(key="bridge-closed")
    assert stored.status.slug == "disputed"
    assert list(stored.responses.values_list("actor__slug", "stance")) == [("ministry", "denies")]


REPORTED = "The ministry denied"  # words of the report that a status may rest on


def words(exact=REPORTED, source="report"):
    return {"source": source, "quote": exact}


def test_a_status_a_source_reports_imports_with_the_source_and_its_words():
    document = valid_document()
    first_claim(document).update(status="unverified", status_basis=words())

    imported(document)

    stored = Claim.objects.get(key="bridge-closed")
    assert (stored.status.slug, stored.status_source.slug, stored.status_quote) == (
        "unverified",
        "report",
        REPORTED,
    )


@pytest.mark.parametrize(
    "basis, location, gist",
    [
        (
            None,
            "letters[0].claims[0].status_basis",
            "rests on what a source reports: choose the source and copy its words",
        ),
        (
            words("the ministry could not verify it"),
            "letters[0].claims[0].status_basis",
            "These words are not in the text of",
        ),
        (words(""), "letters[0].claims[0].status_basis.quote", "must not be empty"),
        (
            words(source="elsewhere"),
            "letters[0].claims[0].status_basis.source",
            "unknown source 'elsewhere'",
        ),
        ({"source": "report"}, "letters[0].claims[0].status_basis.quote", "missing"),
    ],
    ids=["no-basis", "words-not-in-source", "empty-words", "unknown-source", "no-words"],
)
def test_a_status_a_source_reports_is_refused_without_that_sources_words(basis, location, gist):
    document = valid_document()
    first_claim(document).update(
        status="unverified", **({"status_basis": basis} if basis is not None else {})
    )

    errors = refused(document)

    assert any(error.startswith(f"{location}: ") and gist in error for error in errors), errors


@pytest.fixture
def reviewer(db):
    return get_user_model().objects.create_user(
        "ada", first_name="Ada", last_name="Reviewer", is_staff=True
    )


def supporting():
    return [{"relation": "supports", "quote": quote("asks for a hearing")}]


def test_the_editors_own_assessment_imports_with_its_reviewer_and_evidence(reviewer):
    document = valid_document()
    first_claim(document).update(status="corroborated", reviewed_by="ada", evidence=supporting())

    imported(document)

    stored = Claim.objects.get(key="bridge-closed")
    assert (stored.status.slug, stored.reviewed_by) == ("corroborated", reviewer)
    assert stored.history.first().reviewed_by == reviewer


@pytest.mark.parametrize(
    "fields, location, gist",
    [
        (
            {"evidence": supporting()},
            "letters[0].claims[0].reviewed_by",
            "needs the reviewing editor: give reviewed_by",
        ),
        (
            {"evidence": supporting(), "reviewed_by": "nobody"},
            "letters[0].claims[0].reviewed_by",
            "no editor 'nobody' in this archive",
        ),
        (
            {"reviewed_by": "ada"},
            "letters[0].claims[0].evidence",
            "at least one evidence row that supports or contradicts",
        ),
        (
            {
                "reviewed_by": "ada",
                "evidence": [{"relation": "context", "quote": quote("asks for a hearing")}],
            },
            "letters[0].claims[0].evidence",
            "at least one evidence row that supports or contradicts",
        ),
    ],
    ids=["no-reviewer", "unknown-reviewer", "no-evidence", "context-only"],
)
@pytest.mark.parametrize("status", ["corroborated", "contradicted"])
def test_the_editors_own_assessment_is_refused_without_its_reviewer_or_evidence(
    reviewer, status, fields, location, gist
):
    document = valid_document()
    first_claim(document).update(status=status, **fields)

    errors = refused(document)

    assert any(error.startswith(f"{location}: ") and gist in error for error in errors), errors


def test_an_unknown_reviewer_is_one_error_not_two(reviewer):
    document = valid_document()
    first_claim(document).update(status="corroborated", evidence=supporting(), reviewed_by="nobody")

    errors = [error for error in refused(document) if ".reviewed_by: " in error]

    assert errors == [
        "letters[0].claims[0].reviewed_by: no editor 'nobody' in this archive; "
        "create the editor first (manage.py create_editor)"
    ]


def test_not_checkable_is_refused_for_a_factual_claim():
    document = valid_document()
    first_claim(document).update(status="not-checkable", kind="factual")

    location, message = the_error(document)

    assert location == "letters[0].claims[0].status"
    assert (
        "is for the kinds no record could settle" in message
        and "this claim's kind is factual" in message
    )


@pytest.mark.parametrize("kind", ["characterisation", "prediction"])
def test_not_checkable_imports_for_the_kinds_no_record_could_settle(kind):
    document = valid_document()
    first_claim(document).update(status="not-checkable", kind=kind)

    imported(document)

    assert Claim.objects.get(key="bridge-closed").status.slug == "not-checkable"


def test_a_rating_on_a_status_that_is_not_the_editors_is_refused():
    document = valid_document()
    document["statuses"] = [
        {
            "slug": "said-false",
            "label": "Said to be false",
            "description": "d",
            "basis": "source",
            "rating_value": 1,
        }
    ]

    assert the_error(document) == (
        "statuses[0].rating_value",
        "a ClaimReview rating is only for the editors' own assessments (basis 'editors')",
    )


@pytest.mark.parametrize(
    "status, fields, location",
    [
        ("unassessed", {"status_basis": words()}, "letters[0].claims[0].status_basis"),
        (
            "not-checkable",
            {"kind": "prediction", "status_basis": words()},
            "letters[0].claims[0].status_basis",
        ),
        ("unassessed", {"reviewed_by": "ada"}, "letters[0].claims[0].reviewed_by"),
        (
            "unverified",
            {"status_basis": words(), "reviewed_by": "ada"},
            "letters[0].claims[0].reviewed_by",
        ),
    ],
    ids=["words-unassessed", "words-not-checkable", "reviewer-unassessed", "reviewer-unverified"],
)
def test_a_basis_the_status_does_not_use_is_refused_not_dropped(reviewer, status, fields, location):
    document = valid_document()
    first_claim(document).update(status=status, **fields)

    found, message = the_error(document)

    assert found == location
    assert message.startswith(f"status '{status}' ")


def test_every_claim_lacking_its_basis_is_reported_at_its_own_place(reviewer):
    document = valid_document()
    claims = first_letter(document)["claims"]
    claims[0].update(status="unverified")
    claims.append(claim("hearing-asked", quote=quote("asks for a hearing"), status="corroborated"))
    claims.append(claim("denial", quote=quote(REPORTED), status="not-checkable"))

    errors = refused(document)

    assert [error.split(": ", 1)[0] for error in errors] == [
        "letters[0].claims[0].status_basis",
        "letters[0].claims[1].reviewed_by",
        "letters[0].claims[1].evidence",
        "letters[0].claims[2].status",
    ]


# --- every error, and never half a file ----------------------------------------------


def test_every_error_in_a_file_is_reported_not_just_the_first():
    document = valid_document()
    document["actors"][0]["identifiers"] = [{"scheme": "wikidata", "value": "843"}]
    first_letter(document)["sender"] = "nobody"
    first_claim(document)["status"] = "bogus"
    first_letter(document)["requested_actions"][0]["quote"] = quote("asks for an inquiry")

    errors = refused(document)

    assert [error.split(": ", 1)[0] for error in errors] == [
        "actors[0].identifiers[0].value",
        "letters[0].sender",
        "letters[0].requested_actions[0].quote.exact",
        "letters[0].claims[0].status",
    ]


def test_an_invalid_last_claim_of_the_second_letter_stops_the_whole_file():
    document = valid_document()
    second = letter(
        "second-letter",
        claims=[
            claim("first-claim"),
            claim("last-claim", quote=quote("asks for a hearing"), status="bogus"),
        ],
    )
    document["letters"].append(second)

    [error] = refused(document)

    assert error.startswith("letters[1].claims[1].status: unknown status 'bogus'")
    assert not RequestedAction.objects.exists() and not Recipient.objects.exists()


def test_a_database_refusal_half_way_through_writing_leaves_nothing_behind(monkeypatch):
    # Everything checks out, then the database refuses the claims, after the actor, source,
    # letter, recipient and requested action were written: all of them must roll back.
    def refuse_claims(model, rows):
        if model is Claim:
            raise DatabaseError("simulated refusal")
        return insert(model, rows)

    monkeypatch.setattr(writer, "insert", refuse_claims)
    before = all_row_counts()

    errors = refused(valid_document())

    assert errors == ["$: the database refused the import, nothing was written (simulated refusal)"]
    assert all_row_counts() == before


# --- importing again -----------------------------------------------------------------


def all_row_counts():
    models = (
        Letter,
        Claim,
        Actor,
        Source,
        Response,
        Recipient,
        RequestedAction,
        ActorIdentifier,
        Evidence,
    )
    return {model.__name__: model.objects.count() for model in models}


def history_counts():
    return {
        model.__name__: model.history.count() for model in (Letter, Claim, Actor, Source, Response)
    }


def test_the_shipped_file_imports_both_letters_and_all_their_claims(shipped_letters):
    force_deferred_checks()

    assert Letter.objects.count() == 2
    assert Claim.objects.count() == 41
    assert Claim.objects.filter(status__slug="disputed").count() == 3
    assert Claim.objects.filter(status__slug="unverified").exclude(status_source=None).count() == 4


def test_importing_the_shipped_file_twice_changes_nothing(shipped_letters):
    rows, history = all_row_counts(), history_counts()

    report = import_file(SHIPPED_LETTERS)

    assert (report.created, report.updated) == ({}, {})
    assert report.unchanged > 0
    assert all_row_counts() == rows
    assert history_counts() == history


def test_reimporting_a_changed_statement_updates_that_claim_in_place():
    document = valid_document()
    first_letter(document)["claims"].append(
        claim("hearing-asked", quote=quote("asks for a hearing"))
    )
    imported(document, reason="First import")
    changed = Claim.objects.get(key="bridge-closed")
    other = Claim.objects.get(key="hearing-asked")
    other_history = other.history.count()

    first_claim(document)["statement"] = "the bridge was closed on Monday morning."
    report = imported(document, reason="Corrected the statement")

    assert (report.created, report.updated) == ({}, {"claims": 1})
    refreshed = Claim.objects.get(key="bridge-closed")
    assert refreshed.pk == changed.pk
    assert refreshed.statement == "the bridge was closed on Monday morning."
    latest = refreshed.history.latest("history_date")
    assert (latest.statement, latest.history_change_reason) == (
        refreshed.statement,
        "Corrected the statement",
    )
    assert refreshed.history.count() == 2
    assert other.history.count() == other_history
    assert Claim.objects.get(pk=other.pk).statement == other.statement


def test_reimporting_a_claim_with_another_status_dates_the_change_now():
    document = valid_document()
    imported(document, reason="First import")
    first_set = Claim.objects.get(key="bridge-closed").status_changed_at

    first_claim(document).update(status="disputed", responses=[response()])
    imported(document, reason="The ministry denied it")

    stored = Claim.objects.get(key="bridge-closed")
    assert stored.status.slug == "disputed"
    assert stored.status_changed_at > first_set
    assert stored.history.latest("history_date").history_change_reason == "The ministry denied it"


def test_a_status_the_file_says_when_was_set_keeps_that_time_and_imports_once():
    document = valid_document()
    first_claim(document).update(
        status="disputed", responses=[response()], status_set_at="2026-02-11T09:30:00+00:00"
    )
    imported(document)
    rows, history = all_row_counts(), history_counts()

    report = imported(document)

    stored = Claim.objects.get(key="bridge-closed")
    assert stored.status_changed_at.isoformat() == "2026-02-11T09:30:00+00:00"
    assert (report.created, report.updated) == ({}, {})
    assert (all_row_counts(), history_counts()) == (rows, history)


# --- the management command ----------------------------------------------------------


def test_the_command_refuses_a_bad_file_and_writes_every_error_to_stderr(tmp_path):
    document = valid_document()
    first_letter(document)["sender"] = "nobody"
    first_claim(document)["status"] = "bogus"
    path = write(tmp_path, document)
    stderr = io.StringIO()

    with pytest.raises(CommandError, match=r"2 error\(s\); nothing was imported"):
        call_command("import_letters", str(path), stderr=stderr, stdout=io.StringIO())

    lines = stderr.getvalue().splitlines()
    assert lines[0] == "letters[0].sender: unknown actor 'nobody'"
    assert lines[1].startswith("letters[0].claims[0].status: unknown status 'bogus'")
    assert len(lines) == 2
    assert row_counts() == {"Letter": 0, "Claim": 0, "Actor": 0, "Source": 0, "Response": 0}


def test_the_command_prints_a_summary_of_a_good_file(tmp_path):
    path = write(tmp_path, valid_document())
    stdout = io.StringIO()

    call_command("import_letters", str(path), stdout=stdout)

    assert stdout.getvalue().strip() == (
        f"{path}: created 1 actors, 1 claims, 1 letters, 1 recipients, 1 requested actions, 1 sources; "
        "updated nothing; 0 unchanged."
    )


def test_the_command_explains_a_path_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.json"
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_letters", str(path), stderr=stderr)

    assert stderr.getvalue().startswith(f"{path}: cannot be read (No such file or directory)")


def test_a_version_of_true_is_not_version_1():
    document = valid_document()
    document["version"] = True

    assert the_error(document) == ("version", "expected 1, got true")


# --- hostile files: big, or wrong everywhere --------------------------------------------


def test_a_file_with_ten_thousand_errors_stops_at_the_first_hundred_and_says_so(shipped_letters):
    document = valid_document()
    document["letters"] = [letter(slug=f"Not A Slug {index}") for index in range(10_000)]
    errors = refused(document)
    assert len(errors) == 101
    assert errors[-1] == "$: stopped after 100 errors; correct these and import again"
    assert errors[0].startswith("letters[0].slug")


def test_a_50_mb_file_is_refused_before_it_is_read_and_nothing_is_written(
    tmp_path, shipped_letters
):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.write(
            b'{"format": "missive-letters", "version": 1, "letters": [' + b" " * 50_000_000 + b"]}"
        )
    errors = refused_file(path)
    assert errors == [
        f"{path}: larger than the import limit of 25 MB; split it into several files or raise MISSIVE_IMPORT_MAX_MB"
    ]


def test_the_import_size_limit_is_a_setting(tmp_path, settings):
    settings.MISSIVE_IMPORT_MAX_MB = 1
    path = write(tmp_path, {**valid_document(), "padding": "x" * 1_000_001})
    assert "larger than the import limit of 1 MB" in refused_file(path)[0]


def test_a_reviewer_must_be_an_editor_not_any_account(db):
    get_user_model().objects.create_user(
        "reader"
    )  # may sign in to a private archive; reviews nothing
    document = valid_document()
    first_claim(document).update(status="corroborated", reviewed_by="reader", evidence=supporting())
    assert "letters[0].claims[0].reviewed_by: no editor 'reader' in this archive" in " ".join(
        refused(document)
    )


@pytest.mark.parametrize(
    "where, field, limit",
    [
        (first_claim, "statement", 20_000),
        (first_claim, "status_note", 20_000),
        (first_letter, "summary", 20_000),
        (lambda document: document["sources"][0], "text", 2_000_000),
    ],
    ids=["statement", "status_note", "summary", "source-text"],
)
def test_a_field_longer_than_its_limit_is_refused_naming_the_field(where, field, limit):
    document = valid_document()
    where(document)[field] = "word " * (limit // 5) + "x"

    errors = refused(document)  # a refused source also leaves its quotes unanchored: more errors

    location, message = errors[0].split(": ", 1)
    assert location.endswith(f".{field}")
    assert message == f"longer than {limit:,} characters ({limit + 1:,})"


def three_letters():
    document = valid_document()
    letter = first_letter(document)
    second, third = json.loads(json.dumps(letter)), json.loads(json.dumps(letter))
    second.update(slug="second-letter", title="Second letter", date="1840-04-01/1804-04-08")
    third.update(slug="third-letter", title="Third letter")
    document["letters"] += [second, third]
    return document


def test_by_default_one_bad_letter_refuses_the_whole_file():
    errors = refused(three_letters())
    assert errors and all(error.startswith("letters[1].") for error in errors)


def test_skipping_invalid_letters_imports_the_rest_and_says_which_were_left_out_and_why():
    report = import_document(three_letters(), skip_invalid=True)

    assert set(Letter.objects.values_list("slug", flat=True)) == {"bridge-letter", "third-letter"}
    [(letter, errors)] = report.refused
    assert letter == "letters[1] “Second letter”"
    assert errors and all(error.startswith("letters[1].date") for error in errors)


def test_skipping_invalid_letters_still_refuses_an_error_outside_every_letter():
    document = three_letters()
    document["sources"][0]["kind"] = "rumour"
    before = row_counts()
    with pytest.raises(ImportFailed):
        import_document(document, skip_invalid=True)
    assert row_counts() == before


def test_the_command_skips_invalid_letters_when_asked_and_lists_them(tmp_path):
    path = write(tmp_path, three_letters())
    out = io.StringIO()
    call_command("import_letters", str(path), "--skip-invalid", stdout=out)
    printed = out.getvalue()
    assert "1 letter(s) left out, each with its errors:" in printed
    assert "  letters[1] “Second letter”" in printed
    assert Letter.objects.count() == 2


def test_text_in_another_form_is_imported_in_the_archive_s_and_its_quotes_still_found():
    document = valid_document()
    # Windows line breaks in the source; the quote's accent decomposed, as some PDFs give it.
    document["sources"][0]["text"] = "Café news.\r\n" + SOURCE_TEXT
    first_letter(document)["requested_actions"][0]["quote"] = quote("news.\r\nThe sender")
    first_claim(document)["statement"] = "the bridge at the Cafe\u0301 was closed on Monday."

    imported(document)

    source = Source.objects.get(slug="report")
    action = RequestedAction.objects.get()
    assert source.text.startswith("Café news.\nThe sender")
    assert (action.quote_exact, action.quote_start, action.is_orphan) == (
        "news.\nThe sender",
        5,
        False,
    )
    assert Claim.objects.get().statement == "the bridge at the Café was closed on Monday."


def test_a_source_s_author_is_imported_and_exported_again():
    document = valid_document()
    document["sources"][0]["author"] = "Jane Reporter"

    imported(document)

    assert Source.objects.get(slug="report").author == "Jane Reporter"
    exported = io.StringIO()
    write_archive(exported)
    assert json.loads(exported.getvalue())["sources"][0]["author"] == "Jane Reporter"
