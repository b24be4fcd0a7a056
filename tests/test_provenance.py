"""The archive's promise, checked on everything it publishes: nothing in its own voice.

Every page type and every export of the shipped archive is rendered; the test fails on
a status shown without whose it is, a ClaimReview the editors did not make, a claim
not attributed to its letter, or a full date for the letter whose year no source states.
"""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.models import Actor, Letter, Source
from claims.models import Claim, Evidence, VerificationStatus

YEAR_UNKNOWN_SLUG = "balochistan-to-unsc-p5-un-oic-02-11"
# The 11 February letter's day written with any year, in ISO form or in words.
A_YEAR_FOR_11_FEBRUARY = re.compile(
    r"\b\d{4}-02-11\b|\b11 February,? \d{4}\b|\bFebruary 11,? \d{4}\b"
)
BADGE = re.compile(r'<span class="status status-[^"]+">([^<]+)</span>(.{0,60})', re.S)
# What follows a status's label to say whose it is (claims.basis.phrase).
BASIS_FOLLOWS = (", according to “", ": ")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def public_urls():
    """Every page type of the archive, for every letter, claim and actor, and every export."""
    urls = [
        "/",
        "/letters/",
        "/letters/?sort=oldest",
        "/claims/",
        "/claims/?sort=status",
        "/claims/?q=Pakistan",
        "/actors/",
        "/statuses/",
        "/changes/",
        "/changes/feed/",
        "/letters/cmif.xml",
        "/claims/export.csv",
        "/claims/export.json",
    ]
    for letter in Letter.objects.all():
        urls += [
            letter.get_absolute_url(),
            f"{letter.get_absolute_url()}?as_of={timezone.localdate().isoformat()}",
        ]
    for claim in Claim.objects.all():
        urls += [
            claim.get_absolute_url(),
            f"{claim.get_absolute_url()}?as_of={timezone.localdate().isoformat()}",
            reverse("claims:claim-annotation", args=[claim.pk]),
        ]
    urls += [actor.get_absolute_url() for actor in Actor.objects.all()]
    urls += [reverse("archive:source-text", args=[source.slug]) for source in Source.objects.all()]
    return urls


@pytest.fixture
def published(client, shipped_letters):
    """{url: body} of everything the shipped archive publishes."""
    bodies = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    # utf-8-sig: the CSV export starts with a byte-order mark, for spreadsheets.
    return {url: body.decode("utf-8-sig") for url, body in bodies.items()}


def test_no_output_gives_the_11_february_letter_a_year(published):
    found = {url: A_YEAR_FOR_11_FEBRUARY.findall(body) for url, body in published.items()}
    assert {url: dates for url, dates in found.items() if dates} == {}


def test_every_status_a_page_shows_says_whose_it_is(published):
    bare = []
    for url, body in published.items():
        if url.startswith("/statuses/"):  # the vocabulary itself, status by status with its basis
            continue
        for label, after in BADGE.findall(body):
            if not after.startswith(BASIS_FOLLOWS):
                bare.append((url, label, after[:30]))
    assert bare == []
    shown = sum(len(BADGE.findall(body)) for body in published.values())
    assert shown > 100  # the check saw the statuses of every list and claim page


def test_no_page_embeds_a_claimreview_for_a_status_the_editors_did_not_assess(published):
    reviews = [
        (url, block)
        for url, body in published.items()
        for block in JSON_LD.findall(body)
        if json.loads(block).get("@type") == "ClaimReview"
    ]
    assert not Claim.objects.filter(status__basis=VerificationStatus.Basis.EDITORS).exists()
    assert reviews == []


def test_every_claim_is_attributed_to_its_sender_wherever_it_is_shown(published):
    for claim in Claim.objects.select_related("letter__sender"):
        page = published[claim.get_absolute_url()]
        assert f"<h1>The letter from {escape(claim.letter.sender.name)} claims that" in page
        annotation = json.loads(published[reverse("claims:claim-annotation", args=[claim.pk])])
        describing, assessing = annotation["body"][0], annotation["body"][1]
        assert describing["value"] == claim.attributed_statement
        assert assessing["value"].startswith(claim.status.label + BASIS_FOLLOWS[0]) or assessing[
            "value"
        ].startswith(claim.status.label + BASIS_FOLLOWS[1])


def escape(text):
    from django.utils.html import escape as html_escape

    return html_escape(text)


def test_the_exports_lead_with_the_attribution_and_carry_each_status_with_its_basis(published):
    rows = list(csv.DictReader(io.StringIO(published["/claims/export.csv"])))
    header = published["/claims/export.csv"].splitlines()[0].split(",")
    assert header[0] == "attributed_statement"
    assert len(rows) == Claim.objects.count() == 41
    for row in rows:
        assert row["attributed_statement"].startswith("The letter from ")
        assert row["status_with_basis"].startswith(row["status_label"])
        assert row["status_with_basis"] != row["status_label"]
    data = json.loads(published["/claims/export.json"])
    assert [claim["status_with_basis"] for claim in data["claims"]] == [
        row["status_with_basis"] for row in rows
    ]
    unverified = [claim for claim in data["claims"] if claim["status"] == "unverified"]
    assert {claim["status_quote"] for claim in unverified} == {
        "These claims could not be independently verified."
    }
    letters = {letter["slug"]: letter for letter in data["letters"]}
    assert sum(len(letter["requested_actions"]) for letter in letters.values()) == 17
    nato = letters["balochistan-to-nato-2026-01-04"]
    assert {(response["party"], response["stance"]) for response in nato["responses"]} == {
        ("NATO", "no-public-response"),
        ("Pakistan", "no-public-response"),
        ("Iran", "no-public-response"),
    }
    assert letters[YEAR_UNKNOWN_SLUG]["date"] == "11 February, year unknown"


def test_cmif_gives_the_letter_of_unknown_year_no_day_an_index_could_read(published):
    tree = etree.fromstring(published["/letters/cmif.xml"].encode())
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    (entry,) = [
        e
        for e in tree.iterfind(".//tei:correspDesc", ns)
        if e.get("ref").endswith(f"/{YEAR_UNKNOWN_SLUG}/")
    ]
    # No <date> (CMIF's needs a day an index can read, and no source gives the year), only its words.
    assert list(entry.iterfind(".//tei:date", ns)) == []
    (note,) = entry.iterfind(".//tei:correspAction/tei:note", ns)
    assert note.text == "11 February, year unknown"


@pytest.fixture
def assessed(make_claim, source):
    """A claim the editors corroborated themselves: their evidence, their name."""
    editor = get_user_model().objects.create_user(
        "reviewer-login", first_name="Ada", last_name="Reviewer"
    )
    claim = make_claim(status_slug="corroborated", reviewed_by=editor)
    Evidence.objects.create(
        claim=claim,
        relation=Evidence.Relation.SUPPORTS,
        source=source,
        quote_exact="Officials denied it.",
        note="The officials' denial.",
    )
    return claim


def test_only_the_editors_own_assessment_is_published_as_a_claimreview(client, assessed, settings):
    settings.MISSIVE_PUBLISHER, settings.MISSIVE_PUBLISHER_URL = (
        "The Example Desk",
        "https://desk.example/",
    )
    page = client.get(assessed.get_absolute_url()).content.decode()
    (review,) = [json.loads(block) for block in JSON_LD.findall(page)]
    assert review["@type"] == "ClaimReview"
    assert review["author"] == {
        "@type": "Organization",
        "name": "The Example Desk",
        "url": "https://desk.example/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Corroborated",
    }  # no number nobody chose
    assert "reviewed by Ada Reviewer" in review["reviewBody"]
    assert "Supports: “Officials denied it.”" in review["reviewBody"]
    assert "reviewer-login" not in page  # the reviewer's name is published, never the login


@pytest.mark.parametrize("slug", ["unassessed", "unverified", "disputed", "not-checkable"])
def test_no_other_status_is_published_as_a_claimreview(client, make_claim, source, actor, slug):
    claim = make_claim(status_slug="unassessed", kind=Claim.Kind.CHARACTERISATION)
    if slug == "disputed":
        claim.responses.create(
            actor=actor, stance="denies", source=source, quote_exact="Officials denied it."
        )
    claim.status = VerificationStatus.objects.get(slug=slug)
    claim.status_source, claim.status_quote = (
        source,
        "Officials denied it.",
    )  # kept only where the status needs them
    claim.save()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert JSON_LD.findall(page) == []
    assert "No ClaimReview" in page


def test_a_citation_of_the_letter_of_unknown_year_says_so(published):
    letter = Letter.objects.get(slug=YEAR_UNKNOWN_SLUG)
    for url in (
        letter.get_absolute_url(),
        Claim.objects.filter(letter=letter).first().get_absolute_url(),
    ):
        assert f"{escape(letter.title)} (11 February, year unknown)" in published[url]
