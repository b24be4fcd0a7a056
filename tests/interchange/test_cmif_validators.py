"""/letters/cmif.xml passes the checks correspSearch and the TEI correspondence SIG publish.

Their RELAX NG schemas run in lxml. Their Schematron files bind XSLT 2.0 (`matches()`,
a function as a path step), which lxml's isoschematron cannot run, so `schematron_errors`
runs them with elementpath's XPath 2.0: it does the part of ISO Schematron these two files
use (schema-level `let`, `pattern`, `rule`, `assert`, `report`) and refuses anything else.
The files, their sources and commits are in cmif_schemas/README.md.
"""

from copy import copy
from pathlib import Path

import elementpath
import pytest
from django.test import override_settings
from django.urls import reverse
from lxml import etree

from archive.models import Actor, ActorIdentifier, Recipient

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "cmif_schemas"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
RNG = ["tei-sig-cmi-customization.rng", "correspsearch-cmi-customization.rng"]
SCHEMATRON = ["tei-sig-cmif.sch", "correspsearch-cmif.sch"]
KNOWN = {f"{SCH}{tag}" for tag in ("schema", "title", "ns", "let", "pattern", "rule")}


def relaxng_errors(schema, document):
    relaxng = etree.RelaxNG(etree.parse(SCHEMAS / schema))
    if relaxng.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in relaxng.error_log]


def rule_context(context):
    """An XSLT match pattern as the XPath that selects what it matches anywhere in a document."""
    return " | ".join(f"//{alternative.strip()}" for alternative in context.split("|"))


def schematron_errors(schema, document):
    """Every failed `assert` and fired `report`, with its role and where; [] when none.

    As ISO Schematron has it, a node is checked by the first rule of a pattern that matches
    it, and by no later rule of that pattern.
    """
    sch = etree.parse(SCHEMAS / schema).getroot()
    assert sch.get("queryBinding") in {"xslt2", "xpath2"}, sch.get("queryBinding")
    for element in sch.iter(etree.Element):
        parent = element.getparent()
        if element.tag in {f"{SCH}assert", f"{SCH}report"}:
            assert parent.tag == f"{SCH}rule", f"{schema}: an {element.tag} outside a rule"
        elif element.tag == f"{SCH}let":
            assert parent is sch, f"{schema}: only schema-level let is supported"
        else:
            assert element.tag in KNOWN, f"{schema}: {element.tag} is not supported here"
        assert not element.get("abstract") and not element.get("is-a"), element.tag
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in sch.iterfind(f"{SCH}ns")}
    lets = sch.findall(f"{SCH}let")
    parser = elementpath.XPath2Parser(
        namespaces=namespaces,
        variable_types=dict.fromkeys((let.get("name") for let in lets), "item()*"),
    )
    context = elementpath.XPathContext(document)
    for let in lets:
        context.variables[let.get("name")] = parser.parse(let.get("value")).evaluate(copy(context))
    found = []
    for pattern in sch.iterfind(f"{SCH}pattern"):
        checked = set()
        for rule in pattern.iterfind(f"{SCH}rule"):
            for node in parser.parse(rule_context(rule.get("context"))).select(copy(context)):
                if node in checked:
                    continue
                checked.add(node)
                element = node if node.node_kind == "element" else node.parent
                for test in rule.iterfind(f"{SCH}*"):
                    if test.tag not in {f"{SCH}assert", f"{SCH}report"}:
                        continue
                    on_node = copy(context)  # evaluating moves a context's item: one each
                    on_node.item = node
                    holds = parser.parse(f"boolean({test.get('test')})").evaluate(on_node)
                    if holds == (test.tag == f"{SCH}report"):
                        message = " ".join("".join(test.itertext()).split())
                        role = f" ({test.get('role')})" if test.get("role") else ""
                        found.append(f"line {element.obj.sourceline}{role}: {message}")
    return found


def cmif(client):
    response = client.get(reverse("archive:letter-cmif"))
    assert response.status_code == 200
    return etree.fromstring(response.content).getroottree()


def all_errors(document):
    return {
        **{schema: relaxng_errors(schema, document) for schema in RNG},
        **{schema: schematron_errors(schema, document) for schema in SCHEMATRON},
    }


def a_letter_of_every_kind(letter):
    """An uncertain, inferred date; people and bodies with and without authority records."""
    letter.date_edtf, letter.date_inferred, letter.date_note = "2026?-02-11", True, "A reading."
    letter.save()
    ActorIdentifier.objects.create(actor=letter.sender, scheme="wikidata", value="Q7259")
    with_gnd = Actor.objects.create(name="Ada Writer", slug="ada", kind=Actor.Kind.PERSON)
    ActorIdentifier.objects.create(actor=with_gnd, scheme="gnd", value="118500775")
    ActorIdentifier.objects.create(actor=with_gnd, scheme="wikidata", value="Q7258")
    with_viaf = Actor.objects.create(name="A Body", slug="body", kind=Actor.Kind.ORGANISATION)
    ActorIdentifier.objects.create(actor=with_viaf, scheme="viaf", value="47566322")
    wikidata_only = Actor.objects.create(name="A State", slug="state", kind=Actor.Kind.ORGANISATION)
    ActorIdentifier.objects.create(actor=wikidata_only, scheme="wikidata", value="Q30")
    Recipient.objects.create(letter=letter, actor=with_gnd, role="to")
    Recipient.objects.create(letter=letter, actor=wikidata_only, role="to")
    Recipient.objects.create(letter=letter, actor=with_viaf, role="cc")


def assert_valid(document):
    errors = all_errors(document)
    assert errors == dict.fromkeys(errors, []), "\n".join(
        f"{schema}: {message}" for schema, messages in errors.items() for message in messages
    )


@pytest.mark.parametrize("schema", RNG + SCHEMATRON)
def test_the_shipped_letters_pass(client, shipped_letters, schema):
    document = cmif(client)
    errors = all_errors(document)[schema]
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("schema", RNG + SCHEMATRON)
def test_uncertain_dates_and_every_kind_of_name_pass(client, letter, schema):
    a_letter_of_every_kind(letter)
    errors = all_errors(cmif(client))[schema]
    assert errors == [], "\n".join(errors)


@override_settings(MISSIVE_EDITOR_EMAIL="editors@example.org")
def test_the_file_with_an_editor_email_passes(client, shipped_letters):
    assert_valid(cmif(client))


def test_the_validators_reject_what_correspsearch_rejects(client, letter):
    """The checks can fail: the same file with a Wikidata ref, an `@evidence` and no date bound."""
    a_letter_of_every_kind(letter)
    document = cmif(client)
    tei = "{http://www.tei-c.org/ns/1.0}"
    name = document.find(f".//{tei}correspAction/{tei}persName")
    name.set("ref", "http://www.wikidata.org/entity/Q7259")
    date = document.find(f".//{tei}correspAction/{tei}date")
    date.set("evidence", "conjecture")
    for bound in ("when", "notBefore", "notAfter"):
        date.attrib.pop(bound, None)
    errors = all_errors(document)
    assert any("evidence" in error for error in errors["correspsearch-cmi-customization.rng"])
    assert any("[E0004]" in error for error in errors["tei-sig-cmif.sch"])
    assert any("[E0004]" in error for error in errors["correspsearch-cmif.sch"])
    assert any("authority file" in error for error in errors["correspsearch-cmif.sch"])
