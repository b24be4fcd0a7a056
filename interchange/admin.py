"""Sources from files in the admin: upload a text, an HTML page or a PDF, and the fields left empty
are filled from it (interchange/ingest.py); the file is kept for editors to download.

It re-registers archive's SourceAdmin (archive knows nothing of file formats), as claims
re-registers the letter's.
"""

import os

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.forms.widgets import ClearableFileInput
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.text import slugify

from archive.admin import SourceAdmin
from archive.models import Source
from history.admin import ChangeReasonForm

from .ingest import CannotIngest, check_size, detect_language, extract

# What a file can give a source, in the order the message names them.
FILLED_FROM_FILE = ["text", "title", "author", "publisher", "published_on", "url", "language"]


class OriginalFileInput(ClearableFileInput):
    """The kept file links to the admin's download, never to a public address."""

    download_url = ""

    def format_value(self, value):
        if self.is_initial(value):
            return DownloadLink(os.path.basename(value.name), self.download_url)
        return None


class DownloadLink:
    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class SourceFromFileForm(ChangeReasonForm):
    """The source form, where an uploaded file fills the text and details left empty."""

    class Meta:
        model = Source
        fields = "__all__"
        widgets = {"original": OriginalFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filled = []  # the fields filled for the editor, to say so
        self.filled_from = "the text"
        for name in ("text", "title", "slug"):  # may come from the file: required after it is read
            if name in self.fields:
                self.fields[name].required = False
        if "original" in self.fields:
            self.fields["original"].help_text = (
                "Plain text (UTF-8), an HTML page or a PDF with a text layer. The fields left empty "
                "are filled from it; check them before you save again."
            )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("original")
        if isinstance(upload, UploadedFile) and not self.has_error("original"):
            self.take_from(upload, cleaned)
        for name, missing in (
            ("text", "Paste the text, or upload the file it comes from."),
            ("title", "Give a title; the file did not say one."),
        ):
            if name in self.fields and not cleaned.get(name) and not self.has_error(name):
                self.add_error(name, missing)
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = free_slug(cleaned["title"])
        if "language" in self.fields and not cleaned.get("language") and cleaned.get("text"):
            if language := detect_language(cleaned["text"]):
                cleaned["language"] = language
                self.filled.append("language")
        return cleaned

    def take_from(self, upload, cleaned):
        try:
            check_size(upload.size, upload.name)  # before a byte of it is read
            extracted = extract(upload.read(), upload.name)
        except CannotIngest as refusal:
            self.add_error("original", str(refusal))
            return
        self.filled_from = f"“{os.path.basename(upload.name)}”"
        for name in FILLED_FROM_FILE:
            value = getattr(extracted, name)
            if name not in self.fields or not value or cleaned.get(name):
                continue
            field = Source._meta.get_field(name)
            cleaned[name] = value[: field.max_length] if field.max_length else value
            self.filled.append(field.verbose_name)


def free_slug(title):
    """A slug from the title that no source has yet."""
    base = (slugify(title)[:90] or "source").strip("-")
    slug, number = base, 1
    while Source.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class SourceFromFileAdmin(SourceAdmin):
    form = SourceFromFileForm
    fieldsets = [
        (None, {"fields": ["original"]}),
        (
            "About the document",
            {
                "fields": [
                    "title",
                    "slug",
                    "kind",
                    "language",
                    "author",
                    "publisher",
                    "url",
                    "published_on",
                ],
                "description": "Left empty, these are filled from the file where it says them.",
            },
        ),
        (
            None,
            {
                "fields": [
                    "text",
                    "note",
                    "checksum",
                    "quotes_in_text",
                    "letters_from_here",
                    "change_reason",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.original:
            form.base_fields["original"].widget.download_url = reverse(
                "admin:archive_source_original", args=[obj.pk]
            )
        return form

    def get_urls(self):
        download = path(
            "<path:object_id>/original/",
            self.admin_site.admin_view(self.original_view),
            name="archive_source_original",
        )
        return [download, *super().get_urls()]

    def original_view(self, request, object_id):
        """The kept file, as an attachment: never shown in the browser, whatever it holds."""
        if not self.is_key(object_id):
            raise Http404("There is no source with that id.")
        source = self.get_object(request, object_id)
        if source is None or not source.original:
            raise Http404("This source has no original file.")
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        response = FileResponse(
            source.original.open("rb"),
            as_attachment=True,
            filename=os.path.basename(source.original.name),
            content_type="application/octet-stream",
        )
        response["Content-Security-Policy"] = "sandbox"
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.filled:
            messages.info(
                request,
                f"Taken from {form.filled_from}: {', '.join(form.filled)}. Check them before you "
                "rely on them.",
            )


admin.site.unregister(Source)
admin.site.register(Source, SourceFromFileAdmin)
