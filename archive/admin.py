from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.highlight import Span, highlight
from history.admin import (
    ChangeReasonForm,
    HistoryAdmin,
    RestoreDeletedAdmin,
    StackedInline,
    TabularInline,
)

from .dates import date_meaning, describe_edtf
from .models import (
    Actor,
    ActorIdentifier,
    Letter,
    Recipient,
    RequestedAction,
    Source,
    quotation_models,
)

admin.site.site_header = "Missive: editors' workspace"
admin.site.site_title = "Missive admin"
admin.site.index_title = "Letters, claims and their history"


class ActorIdentifierInline(TabularInline):
    model = ActorIdentifier
    extra = 1


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
    list_display = ["name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [ActorIdentifierInline]


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "kind", "publisher", "published_on"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["checksum", "letters_from_here", "quotes_in_text"]

    @admin.display(description="Quotes")
    def quotes_in_text(self, source):
        if source is None or source.pk is None:
            return "None yet."
        return format_html(
            '<a href="{}">See the text with every quote in it highlighted</a>',
            reverse("admin:archive_source_quotes", args=[source.pk]),
        )

    def get_urls(self):
        quotes = path(
            "<path:object_id>/quotes/",
            self.admin_site.admin_view(self.quotes_view),
            name="archive_source_quotes",
        )
        return [quotes, *super().get_urls()]

    def quotes_view(self, request, object_id):
        """The source's text with every quote resting on it highlighted, overlaps shaded by depth,
        each ending in a link to its row: claims, requested actions, responses and evidence."""
        if not self.is_key(object_id):
            raise Http404("There is no source with that id.")
        source = self.get_object(request, object_id)
        if source is None:
            raise Http404("There is no source with that id.")
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        spans, orphans, counts = [], [], []
        for model in quotation_models():  # one query each, however many quotes
            meta = model._meta
            rows = model._default_manager.filter(source=source).only(
                "pk", "quote_start", "quote_end", "quote_exact", "is_orphan"
            )
            url = f"admin:{meta.app_label}_{meta.model_name}_change"
            found = 0
            for row in rows:
                found += 1
                label = f"{meta.verbose_name.capitalize()} {row.pk}"
                if row.is_orphan:
                    orphans.append((label, reverse(url, args=[row.pk]), row.quote_exact))
                    continue
                spans.append(
                    Span(
                        row.quote_start,
                        row.quote_end,
                        f"{meta.model_name}-{row.pk}",
                        label,
                        reverse(url, args=[row.pk]),
                        f"kind-{meta.model_name}",
                    )
                )
            counts.append((meta.verbose_name_plural, found))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Quotes in “{source}”",
            "opts": self.model._meta,
            "original": source,
            "text": highlight(source.text, spans),
            "counts": counts,
            "orphans": orphans,
        }
        return TemplateResponse(request, "admin/archive/source/quotes.html", context)

    @admin.display(description="Letters")
    def letters_from_here(self, source):
        """The letters known through this source, and the way to add the next one from it."""
        if source is None or source.pk is None:
            return "Save the source first; then make its letter from here."
        known = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:archive_letter_change", args=[letter.pk]), letter.title)
                for letter in source.letters.order_by("date_earliest", "title")
            ),
        )
        return format_html(
            '{}<p><a class="addlink" href="{}?sources={}">Make a letter from this source</a></p>',
            known or "None yet.",
            reverse("admin:archive_letter_add"),
            source.pk,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "text" in form.changed_data:
            messages.info(
                request,
                "The text changed: every quote in it was re-anchored. Quotes no longer found are listed "
                "under “Orphaned quotes”.",
            )


class RecipientInline(TabularInline):
    model = Recipient
    autocomplete_fields = ["actor"]
    extra = 1


class RequestedActionInline(StackedInline):
    model = RequestedAction
    autocomplete_fields = ["addressees"]
    fields = [
        "position",
        "summary",
        "addressees",
        "source",
        "quote_exact",
        "quote_prefix",
        "quote_suffix",
        "outcome",
        "outcome_note",
    ]


def date_preview(value, inferred=False):
    """How an EDTF date will read on the archive's pages and what it says is known, or what is wrong."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > Letter._meta.get_field("date_edtf").max_length:
        return "Too long for a date."
    try:
        meaning = date_meaning(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return f"Reads “{describe_edtf(value, inferred)}”: {meaning}."


class DatePreviewInput(forms.TextInput):
    """The EDTF date, with its preview beside it: written with the page, then kept up to date as
    the editor types by static/js/date-preview.js, from the server's own reading of it."""

    preview_url = ""

    class Media:
        js = ["js/date-preview.js"]
        css = {"all": ["css/admin-workbench.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<output class="date-preview" for="{}" data-preview-url="{}" aria-live="polite">'
            "{}</output>",
            field,
            (attrs or {}).get("id", ""),
            self.preview_url,
            date_preview(value),
        )


class LetterForm(ChangeReasonForm):
    def clean(self):
        cleaned = super().clean()
        publishing = cleaned.get("published") and (
            self.instance.pk is None or not self.instance.published
        )
        withdrawing = (
            self.instance.pk and self.instance.published and cleaned.get("published") is False
        )
        if (publishing or withdrawing) and not cleaned.get("change_reason"):
            what = "publish this letter" if publishing else "return this letter to draft"
            self.add_error(
                "change_reason", f"Say why you {what}: the reason is kept in its history."
            )
        return cleaned


@admin.register(Letter)
class LetterAdmin(RestoreDeletedAdmin):
    form = LetterForm
    list_display = ["title", "date_edtf", "date_inferred", "sender", "published"]
    list_filter = ["published", "date_inferred", ("sender", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "date_earliest"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sender", "signatory", "sources"]
    list_select_related = ["sender"]
    readonly_fields = ["date_earliest", "date_latest"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "sender", "signatory", "summary", "sources"]}),
        (
            "Date",
            {"fields": ["date_edtf", "date_inferred", "date_note", "date_earliest", "date_latest"]},
        ),
        (
            "Publication",
            {
                "fields": ["published"],
                "description": "A new letter starts as a draft. Tick “Published” when its claims are "
                "tagged and checked, and say why below: the reason is kept in the history.",
            },
        ),
        (None, {"fields": ["change_reason"]}),
    ]
    # claims/admin.py re-registers Letter with a claims inline (archive never imports claims).
    inlines = [RecipientInline, RequestedActionInline]

    def get_changeform_initial_data(self, request):
        """A letter made here is a draft until an editor publishes it."""
        return {"published": False, **super().get_changeform_initial_data(request)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "date_edtf":
            widget = DatePreviewInput(attrs={"size": 30})
            widget.preview_url = reverse("admin:archive_letter_date_preview")
            kwargs["widget"] = widget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        preview = path(
            "date-preview/",
            self.admin_site.admin_view(self.date_preview_view),
            name="archive_letter_date_preview",
        )
        return [preview, *super().get_urls()]

    def date_preview_view(self, request):
        """`?edtf=…&inferred=1`: {"preview": "Reads “4 January 2026”: day, month and year known."}"""
        inferred = request.GET.get("inferred") == "1"
        return JsonResponse({"preview": date_preview(request.GET.get("edtf", ""), inferred)})


@admin.register(Recipient)
class RecipientAdmin(HistoryAdmin):
    list_display = ["actor", "role", "letter"]
    list_filter = ["role"]
    search_fields = ["actor__name", "letter__title"]
    autocomplete_fields = ["letter", "actor"]
    list_select_related = ["actor", "letter"]


@admin.register(ActorIdentifier)
class ActorIdentifierAdmin(HistoryAdmin):
    list_display = ["actor", "scheme", "value"]
    list_filter = ["scheme"]
    search_fields = ["actor__name", "value"]
    autocomplete_fields = ["actor"]
    list_select_related = ["actor"]


@admin.register(RequestedAction)
class RequestedActionAdmin(HistoryAdmin):
    list_display = ["summary", "letter", "position", "outcome", "is_orphan"]
    list_filter = ["outcome", "is_orphan", ("letter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "quote_exact"]
    autocomplete_fields = ["letter", "addressees", "source"]
    list_select_related = ["letter"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]
