from django.contrib import admin, messages

from history.admin import HistoryAdmin, RestoreDeletedAdmin, StackedInline, TabularInline

from .models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source

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
    readonly_fields = ["checksum"]

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


@admin.register(Letter)
class LetterAdmin(RestoreDeletedAdmin):
    list_display = ["title", "date_edtf", "date_inferred", "sender"]
    list_filter = ["date_inferred", ("sender", admin.RelatedOnlyFieldListFilter)]
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
        (None, {"fields": ["change_reason"]}),
    ]
    # claims/admin.py re-registers Letter with a claims inline (archive never imports claims).
    inlines = [RecipientInline, RequestedActionInline]


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
