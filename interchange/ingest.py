"""A new source from a file: its text, and what the file says of itself, ready for an editor to check.

Plain text (UTF-8), an HTML page (the article's text, title, author, site and date, by
trafilatura) or a PDF with a text layer (pypdf). The kind is read from the bytes, not the
file's name. Whatever the file, the answer is an Extracted or a CannotIngest that says what
to do instead: a hostile or broken file is refused, never half-read.
"""

import functools
import io
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from archive.anchoring import normalised

from .importing.checker import MAX_SOURCE_TEXT

MAX_PDF_PAGES = 2_000
PLAIN, HTML, PDF = "text/plain", "text/html", "application/pdf"
# Characters no text keeps: the C0 controls but tab and line breaks (PostgreSQL refuses NUL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CannotIngest(ValueError):
    """Why the file cannot become a source, in words for the editor."""


@dataclass
class Extracted:
    text: str
    media_type: str
    title: str = ""
    author: str = ""
    publisher: str = ""
    published_on: date | None = None
    url: str = ""
    language: str = ""


def check_size(size, name):
    if size > settings.MISSIVE_SOURCE_MAX_MB * 1024 * 1024:
        raise CannotIngest(
            f"{name} is {size / 1024 / 1024:.1f} MB; a source file may be at most "
            f"{settings.MISSIVE_SOURCE_MAX_MB} MB."
        )


def extract(data, name="the file"):
    check_size(len(data), name)
    if not data.strip():
        raise CannotIngest(f"{name} is empty.")
    kind = media_type(data)
    if kind is None:
        raise CannotIngest(
            f"{name} is not plain text, an HTML page or a PDF (an image, an archive or an office "
            "document?). Save it as one of those, or paste its text."
        )
    extracted = {PLAIN: from_text, HTML: from_html, PDF: from_pdf}[kind](data, name)
    extracted.text = normalised(CONTROL.sub("", extracted.text)).strip()
    if not extracted.text:
        raise CannotIngest(f"{name} has no text to anchor quotes in.")
    if len(extracted.text) > MAX_SOURCE_TEXT:
        raise CannotIngest(
            f"{name} holds {len(extracted.text):,} characters of text; a source may hold at most "
            f"{MAX_SOURCE_TEXT:,}."
        )
    extracted.language = detect_language(extracted.text)
    return extracted


LANGUAGE_SAMPLE = 4_000  # characters: plenty to tell a language, and the detector's time stays flat


def detect_language(text):
    """The text's language as a BCP 47 tag ("ur", "fa"), or "" when lingua cannot tell: a suggestion
    for the editor, who may change it."""
    found = _detector().detect_language_of(text[:LANGUAGE_SAMPLE])
    if found is None:
        return ""
    return found.iso_code_639_1.name.lower()


@functools.cache
def _detector():
    from lingua import LanguageDetectorBuilder

    # Low accuracy mode: a source is long enough for it, and it needs a tenth of the memory.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def media_type(data):
    """PLAIN, HTML or PDF by the bytes themselves; None for anything else."""
    if b"%PDF-" in data[:1024]:  # the header may follow a little junk (PDF 32000-1, 7.5.2)
        return PDF
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None  # UTF-16 text or a binary file
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--")):
        return HTML
    return PLAIN


def from_text(data, name):
    try:
        return Extracted(text=data.decode("utf-8-sig"), media_type=PLAIN)
    except UnicodeDecodeError as error:
        raise CannotIngest(
            f"{name} is not UTF-8 text (byte {error.start:,} is invalid). Save it as UTF-8, or "
            "paste its text."
        )


def from_html(data, name):
    import trafilatura

    found = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        # Only dates the page states in its markup: never one guessed from its words or its address.
        date_extraction_params={"extensive_search": False, "original_date": True},
        as_dict=True,
    )
    if not found or not (found.get("text") or "").strip():
        raise CannotIngest(
            f"No article text was found in {name}: it may be a page built by JavaScript. Paste "
            "the article's text instead."
        )
    stated = found.get("date") or ""
    url = found.get("url") or ""
    return Extracted(
        text=found["text"],
        media_type=HTML,
        title=found.get("title") or "",
        author=found.get("author") or "",
        publisher=found.get("sitename") or "",
        # A day the page's own markup gives whole, or nothing (a date part no source states is unknown).
        published_on=(
            date.fromisoformat(stated)
            if ISO_DAY.match(stated) and stated.encode() in data
            else None
        ),
        url=url if url.startswith(("https://", "http://")) else "",
    )


def from_pdf(data, name):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CannotIngest(
                f"{name} is encrypted. Save a copy without a password, or paste its text."
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise CannotIngest(
                f"{name} has {len(reader.pages):,} pages; a source may have at most {MAX_PDF_PAGES:,}."
            )
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        info = reader.metadata or {}
        title, author = info.get("/Title") or "", info.get("/Author") or ""
    except CannotIngest:
        raise
    except Exception as error:  # a broken or hostile file may fail anywhere in the parser
        raise CannotIngest(f"{name} could not be read as a PDF ({type(error).__name__}).")
    if not text.strip():
        raise CannotIngest(
            f"{name} has no text layer: it looks like a scan. Run text recognition (OCR) on it "
            "first, or paste its text."
        )
    return Extracted(text=text, media_type=PDF, title=str(title), author=str(author))
