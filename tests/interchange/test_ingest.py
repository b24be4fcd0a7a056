"""A source from a file: plain text, an HTML page or a PDF, and every file that is none of them refused in words."""

import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfWriter

from interchange.ingest import HTML, PDF, PLAIN, CannotIngest, extract

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Balochistan group writes to NATO | Example News</title>
<meta name="author" content="Jane Reporter">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="https://news.example/balochistan-nato">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Balochistan group writes to NATO</h1>
<p>The self-declared Republic of Balochistan wrote to NATO asking it to recognise its independence.</p>
<script>document.body.innerHTML = "<img src=x onerror=alert(1)>";</script>
<p>The letter says Pakistan uses militant proxies, a claim Islamabad has long rejected.</p>
<p>NATO did not respond to a request for comment on the letter's figures.</p>
</article>
<footer>Copyright Example News</footer>
</body></html>
"""


def pdf_with_text(*lines):
    """A one-page PDF whose text layer holds lines, written by hand (no PDF library writes text)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def blank_pdf(password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(data, name="report.pdf"):
    with pytest.raises(CannotIngest) as refused:
        extract(data, name)
    return str(refused.value)


# --- what is taken ------------------------------------------------------------------------


def test_plain_text_is_taken_in_the_archive_s_form():
    extracted = extract("\ufeffThe letter\r\nasks NATO.\r\n".encode(), "report.txt")

    assert (extracted.text, extracted.media_type) == ("The letter\nasks NATO.", PLAIN)


def test_an_html_page_gives_its_article_and_what_it_says_of_itself():
    page = ARTICLE.format(published="2026-01-05T09:30:00Z").encode()

    extracted = extract(page, "article.html")

    assert extracted.media_type == HTML
    assert extracted.text.startswith("Balochistan group writes to NATO")
    assert "Pakistan uses militant proxies" in extracted.text
    assert "Home" not in extracted.text and "Copyright" not in extracted.text
    assert "alert" not in extracted.text and "<" not in extracted.text  # no script, no markup
    assert (extracted.title, extracted.author, extracted.publisher) == (
        "Balochistan group writes to NATO",
        "Jane Reporter",
        "Example News",
    )
    assert extracted.published_on == date(2026, 1, 5)
    assert extracted.url == "https://news.example/balochistan-nato"


def test_an_html_page_that_states_only_a_month_gives_no_day():
    page = ARTICLE.format(published="January 2026").encode()

    assert extract(page, "article.html").published_on is None


def test_the_kind_is_read_from_the_bytes_not_the_name():
    page = ARTICLE.format(published="").encode()

    assert extract(page, "article.txt").media_type == HTML


def test_a_pdf_gives_the_text_of_its_text_layer():
    extracted = extract(pdf_with_text("The letter asks NATO", "to recognise the republic."))

    assert extracted.media_type == PDF
    assert "The letter asks NATO" in extracted.text
    assert "to recognise the republic." in extracted.text


# --- what is refused, and how -------------------------------------------------------------


def test_a_scan_without_a_text_layer_is_refused_with_what_to_do():
    assert "no text layer" in refusal(blank_pdf())
    assert "OCR" in refusal(blank_pdf())


def test_an_encrypted_pdf_is_refused():
    assert "encrypted" in refusal(blank_pdf(password="secret"))


def test_a_zip_bomb_named_pdf_is_refused_unopened():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros", b"\0" * 50_000_000)  # 50 MB of zeros in about 50 KB

    message = refusal(bomb.getvalue(), "report.pdf")

    assert "not plain text, an HTML page or a PDF" in message


def test_a_file_that_only_claims_to_be_a_pdf_is_refused():
    message = refusal(b"%PDF-1.7\n" + b"\x8f" * 4000 + b"\n%%EOF")

    assert "could not be read as a PDF" in message


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "Texte en UTF-16".encode("utf-16"),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    ],
    ids=["image", "utf-16", "office-document"],
)
def test_files_that_are_not_text_html_or_pdf_are_refused(data):
    assert "not plain text, an HTML page or a PDF" in refusal(data, "upload")


def test_text_in_another_encoding_is_refused_with_what_to_do():
    message = refusal("Déclaration".encode("latin-1"), "letter.txt")

    assert "not UTF-8 text" in message and "Save it as UTF-8" in message


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.MISSIVE_SOURCE_MAX_MB = 1

    message = refusal(b"a" * (1024 * 1024 + 1), "big.txt")

    assert "a source file may be at most 1 MB" in message


@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"<html><body></body></html>"])
def test_a_file_with_no_text_is_refused(data):
    assert refusal(data, "empty.html")


def test_control_characters_are_dropped_from_the_text():
    assert extract(b"One\x1b two\x07 three\x7f", "odd.txt").text == "One two three"
