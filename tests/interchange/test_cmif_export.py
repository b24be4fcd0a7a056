"""/letters/cmif.xml: CMIF 1.1, parsed with lxml and checked element by element."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from archive.models import Actor, ActorIdentifier, Letter, Recipient

from ..factory import build_archive

pytestmark = pytest.mark.django_db

URL = reverse("archive:letter-cmif")
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def fetch(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


def one(tree, path):
    (found,) = tree.xpath(path, namespaces=NS)
    return found


def letter_entry(tree, letter):
    return one(tree, f"//tei:correspDesc[@ref='http://testserver{letter.get_absolute_url()}']")


def test_the_mandatory_header(client, shipped_letters):
    tree = fetch(client)
    assert tree.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert (
        one(tree, "/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title/text()")
        == "Missive: letters"
    )
    assert one(tree, "//tei:titleStmt/tei:editor/text()") == "The Missive editors"
    assert one(tree, "//tei:publicationStmt/tei:publisher/tei:ref/text()") == "Missive"
    assert (
        one(tree, "//tei:publicationStmt/tei:idno[@type='url']/text()")
        == "http://testserver/letters/cmif.xml"
    )
    when = datetime.datetime.fromisoformat(one(tree, "//tei:publicationStmt/tei:date/@when"))
    assert when.tzinfo is not None and when <= datetime.datetime.now(datetime.UTC)
    licence = one(tree, "//tei:publicationStmt/tei:availability/tei:licence")
    assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"
    assert (
        licence.text
        == "This file is licensed under the terms of the Creative Commons License CC-BY 4.0"
    )
    bibl = one(tree, "//tei:sourceDesc/tei:bibl")
    assert bibl.get("type") == "online"
    assert str(uuid.UUID(bibl.get(XML_ID))) == bibl.get(XML_ID)


def test_the_date_is_when_the_letters_last_changed(client, shipped_letters):
    latest = Letter.history.latest("history_date").history_date
    letter = Letter.objects.first()
    letter.title += " (corrected)"
    letter.save()
    changed = Letter.history.latest("history_date").history_date
    assert changed > latest
    assert datetime.datetime.fromisoformat(
        one(fetch(client), "//tei:publicationStmt/tei:date/@when")
    ) == changed.replace(microsecond=0)


def test_the_bibl_id_is_a_stable_xml_name(client, shipped_letters):
    first = one(fetch(client), "//tei:bibl/@xml:id")
    assert first == one(fetch(client), "//tei:bibl/@xml:id")
    assert first[0].isalpha()  # an xml:id cannot begin with a digit


def test_every_letter_has_a_correspdesc_that_points_to_the_bibl(client, shipped_letters):
    tree = fetch(client)
    bibl_id = one(tree, "//tei:bibl/@xml:id")
    entries = tree.xpath("//tei:profileDesc/tei:correspDesc", namespaces=NS)
    assert len(entries) == Letter.objects.count() == 2
    for entry in entries:
        assert entry.get("source") == f"#{bibl_id}"
        assert entry.xpath("tei:correspAction[@type='sent']", namespaces=NS)
        assert entry.xpath("tei:correspAction[@type='received']", namespaces=NS)
        for date in entry.xpath(".//tei:date", namespaces=NS):
            # A day an index can read: the TEI SIG's and correspSearch's checks require one.
            assert {"when", "notBefore", "notAfter", "from", "to"} & set(date.keys())


def test_the_nato_letter(client, shipped_letters):
    entry = letter_entry(fetch(client), Letter.objects.get(slug="balochistan-to-nato-2026-01-04"))
    sent = one(entry, "tei:correspAction[@type='sent']")
    assert [name.text for name in sent.xpath("tei:orgName", namespaces=NS)] == [
        "“Republic of Balochistan” (self-declared)"
    ]
    assert [name.text for name in sent.xpath("tei:persName", namespaces=NS)] == ["Mir Yar Baloch"]
    assert one(sent, "tei:date").attrib == {"when": "2026-01-04"}
    to = one(entry, "tei:correspAction[@type='received'][not(@subtype)]")
    assert "Governments of the NATO member states" in [name.text for name in to]
    cc = one(entry, "tei:correspAction[@type='received'][@subtype='cc']")
    assert [name.text for name in cc] == ["Foreign ministries of the 32 NATO member states"]


def test_the_letter_whose_year_is_unknown(client, shipped_letters):
    entry = letter_entry(
        fetch(client), Letter.objects.get(slug="balochistan-to-unsc-p5-un-oic-02-11")
    )
    sent = one(entry, "tei:correspAction[@type='sent']")
    # No day, bound or year an index could read as stated: no `date`, the words alone.
    assert sent.xpath("tei:date", namespaces=NS) == []
    assert one(sent, "tei:note").text == "11 February, year unknown"
    to = one(entry, "tei:correspAction[@type='received'][not(@subtype)]")
    refs = {name.text: name.get("ref") for name in to}
    # Only Wikidata records are shipped, and correspSearch supports none: no ref, the name alone.
    assert refs["United States"] is None
    assert refs["China"] is None
    assert refs["UN Secretary-General"] is None


@pytest.mark.parametrize(
    "edtf, inferred, expected, words",
    [
        ("2025-11", False, {"when": "2025-11"}, None),
        ("1948", False, {"when": "1948"}, None),
        (
            "1947/1948",
            False,
            {"notBefore": "1947-01-01", "notAfter": "1948-12-31"},
            "between 1947 and 1948",
        ),
        # An approximate date's bounds widen by the edtf package's fuzz: a year, a month and a day.
        (
            "2026-03-01~",
            False,
            {"notBefore": "2025-01-31", "notAfter": "2027-04-02", "cert": "low"},
            "about 1 March 2026",
        ),
        (
            "2026?-02-11",
            False,
            {"notBefore": "2025-02-11", "notAfter": "2027-02-11", "cert": "low"},
            "11 February 2026 (year uncertain)",
        ),
        (
            "2026?-02-11",
            True,
            {"notBefore": "2025-02-11", "notAfter": "2027-02-11", "cert": "low"},
            "11 February, year inferred as 2026",
        ),
        # An inferred day is no `when`: an index reading `when` alone would take it as stated.
        # No checker allows @evidence: the words say the date was inferred.
        (
            "2026-03-01",
            True,
            {"notBefore": "2026-03-01", "notAfter": "2026-03-01"},
            "1 March 2026 (inferred)",
        ),
        ("XXXX-02-11", False, None, "11 February, year unknown"),
        ("XXXX-02", False, None, "February, year unknown"),
    ],
)
def test_dates(client, letter, edtf, inferred, expected, words):
    letter.date_edtf, letter.date_inferred, letter.date_note = (
        edtf,
        inferred,
        "An editor's reading.",
    )
    letter.save()
    sent = one(letter_entry(fetch(client), letter), "tei:correspAction[@type='sent']")
    dates = sent.xpath("tei:date", namespaces=NS)
    assert [date.attrib for date in dates] == ([expected] if expected else [])
    assert all(date.text is None for date in dates)  # the TEI SIG's schema has `date` empty
    # Every date but a plain one has its words beside it, which keep what @cert says.
    assert [note.text for note in sent.xpath("tei:note", namespaces=NS)] == (
        [words] if words else []
    )


def test_people_are_persname_bodies_orgname_and_one_authority_uri_each(client, letter):
    person = Actor.objects.create(name="Ada Writer", slug="ada", kind=Actor.Kind.PERSON)
    ActorIdentifier.objects.create(actor=person, scheme="wikidata", value="Q7259")
    ActorIdentifier.objects.create(actor=person, scheme="viaf", value="47566322")
    ActorIdentifier.objects.create(actor=person, scheme="gnd", value="118500775")
    viaf = Actor.objects.create(name="A Writer", slug="writer", kind=Actor.Kind.PERSON)
    ActorIdentifier.objects.create(actor=viaf, scheme="wikidata", value="Q42")
    ActorIdentifier.objects.create(actor=viaf, scheme="viaf", value="113230702")
    state = Actor.objects.create(name="A State", slug="state", kind=Actor.Kind.ORGANISATION)
    ActorIdentifier.objects.create(actor=state, scheme="wikidata", value="Q30")
    body = Actor.objects.create(name="A Ministry", slug="ministry", kind=Actor.Kind.ORGANISATION)
    for actor in (person, viaf, state, body):
        Recipient.objects.create(letter=letter, actor=actor, role="to")
    to = one(letter_entry(fetch(client), letter), "tei:correspAction[@type='received']")
    # GND, then VIAF; a Wikidata URI alone is no ref, as correspSearch supports none.
    assert [(name.tag.split("}")[1], name.text, name.get("ref")) for name in to] == [
        ("persName", "Ada Writer", "http://d-nb.info/gnd/118500775"),
        ("persName", "A Writer", "http://viaf.org/viaf/113230702"),
        ("orgName", "A State", None),
        ("orgName", "A Ministry", None),
    ]


def test_a_letter_without_named_recipients_says_unknown(client, letter):
    entry = letter_entry(fetch(client), letter)
    assert [name.text for name in one(entry, "tei:correspAction[@type='received']")] == ["Unknown"]


def test_markup_in_names_is_text(client, letter):
    letter.sender.name = "<b>Sender</b> & Co"
    letter.sender.save()
    entry = letter_entry(fetch(client), letter)
    assert one(entry, "tei:correspAction[@type='sent']/*[1]").text == "<b>Sender</b> & Co"


@override_settings(
    MISSIVE_LICENCE="CC0-1.0", MISSIVE_EDITOR="Ada Editor", MISSIVE_EDITOR_EMAIL="ada@example.org"
)
def test_the_licence_and_editor_come_from_the_settings(client, letter):
    tree = fetch(client)
    assert (
        one(tree, "//tei:licence/@target") == "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert one(tree, "//tei:editor/text()") == "Ada Editor"
    assert one(tree, "//tei:editor/tei:email/text()") == "ada@example.org"


@override_settings(MISSIVE_PUBLIC_URL="https://missive.example.org")
def test_the_addresses_are_the_public_url_whatever_host_served_the_request(client, letter):
    tree = fetch(client)
    assert (
        one(tree, "//tei:publicationStmt/tei:idno[@type='url']/text()")
        == "https://missive.example.org/letters/cmif.xml"
    )
    assert one(tree, "//tei:correspDesc/@ref") == (
        f"https://missive.example.org{letter.get_absolute_url()}"
    )


def test_without_an_editor_email_the_editor_is_a_name(client, letter):
    assert one(fetch(client), "//tei:editor").getchildren() == []


def queries_for_the_file(client):
    with CaptureQueriesContext(connection) as queries:
        fetch(client)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_letters(client):
    archive = build_archive(6)  # three letters, eight actors with identifiers, to and cc recipients
    three = queries_for_the_file(client)
    for number in range(10):
        letter = Letter.objects.create(
            title=f"More {number}",
            slug=f"more-{number}",
            date_edtf=f"2024-05-0{number % 9 + 1}",
            sender=archive.actors["signer"],
            signatory=archive.actors["person-e"],
            summary="More.",
        )
        Recipient.objects.create(letter=letter, actor=archive.actors["state-a"], role="to")
        Recipient.objects.create(letter=letter, actor=archive.actors["un-sg"], role="cc")
    assert queries_for_the_file(client) == three <= 10


def test_characters_xml_cannot_carry_are_left_out(client, letter):
    letter.sender.name = "A sender\x0b with a vertical tab"
    letter.sender.save()
    entry = letter_entry(fetch(client), letter)
    assert one(entry, "tei:correspAction[@type='sent']/*[1]").text == "A sender with a vertical tab"


@pytest.mark.parametrize("edtf", ["2026-XX", "2026-01-XX", "2026-21"])
def test_dates_cmif_cannot_write_as_when_become_a_range(client, letter, edtf):
    letter.date_edtf = edtf
    letter.save()
    attributes = one(letter_entry(fetch(client), letter), ".//tei:date").attrib
    assert "when" not in attributes
    assert set(attributes) >= {"notBefore", "notAfter"}
