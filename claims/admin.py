from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path

from archive.admin import LetterAdmin
from archive.history_admin import ChangeReasonForm, HistoryAdmin, RestoreDeletedAdmin, StackedInline
from archive.models import Letter, quotation_models

from .models import Claim, Evidence, Response, VerificationStatus, check_status_backed
from .statuses import set_status

QUOTE_FIELDS = ["source", "quote_exact", "quote_prefix", "quote_suffix"]


class ClaimAdminForm(ChangeReasonForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "status" in self.changed_data and not cleaned.get("change_reason"):
            self.add_error("change_reason", "Say why the status changed; the reason is kept in the public timeline.")
        return cleaned


class ResponseInlineFormSet(BaseInlineFormSet):
    """A claim whose status names a party needs that party's opposing response."""

    def clean(self):
        super().clean()
        stances = [
            form.cleaned_data.get("stance")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_status_backed(self.instance.status if self.instance.status_id else None, stances)
        except ValidationError as error:
            raise ValidationError(error.messages)


class ClaimInLetterFormSet(BaseInlineFormSet):
    """From the letter page, a claim can only take a disputed status it already has responses for."""

    def clean(self):
        super().clean()
        for form in self.forms:
            status = form.cleaned_data.get("status") if form.cleaned_data else None
            if status is None or form.cleaned_data.get("DELETE"):
                continue
            claim = form.instance
            stances = list(claim.responses.values_list("stance", flat=True)) if claim.pk else []
            try:
                check_status_backed(status, stances)
            except ValidationError as error:
                form.add_error("status", error)


class ResponseInline(StackedInline):
    model = Response
    formset = ResponseInlineFormSet
    fk_name = "claim"
    autocomplete_fields = ["actor", "source"]
    fields = ["actor", "stance", "statement", "responded_on", *QUOTE_FIELDS]


class EvidenceInline(StackedInline):
    model = Evidence
    autocomplete_fields = ["source"]
    fields = ["relation", "note", *QUOTE_FIELDS]


class ClaimInline(StackedInline):
    model = Claim
    formset = ClaimInLetterFormSet
    autocomplete_fields = ["about"]
    fields = ["key", "position", "statement", "kind", "status", "about", *QUOTE_FIELDS]


class LetterResponseInline(StackedInline):
    model = Response
    fk_name = "letter"
    autocomplete_fields = ["actor", "source"]
    fields = ["actor", "stance", "statement", "responded_on", *QUOTE_FIELDS]
    verbose_name = "response to the whole letter"
    verbose_name_plural = "responses to the whole letter"


class DeletesClaimsWithTheirResponses:
    """A response that alone backs a disputed claim may not be deleted on its own (ResponseAdmin);
    deleted with its claim or letter, it leaves nothing unbacked."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if request.user.has_perm("claims.delete_response"):
            perms_needed.discard(Response._meta.verbose_name)
        return deleted, counts, perms_needed, protected


class LetterWithClaimsAdmin(DeletesClaimsWithTheirResponses, LetterAdmin):
    inlines = [*LetterAdmin.inlines, ClaimInline, LetterResponseInline]


admin.site.unregister(Letter)
admin.site.register(Letter, LetterWithClaimsAdmin)


class SetStatusForm(forms.Form):
    status = forms.ModelChoiceField(queryset=VerificationStatus.objects.all(), label="New status")
    reason = forms.CharField(
        max_length=100, label="Reason", help_text="Kept in every claim's public status timeline with your name."
    )


@admin.register(Claim)
class ClaimAdmin(DeletesClaimsWithTheirResponses, RestoreDeletedAdmin):
    form = ClaimAdminForm
    change_list_template = "admin/claims/claim/change_list.html"
    list_display = ["__str__", "letter", "status", "kind", "is_orphan"]
    list_filter = [
        "status",
        "kind",
        "is_orphan",
        ("letter", admin.RelatedOnlyFieldListFilter),
        ("about", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["statement", "quote_exact", "key", "letter__title"]
    autocomplete_fields = ["letter", "about", "source"]
    list_select_related = ["letter", "status"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan", "status_changed_at"]
    fieldsets = [
        (None, {"fields": ["letter", "key", "position", "statement", "kind", "about"]}),
        ("Verification", {"fields": ["status", "status_note", "status_changed_at", "change_reason"]}),
        ("Quote in the source", {"fields": [*QUOTE_FIELDS, "quote_start", "quote_end", "is_orphan"]}),
    ]
    inlines = [ResponseInline, EvidenceInline]
    actions = ["set_status_action"]
    STATUS_FIELDS = ["status", "status_note"]  # what a reviewer (set_claim_status, not change_claim) may change

    @staticmethod
    def may_change_text(request):
        return request.user.has_perm("claims.change_claim")

    def has_set_status_permission(self, request, obj=None):
        return request.user.has_perm("claims.set_claim_status")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.has_set_status_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.may_change_text(request)  # a revert rewrites the text, not just the status

    def get_readonly_fields(self, request, obj=None):
        if self.may_change_text(request):
            return self.readonly_fields
        fields = [field for _, options in self.fieldsets for field in options["fields"] if field != "change_reason"]
        return [field for field in fields if field not in self.STATUS_FIELDS]

    def get_urls(self):
        return [
            path("orphans/", self.admin_site.admin_view(self.orphans_view), name="claims_claim_orphans"),
            *super().get_urls(),
        ]

    def orphans_view(self, request):
        """Every quote, of any kind, no longer found in its source."""
        groups = []
        for model in quotation_models():
            if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
                continue
            rows = model.objects.filter(is_orphan=True).select_related("source").order_by("pk")
            groups.append((model._meta, list(rows)))
        context = {**self.admin_site.each_context(request), "title": "Orphaned quotes", "groups": groups}
        return TemplateResponse(request, "admin/claims/claim/orphans.html", context)

    @admin.action(description="Set the status of the selected claims…", permissions=["set_status"])
    def set_status_action(self, request, queryset):
        form = SetStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                changed = set_status(queryset, form.cleaned_data["status"], form.cleaned_data["reason"], request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                return None
            self.message_user(request, f"Status set on {changed} claim(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Set the status of the selected claims",
            "form": form,
            "claims": queryset.select_related("status"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/set_status.html", context)


def backs_a_dispute_alone(response):
    """True if removing or weakening this response would leave its disputed claim unbacked."""
    claim = response.claim
    if claim is None or not claim.status.requires_dispute:
        return False
    others = claim.responses.exclude(pk=response.pk).values_list("stance", flat=True)
    return not set(others) & set(Response.Stance.opposing())


class ResponseAdminForm(ChangeReasonForm):
    def clean(self):
        cleaned = super().clean()
        original = Response.objects.filter(pk=self.instance.pk).select_related("claim__status").first()
        moved_or_softened = original and (
            cleaned.get("claim") != original.claim or cleaned.get("stance") not in Response.Stance.opposing()
        )
        if moved_or_softened and backs_a_dispute_alone(original):
            raise ValidationError(
                "This is the only response disputing its claim, whose status is “Disputed”. "
                "Change the claim's status first."
            )
        return cleaned


@admin.register(Response)
class ResponseAdmin(HistoryAdmin):
    form = ResponseAdminForm

    def has_delete_permission(self, request, obj=None):
        if obj is not None and backs_a_dispute_alone(obj):
            return False  # the only response behind a disputed claim: change the status first
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion could remove the responses disputed claims rest on.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    list_display = ["__str__", "claim", "letter", "is_orphan"]
    list_filter = ["stance", "is_orphan", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["statement", "quote_exact", "actor__name"]
    autocomplete_fields = ["claim", "letter", "actor", "source"]
    list_select_related = ["actor", "claim", "letter"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ["__str__", "claim", "is_orphan"]
    list_filter = ["relation", "is_orphan"]
    search_fields = ["note", "quote_exact"]
    autocomplete_fields = ["claim", "source"]
    list_select_related = ["claim", "source"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]


@admin.register(VerificationStatus)
class VerificationStatusAdmin(HistoryAdmin):
    list_display = ["label", "slug", "rating_value", "requires_dispute", "position"]
    prepopulated_fields = {"slug": ["label"]}
