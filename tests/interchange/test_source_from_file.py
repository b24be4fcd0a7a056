"""An editor adds a source by uploading its file: the fields left empty are filled from it, the file
is kept for editors, and a file that cannot be read leaves nothing behind."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Source

from .test_ingest import ARTICLE, blank_pdf, pdf_with_text

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:archive_source_add")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(editor_in_admin):
    return editor_in_admin


def upload(client, content, name, **fields):
    form = {
        "title": "",
        "slug": "",
        "kind": "news-report",
        "text": "",
        "change_reason": "Report added from its page",
        "original": SimpleUploadedFile(name, content),
        **fields,
    }
    return client.post(ADD_URL, form, follow=True)


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_an_uploaded_page_fills_the_source_and_is_kept(editor, media):
    page = ARTICLE.format(published="2026-01-05T09:30:00Z").encode()

    response = upload(editor, page, "balochistan-nato.html")

    source = Source.objects.get()
    assert (source.title, source.slug) == (
        "Balochistan group writes to NATO",
        "balochistan-group-writes-to-nato",
    )
    assert (source.author, source.publisher, source.published_on) == (
        "Jane Reporter",
        "Example News",
        date(2026, 1, 5),
    )
    assert source.url == "https://news.example/balochistan-nato"
    assert "Pakistan uses militant proxies" in source.text
    assert source.checksum == Source.checksum_of(source.text)
    assert source.original.read() == page
    assert source.history.get().history_change_reason == "Report added from its page"
    assert "Taken from “balochistan-nato.html”: text, title, author" in response.content.decode()


def test_what_the_editor_typed_wins_over_what_the_file_says(editor):
    page = ARTICLE.format(published="2026-01-05").encode()

    upload(editor, page, "page.html", title="Report of 5 January", slug="report-5-january")

    source = Source.objects.get()
    assert (source.title, source.slug) == ("Report of 5 January", "report-5-january")
    assert source.author == "Jane Reporter"


def test_a_slug_from_the_file_s_title_never_takes_another_source_s(editor):
    Source.objects.create(title="Earlier", slug="balochistan-group-writes-to-nato", text="x")

    upload(editor, ARTICLE.format(published="").encode(), "page.html")

    assert Source.objects.filter(slug="balochistan-group-writes-to-nato-2").exists()


@pytest.mark.parametrize(
    "content, name, message",
    [
        (blank_pdf(), "scan.pdf", "no text layer"),
        (b"PK\x03\x04" + b"\0" * 200, "bomb.pdf", "not plain text, an HTML page or a PDF"),
        (b"%PDF-1.7\n" + b"\x8f" * 500, "broken.pdf", "could not be read as a PDF"),
    ],
    ids=["scan", "renamed-zip", "broken-pdf"],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_kept(
    editor, media, content, name, message
):
    response = upload(editor, content, name)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["original"])
    assert Source.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused(editor, media, settings):
    settings.MISSIVE_SOURCE_MAX_MB = 1

    response = upload(editor, b"a" * (1024 * 1024 + 10), "huge.txt")

    assert "at most 1 MB" in " ".join(response.context["adminform"].form.errors["original"])
    assert Source.objects.count() == 0 and stored_files(media) == []


def test_without_a_file_the_text_must_be_pasted(editor):
    response = editor.post(
        ADD_URL, {"title": "Notes", "slug": "notes", "kind": "other", "text": ""}
    )

    assert response.context["adminform"].form.errors["text"] == [
        "Paste the text, or upload the file it comes from."
    ]


def test_a_pdf_s_text_layer_becomes_the_text(editor):
    upload(
        editor, pdf_with_text("The letter asks NATO to recognise it."), "letter.pdf", title="Letter"
    )

    assert "The letter asks NATO to recognise it." in Source.objects.get().text


def test_editors_download_the_original_as_an_attachment_and_no_one_else_does(editor, client):
    page = ARTICLE.format(published="").encode()
    upload(editor, page, "page.html")
    source = Source.objects.get()
    download = reverse("admin:archive_source_original", args=[source.pk])

    response = editor.get(download)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == page
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    change_page = editor.get(reverse("admin:archive_source_change", args=[source.pk]))
    assert f'href="{download}"' in change_page.content.decode()

    editor.logout()
    assert editor.get(download).status_code == 302  # to the sign-in page
    assert f"/{source.original.name}" not in editor.get("/").content.decode()


def test_a_download_for_a_source_without_a_file_is_a_404(editor):
    source = Source.objects.create(title="Typed", slug="typed", text="Typed in.")

    assert editor.get(reverse("admin:archive_source_original", args=[source.pk])).status_code == 404
    assert editor.get(reverse("admin:archive_source_original", args=["x1"])).status_code == 404
