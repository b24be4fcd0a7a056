"""The letters as CMIF (Correspondence Metadata Interchange Format), as correspSearch harvests them.

One TEI file: a header saying who publishes the list and under which licence, one
`bibl` for the archive the letters are described in (pointed to by every letter's
`source`), and one `correspDesc` per letter with its `sent` and `received` actions.
CMIF has no "copied to": copied-to recipients are `received` with `subtype="cc"`, as
the TEI correspondence SIG's own examples do.

The file passes the TEI SIG's and correspSearch's schemas and Schematron checks
(tests/interchange/cmif_schemas/). So a name's `ref` is one authority URI correspSearch
supports (GND, then VIAF), or none: a Wikidata URI alone is left out. A `date` is empty
and has at least one of `when`, `notBefore`, `notAfter`: `when` for a day, month or year
stated plainly; otherwise the earliest and latest possible day (an uncertain part widens
them, so no index reads one day), with `cert="low"` for an uncertain EDTF date. Neither
checker allows `@evidence`, and correspSearch drops `@cert`, so every date but a plain
one also has its words in a `note` beside it ("11 February, year inferred as 2026").
A date whose year no source states has no bounds to give: it is the note alone.
"""

import re
import uuid

from django.conf import settings
from django.db.models import Max, Prefetch
from django.urls import reverse
from lxml import etree

from archive.dates import year_unknown
from archive.models import Actor, ActorIdentifier, Letter, Recipient

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
LICENCES = {
    "CC-BY-4.0": (
        "https://creativecommons.org/licenses/by/4.0/",
        "This file is licensed under the terms of the Creative Commons License CC-BY 4.0",
    ),
    "CC0-1.0": (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "This file is dedicated to the public domain under Creative Commons CC0 1.0",
    ),
}
UNCERTAIN_MARKS = ("?", "~", "%")  # EDTF's uncertain, approximate, and both
# One authority URI per name, the one correspSearch knows best first (it grew out of the GND).
# correspSearch's check accepts only VIAF, GND, LC, BnF and NDL: a Wikidata URI is not given.
REF_PREFERENCE = [ActorIdentifier.Scheme.GND, ActorIdentifier.Scheme.VIAF]


def tei(tag):
    return f"{{{TEI}}}{tag}"


# Characters XML 1.0 cannot carry at all (C0 controls other than tab and line breaks).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CMIF_WHEN = re.compile(
    r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
)  # YYYY, YYYY-MM, YYYY-MM-DD


def xml_text(value):
    return NOT_XML.sub("", str(value))


def add(parent, tag, text=None, **attributes):
    element = etree.SubElement(
        parent, tei(tag), {key: xml_text(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def bibl_id(file_url):
    """A UUID for the archive's `bibl`, the same every time for the same file URL.

    `xml:id` must be an XML name, which cannot begin with a digit; so the first UUID
    of the series that begins with a letter is taken (one of the first few, always).
    """
    for attempt in range(1000):
        candidate = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{file_url}#{attempt}" if attempt else file_url)
        )
        if candidate[0].isalpha():
            return candidate
    raise AssertionError("no UUID beginning with a letter")  # 10^-400 or so


def letters_for_cmif():
    identifiers = ActorIdentifier.objects.order_by("scheme")
    return (
        Letter.objects.published()
        .select_related("sender", "signatory")
        .prefetch_related(
            Prefetch("sender__identifiers", queryset=identifiers),
            Prefetch("signatory__identifiers", queryset=identifiers),
            Prefetch(
                "recipients",
                queryset=Recipient.objects.select_related("actor").order_by("role", "pk"),
            ),
            Prefetch("recipients__actor__identifiers", queryset=identifiers),
        )
        .order_by("date_earliest", "slug")
    )


def last_change():
    """When anything the file describes last changed (CMIF's publicationStmt/date)."""
    moments = [
        model.history.aggregate(latest=Max("history_date"))["latest"]
        for model in (Letter, Recipient, Actor, ActorIdentifier)
    ]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def add_name(action, actor):
    # CMIF: persName for people, orgName where a personal name does not apply.
    tag = "persName" if actor.kind == Actor.Kind.PERSON else "orgName"
    identifiers = sorted(
        (
            identifier
            for identifier in actor.identifiers.all()
            if identifier.scheme in REF_PREFERENCE
        ),
        key=lambda identifier: REF_PREFERENCE.index(identifier.scheme),
    )
    attributes = {"ref": identifiers[0].uri} if identifiers else {}
    add(action, tag, actor.name, **attributes)


def add_date(action, letter):
    uncertain = any(mark in letter.date_edtf for mark in UNCERTAIN_MARKS)
    attributes = {}
    plain = letter.date_edtf.strip()
    if year_unknown(plain):
        add(action, "note", letter.date_display)  # a `date` must have a bound to give
        return
    if not uncertain and not letter.date_inferred and CMIF_WHEN.match(plain):
        attributes["when"] = plain  # YYYY, YYYY-MM or YYYY-MM-DD, as CMIF allows
    else:
        attributes["notBefore"] = letter.date_earliest.isoformat()
        attributes["notAfter"] = letter.date_latest.isoformat()
    if uncertain:
        attributes["cert"] = "low"
    add(action, "date", **attributes)
    if "when" not in attributes:
        add(action, "note", letter.date_display)  # what @cert says, and that it was inferred


def correspondence(profile, letter, absolute_url, source_id):
    desc = add(
        profile, "correspDesc", ref=absolute_url(letter.get_absolute_url()), source=f"#{source_id}"
    )
    sent = add(desc, "correspAction", type="sent")
    add_name(sent, letter.sender)
    if letter.signatory_id:
        add_name(sent, letter.signatory)
    add_date(sent, letter)
    recipients = list(letter.recipients.all())
    to = [recipient for recipient in recipients if recipient.role == Recipient.Role.TO]
    cc = [recipient for recipient in recipients if recipient.role == Recipient.Role.CC]
    received = add(desc, "correspAction", type="received")
    if not to:
        add(received, "persName", "Unknown")  # CMIF's word for a recipient no source names
    for recipient in to:
        add_name(received, recipient.actor)
    if cc:
        copied = add(desc, "correspAction", type="received", subtype="cc")
        for recipient in cc:
            add_name(copied, recipient.actor)


def cmif_document(absolute_url, now):
    """The whole CMIF file as bytes; `absolute_url(path)` makes the file's links absolute."""
    file_url = absolute_url(reverse("archive:letter-cmif"))
    site_url = absolute_url("/")
    source_id = bibl_id(file_url)
    licence_url, licence_text = LICENCES[settings.MISSIVE_LICENCE]

    root = etree.Element(tei("TEI"), nsmap={None: TEI})
    header = add(root, "teiHeader")
    file_desc = add(header, "fileDesc")
    title_stmt = add(file_desc, "titleStmt")
    add(title_stmt, "title", f"{settings.MISSIVE_TITLE}: letters")
    editor = add(title_stmt, "editor", settings.MISSIVE_EDITOR)
    if settings.MISSIVE_EDITOR_EMAIL:
        add(editor, "email", settings.MISSIVE_EDITOR_EMAIL)

    publication = add(file_desc, "publicationStmt")
    publisher = add(publication, "publisher")
    add(publisher, "ref", settings.MISSIVE_PUBLISHER, target=site_url)
    add(publication, "idno", file_url, type="url")
    add(publication, "date", when=(last_change() or now).isoformat(timespec="seconds"))
    availability = add(publication, "availability")
    add(availability, "licence", licence_text, target=licence_url)

    source_desc = add(file_desc, "sourceDesc")
    bibl = add(source_desc, "bibl", type="online", **{XML_ID: source_id})
    bibl.text = f"{settings.MISSIVE_TITLE}, an archive of letters and the claims they make. "
    add(bibl, "ref", site_url, target=site_url)

    profile = add(header, "profileDesc")
    for letter in letters_for_cmif().iterator(chunk_size=500):
        correspondence(profile, letter, absolute_url, source_id)

    body = add(add(root, "text"), "body")
    add(body, "p")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
