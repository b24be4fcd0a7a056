from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.highlight import Span, highlight
from core.widgets import LivePreview
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


WORKBENCH = "_workbench"  # in an add form's address: saving it returns to the source's quotes
# The workbench offers the kinds of quote in the order an editor tags a letter: claims first.
WORKBENCH_ORDER = ["claim", "requestedaction", "response", "evidence"]


def workbench_order(model):
    name = model._meta.model_name
    return WORKBENCH_ORDER.index(name) if name in WORKBENCH_ORDER else len(WORKBENCH_ORDER)


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
            # Labels as attributes: the element's text is the source's, so a selection's offsets are.
            "text": highlight(source.text, spans, label_as_text=False),
            "counts": counts,
            "orphans": orphans,
            "new_quotes": self.new_quote_links(request, source),
        }
        return TemplateResponse(request, "admin/archive/source/quotes.html", context)

    def new_quote_links(self, request, source):
        """(label, add-form address) for each kind of quote this editor may add: the workbench's
        script adds the selection to the address, the form opens filled in, and saving it
        returns here (ReturnsToWorkbench)."""
        letters = list(source.letters.values_list("pk", flat=True)[:2])
        links = []
        for model in sorted(quotation_models(), key=workbench_order):
            if not self.admin_site.is_registered(model):
                continue
            if not self.admin_site.get_model_admin(model).has_add_permission(request):
                continue
            meta = model._meta
            query = {"source": source.pk, WORKBENCH: "1"}
            # The letter, where a quote of this kind must belong to one (not a response: to a
            # claim or to the whole letter, the editor says which).
            if len(letters) == 1 and any(f.name == "letter" and not f.null for f in meta.fields):
                query["letter"] = letters[0]
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            links.append((f"New {meta.verbose_name}", f"{url}?{urlencode(query)}"))
        return links

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


class ReturnsToWorkbench:
    """For the admin of a kind of quote: opened from the workbench (a source's quotes, with a
    selection filled in), saving returns there, to the new highlight."""

    def get_changeform_initial_data(self, request):
        """Opened for a letter, a quote that has a place in the letter's order comes next in it."""
        initial = super().get_changeform_initial_data(request)
        letter = request.GET.get("letter", "")
        ordered = any(field.name == "position" for field in self.model._meta.fields)
        is_key = letter.isascii() and letter.isdigit() and len(letter) < 19
        if ordered and "position" not in initial and is_key:
            last = self.model._default_manager.filter(letter_id=int(letter)).aggregate(
                last=Max("position")
            )["last"]
            initial["position"] = (last or 0) + 1
        return initial

    def response_add(self, request, obj, post_url_continue=None):
        opened_from_workbench = request.GET.get(WORKBENCH) == "1"
        if (
            not opened_from_workbench
            or "_continue" in request.POST
            or "_addanother" in request.POST
        ):
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, f"The {obj._meta.verbose_name} “{obj}” was added.")
        quotes = reverse("admin:archive_source_quotes", args=[obj.source_id])
        return HttpResponseRedirect(f"{quotes}#{obj._meta.model_name}-{obj.pk}")


class RecipientInline(StackedInline):  # stacked: each field keeps its own <label>
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


class DatePreviewInput(LivePreview, forms.TextInput):
    """The EDTF date, with how it will read and what it says is known beside it."""

    preview_class = "date-preview"
    also = ["id_date_inferred"]

    def preview(self, value):
        return date_preview(value)


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
        """`?date_edtf=…&date_inferred=on`: {"preview": "Reads “4 January 2026”: day, month and
        year known."}, the form's own field names (core.widgets.LivePreview)."""
        inferred = bool(request.GET.get("date_inferred"))
        return JsonResponse({"preview": date_preview(request.GET.get("date_edtf", ""), inferred)})


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
class RequestedActionAdmin(ReturnsToWorkbench, HistoryAdmin):
    list_display = ["summary", "letter", "position", "outcome", "is_orphan"]
    list_filter = ["outcome", "is_orphan", ("letter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "quote_exact"]
    autocomplete_fields = ["letter", "addressees", "source"]
    list_select_related = ["letter"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]
