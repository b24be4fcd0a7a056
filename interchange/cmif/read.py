"""Reading a CMIF file (correspSearch's letter metadata) as a Missive import document.

CMIF describes letters and their correspondents, not what the letters claim, so the
document it becomes has actors, one source per `bibl` and letters with recipients,
and no claims. It is then checked and written by the same importer as any other file:
all or nothing, and importing it twice changes nothing (slugs derive from the file).

What CMIF can say and Missive cannot hold (places, a third sender, authority files
other than GND, VIAF and Wikidata, other kinds of correspondence action) is listed
in the report instead of being dropped silently.
"""

import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import Resolver404, resolve
from django.utils.text import slugify
from lxml import etree

from archive.models import Actor, ActorIdentifier, Letter
from interchange.format import FORMAT_NAME, FORMAT_VERSION, ImportFailed

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
AUTHORITY_PATTERNS = [
    (
        ActorIdentifier.Scheme.WIKIDATA,
        re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)/?$"),
    ),
    (
        ActorIdentifier.Scheme.VIAF,
        re.compile(r"^https?://(?:www\.)?viaf\.org/viaf/([1-9][0-9]*)/?$"),
    ),
    (ActorIdentifier.Scheme.GND, re.compile(r"^https?://d-nb\.info/gnd/([0-9X-]+)/?$")),
]
CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # the only date forms CMIF allows


def looks_like_xml(raw):
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def parse_xml(raw, name):
    # No DTDs, no entity expansion, no network: a CMIF file is data from elsewhere.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailed([f"{name}: not well-formed XML: {error}"])


def text_of(element):
    return " ".join("".join(element.itertext()).split())


def identifier_of(uri):
    for scheme, pattern in AUTHORITY_PATTERNS:
        if match := pattern.match(uri.strip()):
            return scheme, match.group(1)
    return None


class CmifReader:
    def __init__(self, name):
        self.name = name
        self.unmapped = []
        self.actors = {}  # slug -> actor entry of the document
        self.by_identifier = {
            (scheme, value): slug
            for scheme, value, slug in ActorIdentifier.objects.values_list(
                "scheme", "value", "actor__slug"
            )
        }
        self.existing = {
            name.casefold(): slug for slug, name in Actor.objects.values_list("slug", "name")
        }
        self.already_here = []  # this archive's letters the file lists, left as they are
        self.identified = {}  # slug -> {scheme: value} of the archive's actors and the file's
        for scheme, value, slug in ActorIdentifier.objects.values_list(
            "scheme", "value", "actor__slug"
        ):
            self.identified.setdefault(slug, {})[scheme] = value
        self.existing_slugs = set(self.existing.values())

    def skip(self, where, what):
        self.unmapped.append(f"{where}: {what}")

    def actor(self, element, where):
        """The slug of the actor a persName/orgName names: found by authority URI or name, or new."""
        name = (text_of(element) or "Unknown")[:200]  # as stored, so a second import finds it again
        for qualifier in ("cert", "evidence"):
            if element.get(qualifier):
                self.skip(
                    where,
                    f"its @{qualifier}={element.get(qualifier)!r} (how sure the edition is that this "
                    f"is {name!r}) is not recorded: Missive names the actor without it",
                )
        identifiers = []
        for uri in (element.get("ref") or "").split():
            found = identifier_of(uri)
            if found is None:
                self.skip(
                    where,
                    f"authority URI not recorded (Missive keeps GND, VIAF and Wikidata): {uri}",
                )
            else:
                identifiers.append(found)
        for identifier in identifiers:
            if identifier in self.by_identifier:
                return self.by_identifier[identifier]
        same_name = self.existing.get(name.casefold())
        if same_name is not None and self.differs(same_name, identifiers):
            # Two people of one name whose authority files say they are two: never one actor.
            self.skip(
                where, f"not the archive's '{same_name}' of the same name: its authority IDs differ"
            )
            same_name = None
        if same_name is not None:
            slug = same_name
            if identifiers and slug not in self.actors:
                self.skip(
                    where,
                    f"authority URI not added to the archive's actor '{slug}' of the same name",
                )
            return slug
        base = slugify(name)[:80] or "unknown"
        slug = base
        number = 2
        while slug in self.existing_slugs or slug in self.actors:
            slug, number = f"{base}-{number}", number + 1
        if slug not in self.actors:
            kind = (
                Actor.Kind.PERSON
                if element.tag == f"{{{TEI}}}persName"
                else Actor.Kind.ORGANISATION
            )
            self.actors[slug] = {
                "slug": slug,
                "name": name,
                "kind": kind,
                "identifiers": [
                    {"scheme": scheme, "value": value} for scheme, value in identifiers
                ],
            }
        for identifier in identifiers:
            self.by_identifier[identifier] = slug
            self.identified.setdefault(slug, {})[identifier[0]] = identifier[1]
        self.existing.setdefault(name.casefold(), slug)
        return slug

    def differs(self, slug, identifiers):
        """Whether the actor has an ID in one of the identifiers' schemes, and another value."""
        known = self.identified.get(slug, {})
        return any(scheme in known and known[scheme] != value for scheme, value in identifiers)

    def letter_of_this_archive(self, ref):
        """The slug of this archive's letter that a correspDesc/@ref names (its page), or None."""
        parts = urlsplit(ref)
        public = urlsplit(settings.MISSIVE_PUBLIC_URL) if settings.MISSIVE_PUBLIC_URL else None
        if not parts.scheme or (public and (parts.scheme, parts.netloc) != public[:2]):
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        slug = match.kwargs.get("slug")
        if match.view_name == "archive:letter-detail" and Letter.objects.filter(slug=slug).exists():
            return slug
        return None

    def names(self, action, where, skip_unknown=False):
        found = []
        for child in action:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in ("persName", "orgName"):
                if skip_unknown and text_of(child) == "Unknown":
                    continue  # CMIF's word for a recipient no source names: nobody to record
                found.append((child, self.actor(child, f"{where}/{tag}")))
            elif tag == "placeName":
                self.skip(
                    f"{where}/placeName", f"places are not recorded in Missive ({text_of(child)!r})"
                )
            elif tag not in ("date", "note"):  # a note holds the date's words (date, below)
                self.skip(f"{where}/{tag}", "not a part of CMIF that Missive reads")
        return found

    def date(self, action, where):
        """(EDTF, inferred, note) from a CMIF date element, or None."""
        date = action.find("tei:date", NS)
        note = action.find("tei:note", NS)  # the date in words, where CMIF's date holds none
        said = " ".join("".join(note.itertext()).split()) if note is not None else ""
        if date is None:
            if said:
                self.skip(
                    f"{where}/date",
                    f"no machine-readable date, only the words {said!r}: Missive needs "
                    "at least a month and day or a range (give it in EDTF by hand, e.g. XXXX-02-11)",
                )
            return None
        attributes = {
            key: (date.get(key) or "").strip()
            for key in ("when", "from", "to", "notBefore", "notAfter")
        }
        for key, value in attributes.items():
            if value and not CMIF_DATE.match(value):
                self.skip(
                    f"{where}/date/@{key}",
                    f"not a CMIF date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}",
                )
                return None
        uncertain = date.get("cert") in ("low", "medium")
        inferred = date.get("evidence") == "conjecture"
        if attributes["when"]:
            edtf = attributes["when"] + ("?" if uncertain else "")
        else:
            start = attributes["from"] or attributes["notBefore"]
            end = attributes["to"] or attributes["notAfter"]
            if not (start or end):
                words = " ".join("".join(date.itertext()).split())
                self.skip(
                    f"{where}/date",
                    f"no machine-readable date, only the words {words!r}: Missive needs "
                    "at least a month and day or a range (give it in EDTF by hand, e.g. XXXX-02-11)",
                )
                return None
            if not (start and end):
                self.skip(f"{where}/date", "a range open at one end cannot be dated in Missive")
                return None
            edtf = start if start == end else f"{start}/{end}"
            if uncertain:
                edtf += "?" if start == end else ""
        note = "As the CMIF file gives it" + (", conjectured by its editors." if inferred else ".")
        if words := " ".join("".join(date.itertext()).split()) or said:
            note = f"{note[:-1]}: “{words}”."  # the edition's own words for the date, kept
        return edtf, inferred, note[:300]

    def letter(self, desc, index, sources):
        where = f"correspDesc[{index}]"
        if own := self.letter_of_this_archive((desc.get("ref") or "").strip()):
            self.already_here.append(own)
            self.skip(
                where, f"already in this archive as the letter '{own}' (its @ref): left as it is"
            )
            return None
        sent = desc.find("tei:correspAction[@type='sent']", NS)
        if sent is None:
            self.skip(where, "no correspAction of type 'sent': letter skipped")
            return None
        senders = self.names(sent, f"{where}/correspAction[@type='sent']")
        if not senders:
            self.skip(where, "no sender named: letter skipped")
            return None
        sender, signatory = senders[0][1], None
        rest = senders[1:]
        if rest and senders[0][0].tag != rest[0][0].tag and rest[0][0].tag == f"{{{TEI}}}persName":
            signatory, rest = (
                rest[0][1],
                rest[1:],
            )  # a body's letter signed by a person, as Missive exports it
        for element, _ in rest:
            self.skip(
                f"{where}/correspAction[@type='sent']",
                f"a further sender is not recorded ({text_of(element)!r})",
            )
        recipients = []
        for action in desc.findall("tei:correspAction", NS):
            kind, subtype = action.get("type"), action.get("subtype")
            action_where = f"{where}/correspAction[@type='{kind}']"
            if kind == "sent":
                continue
            if kind != "received":
                self.skip(action_where, "only 'sent' and 'received' actions are recorded")
                continue
            role = "cc" if subtype == "cc" else "to"
            for _element, slug in self.names(action, action_where, skip_unknown=True):
                entry = {"actor": slug, "role": role, "note": ""}
                if entry not in recipients:
                    recipients.append(entry)
        dated = self.date(sent, f"{where}/correspAction[@type='sent']")
        if dated is None:
            received = desc.find("tei:correspAction[@type='received']", NS)
            dated = (
                self.date(received, f"{where}/correspAction[@type='received']")
                if received is not None
                else None
            )
        if dated is None:
            self.skip(where, "no date Missive can read: letter skipped")
            return None
        edtf, inferred, note = dated
        pointer = (desc.get("source") or "").strip().lstrip("#")
        source = sources.get(pointer) or next(iter(sources.values()))
        ref = (desc.get("ref") or "").strip()
        # Without a ref, the letter's place in the file tells two letters of the same day apart.
        identity = ref or f"{sender}|{edtf}|{[r['actor'] for r in recipients]}|{index}"
        digest = hashlib.sha1(identity.encode()).hexdigest()[:8]
        sender_name = self.actors[sender]["name"] if sender in self.actors else self.name_of(sender)
        addressees = [
            self.actors[r["actor"]]["name"]
            if r["actor"] in self.actors
            else self.name_of(r["actor"])
            for r in recipients
            if r["role"] == "to"
        ]
        title = (
            f"Letter from {sender_name}"
            + (f" to {', '.join(addressees)}" if addressees else "")
            + f", {edtf}"
        )
        return {
            "slug": f"{slugify(sender_name)[:50] or 'letter'}-{slugify(edtf)}-{digest}",
            "title": title[:300],
            "date": edtf,
            "date_inferred": inferred,
            "date_note": note,
            "sender": sender,
            "signatory": signatory,
            "summary": (
                f"Known from the CMIF list “{source['title'][:200]}”"
                + (f" ({ref})" if ref else "")
                + ". The archive holds no text of this letter and records no claims from it yet."
            ),
            "sources": [source["slug"]],
            "recipients": recipients,
        }

    def web_address(self, link, where):
        """The bibl's link as a web address: spaces (no URL holds one) taken out and said so; a
        link that is still none is left out and reported, never a reason to refuse the file."""
        cleaned = "".join(link.split())
        if cleaned != link.strip():
            self.skip(where, f"spaces taken out of its link: {link!r} read as {cleaned!r}")
        try:
            URLValidator(schemes=["http", "https"])(cleaned)
        except ValidationError:
            if cleaned:
                self.skip(where, f"its link is not a web address and is left out: {link!r}")
            return ""
        return cleaned

    def name_of(self, slug):
        return Actor.objects.filter(slug=slug).values_list("name", flat=True).first() or slug

    def sources(self, root, file_title):
        sources = {}
        for index, bibl in enumerate(
            root.findall(".//tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl", NS)
        ):
            key = bibl.get(XML_ID) or f"bibl-{index}"
            description = text_of(bibl) or file_title
            link = next(
                (ref.get("target") for ref in bibl.iter(f"{{{TEI}}}ref") if ref.get("target")), ""
            )
            digest = hashlib.sha1(f"{key}|{description}".encode()).hexdigest()[:8]
            link = self.web_address(link, f"sourceDesc/bibl[{index}]")
            sources[key] = {
                "slug": f"cmif-{slugify(description)[:60]}-{digest}",
                "title": description[:300],
                "kind": "other",
                "url": link,
                "note": "A list of letters in CMIF; it holds the letters' metadata, not their text.",
                "text": description,
            }
        return sources


def cmif_document(raw, name="input"):
    """(document in the import format, [what could not be mapped]) from a CMIF file's bytes."""
    root = parse_xml(raw, name)
    if root.tag != f"{{{TEI}}}TEI":
        raise ImportFailed(
            [
                f"{name}: not a CMIF file: the root element must be TEI in the TEI namespace "
                f"({TEI}), not {root.tag!r}"
            ]
        )
    descs = root.findall(".//tei:teiHeader/tei:profileDesc/tei:correspDesc", NS)
    if not descs:
        raise ImportFailed(
            [f"{name}: no correspDesc in teiHeader/profileDesc: there are no letters to import"]
        )
    reader = CmifReader(name)
    title = root.find(".//tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    file_title = text_of(title) if title is not None else name
    sources = reader.sources(root, file_title)
    if not sources:
        digest = hashlib.sha1(file_title.encode()).hexdigest()[:8]
        sources["file"] = {
            "slug": f"cmif-{slugify(file_title)[:60]}-{digest}",
            "title": file_title[:300],
            "kind": "other",
            "note": "A list of letters in CMIF.",
            "text": file_title,
            "url": "",
        }
    letters = [
        letter
        for index, desc in enumerate(descs)
        if (letter := reader.letter(desc, index, sources))
    ]
    cited = {slug for letter in letters for slug in letter["sources"]}
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "actors": list(reader.actors.values()),
        "sources": [source for source in sources.values() if source["slug"] in cited],
        "letters": letters,
    }
    document["already_here"] = reader.already_here  # not part of the format: import_file reads it
    return document, reader.unmapped
