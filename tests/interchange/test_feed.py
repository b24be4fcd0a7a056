"""The Atom feed of changes follows RFC 4287: absolute, permanent ids and an author for the feed."""

from urllib.parse import urlsplit

import pytest
from lxml import etree

ATOM = {"atom": "http://www.w3.org/2005/Atom"}

pytestmark = pytest.mark.django_db


def feed(client):
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    return etree.fromstring(response.content)


def is_absolute_iri(value):
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def test_every_atom_id_is_an_absolute_iri(client, shipped_letters):
    document = feed(client)
    ids = document.xpath("/atom:feed/atom:id/text() | //atom:entry/atom:id/text()", namespaces=ATOM)
    assert len(ids) > 1
    assert all(is_absolute_iri(value) for value in ids), [v for v in ids if not is_absolute_iri(v)]
    entry_ids = document.xpath("//atom:entry/atom:id/text()", namespaces=ATOM)
    assert len(set(entry_ids)) == len(entry_ids)


def test_entry_ids_stand_on_the_configured_public_address_whatever_host_was_asked(
    client, settings, shipped_letters
):
    settings.MISSIVE_PUBLIC_URL = "https://missive.example"
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    first = feed(client).xpath("//atom:entry/atom:id/text()", namespaces=ATOM)
    second = etree.fromstring(client.get("/changes/feed/", HTTP_HOST="mirror.example").content)
    assert first == second.xpath("//atom:entry/atom:id/text()", namespaces=ATOM)
    assert all(value.startswith("https://missive.example/changes/#") for value in first)


def test_the_feed_names_its_author_the_editors(client, settings, shipped_letters):
    settings.MISSIVE_EDITOR = "The Missive editors"
    document = feed(client)
    assert document.xpath("/atom:feed/atom:author/atom:name/text()", namespaces=ATOM) == [
        "The Missive editors"
    ]
