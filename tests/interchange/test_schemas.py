"""The published JSON Schemas: current, valid, and what the shipped letters and every export obey."""

import io
import json
import pathlib

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from interchange.archive_export import write_archive
from interchange.schemas import EXPORT_SCHEMA, LETTERS_SCHEMA, SCHEMAS
from tests.conftest import SHIPPED_LETTERS

PUBLISHED = pathlib.Path(__file__).resolve().parents[2] / "docs" / "schemas"


def validator(name):
    schema = json.loads((PUBLISHED / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(name, document):
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_published_schema_is_the_one_the_code_builds_and_is_valid(name):
    published = json.loads((PUBLISHED / name).read_text(encoding="utf-8"))
    assert published == SCHEMAS[name](), f"run `manage.py write_schemas`: {name} is out of date"
    Draft202012Validator.check_schema(published)


def test_the_shipped_letters_obey_the_letters_schema():
    document = json.loads(pathlib.Path(SHIPPED_LETTERS).read_text(encoding="utf-8"))
    assert problems(LETTERS_SCHEMA, document) == []


def test_a_whole_archive_export_obeys_the_letters_schema(shipped_letters):
    out = io.StringIO()
    write_archive(out)
    assert problems(LETTERS_SCHEMA, json.loads(out.getvalue())) == []


@pytest.mark.parametrize(
    "query", ["", "?status=disputed", "?q=Pakistan", "?about=iran&sort=oldest", "?status=bogus-x"]
)
def test_every_claims_export_obeys_the_export_schema(client, shipped_letters, query):
    response = client.get("/claims/export.json" + query)
    if response.status_code == 400:  # a refused query is an error document, not an export
        assert "errors" in json.loads(response.content)
        return
    document = json.loads(b"".join(response.streaming_content))
    assert document["claims"] or query
    assert problems(EXPORT_SCHEMA, document) == []


@pytest.mark.parametrize(
    "change, place",
    [
        (lambda d: d["letters"][0].update(colour="blue"), "letters/0"),
        (lambda d: d["letters"][0]["claims"][0].update(kind="rumour"), "letters/0/claims/0/kind"),
        (lambda d: d["actors"][0].update(slug="not a slug"), "actors/0/slug"),
        (lambda d: d.update(version=2), "version"),
    ],
    ids=["unknown-field", "unknown-kind", "bad-slug", "other-version"],
)
def test_the_letters_schema_refuses_what_the_importer_refuses(change, place):
    document = json.loads(pathlib.Path(SHIPPED_LETTERS).read_text(encoding="utf-8"))
    change(document)
    assert [problem for problem in problems(LETTERS_SCHEMA, document) if problem.startswith(place)]
