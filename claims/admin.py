from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from archive.admin import LetterAdmin, ReturnsToWorkbench
from archive.models import Letter, Source, quotation_models
from core.widgets import LivePreview
from history.admin import (
    ChangeReasonForm,
    HistoryAdmin,
    RestoreDeletedAdmin,
    StackedInline,
    TabularInline,
)

from .matching import confirm, reject, suggestions_for_letter
from .models import (
    Claim,
    Evidence,
    Recurrence,
    RecurringAssertion,
    RejectedMatch,
    Response,
    VerificationStatus,
    attribute,
    basis_problems,
)
from .statuses import change_status, set_status

QUOTE_FIELDS = ["source", "quote_exact", "quote_prefix", "quote_suffix"]


class SetsStatus:
    """A claim form, on the claim's page or its letter's: its signed-in editor (`editor`, set per
    request by the admin) reviews the claim when its status becomes the editors' own assessment,
    and the status it sets is given through change_status."""

    editor = None

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status.basis == VerificationStatus.Basis.EDITORS:
            if "status" in self.changed_data or not self.instance.reviewed_by_id:
                self.instance.reviewed_by = self.editor
        return cleaned

    def save(self, commit=True):
        claim = self.instance
        if not self.errors:  # a form with errors is refused by ModelForm.save
            # Validating asked basis_problems already: Claim.clean, and the inline formsets with
            # the responses and evidence as submitted, which are written after the claim.
            change_status(
                claim,
                claim.status,
                source=claim.status_source,
                words=claim.status_quote,
                reviewer=claim.reviewed_by,
                checked=True,
            )
        return super().save(commit)


def letter_named_in(request):
    """The letter a request's `letter` parameter names, if it is an id of one; else None."""
    value = request.GET.get("letter", "")
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        return None
    return Letter.objects.select_related("sender").filter(pk=value).first()


def attribution_preview(letter, statement):
    """The statement as the public pages will attribute it ("…" for what is not known yet)."""
    statement = (statement or "").strip()
    sender = letter.sender.name if letter is not None else "…"
    return f"Reads: “{attribute(sender, statement or '…')}”"


class StatementPreviewInput(LivePreview, forms.Textarea):
    """The statement, with the sentence the public pages will make of it beside it."""

    preview_class = "statement-preview"
    also = ["id_letter"]
    letter = None  # the claim's letter, when the form knows it

    def preview(self, value):
        return attribution_preview(self.letter, value)


class ClaimAdminForm(SetsStatus, ChangeReasonForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "status" in self.changed_data and not cleaned.get("change_reason"):
            self.add_error(
                "change_reason",
                "Say why the status changed; the reason is kept in the public timeline.",
            )
        return cleaned


class ClaimInLetterForm(SetsStatus, forms.ModelForm):
    """A claim on its letter's page, reviewed by the signed-in editor as on its own page."""


class BasisInlineFormSet(BaseInlineFormSet):
    """The claim's responses or evidence, refused if the claim's status would lose its basis.

    `basis_part` names the part of the basis these rows hold ("responses" or "evidence").
    """

    basis_part = None

    def clean(self):
        super().clean()
        claim = self.instance
        if not claim.status_id:
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if self.basis_part == "responses":
            problems = basis_problems(
                claim.status, claim, stances=[row.get("stance") for row in rows]
            )
        else:
            problems = basis_problems(
                claim.status, claim, evidence=[row.get("relation") for row in rows]
            )
        if self.basis_part in problems:
            raise ValidationError(problems[self.basis_part])


class ResponseInlineFormSet(BasisInlineFormSet):
    basis_part = "responses"


class EvidenceInlineFormSet(BasisInlineFormSet):
    basis_part = "evidence"


class ClaimInLetterFormSet(BaseInlineFormSet):
    """From the letter page, a claim can only take a status whose responses and evidence it already has."""

    def clean(self):
        super().clean()
        for form in self.forms:
            status = form.cleaned_data.get("status") if form.cleaned_data else None
            if status is None or form.cleaned_data.get("DELETE"):
                continue
            problems = basis_problems(status, form.instance)
            for part in ("responses", "evidence"):
                if part in problems:
                    form.add_error("status", problems[part])


class ResponseInline(StackedInline):
    model = Response
    formset = ResponseInlineFormSet
    fk_name = "claim"
    autocomplete_fields = ["actor", "source"]
    fields = ["actor", "stance", "statement", "responded_on", *QUOTE_FIELDS]


class EvidenceInline(StackedInline):
    model = Evidence
    formset = EvidenceInlineFormSet
    autocomplete_fields = ["source"]
    fields = ["relation", "note", *QUOTE_FIELDS]


class ClaimInline(StackedInline):
    model = Claim
    form = ClaimInLetterForm
    formset = ClaimInLetterFormSet
    autocomplete_fields = ["about", "status_source"]
    fields = [
        "key",
        "position",
        "statement",
        "kind",
        "status",
        "status_source",
        "status_quote",
        "about",
        *QUOTE_FIELDS,
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user  # a form class made for this request alone
        return formset


class LetterResponseInline(StackedInline):
    model = Response
    fk_name = "letter"
    autocomplete_fields = ["actor", "source"]
    fields = ["actor", "stance", "statement", "responded_on", *QUOTE_FIELDS]
    verbose_name = "response to the whole letter"
    verbose_name_plural = "responses to the whole letter"


class RecurrenceInline(StackedInline):
    """On a claim's page: the recurring assertion it makes, if the editors found one, and why."""

    model = Recurrence
    fk_name = "claim"
    max_num = 1
    autocomplete_fields = ["assertion"]
    fields = ["assertion", "reason", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    verbose_name = "recurring assertion this claim makes"
    verbose_name_plural = "recurring assertion"


class AssertionRecurrenceInline(TabularInline):
    """On a recurring assertion's page: the claims confirmed to make it."""

    model = Recurrence
    fk_name = "assertion"
    autocomplete_fields = ["claim"]
    fields = ["claim", "reason", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    verbose_name = "claim making it"
    verbose_name_plural = "claims making it"


class RecordsWhoConfirmed:
    """A recurrence added or changed in the admin is the signed-in editor's decision, made now."""

    def save_formset(self, request, form, formset, change):
        if formset.model is Recurrence:
            for row in formset.forms:
                if row.has_changed() and not formset._should_delete_form(row):
                    row.instance.confirmed_by = request.user
                    row.instance.confirmed_at = timezone.now()
        super().save_formset(request, form, formset, change)


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


class LetterChooser(forms.Form):
    """Which letter's claims to find matches for: its address name, else the newest letter."""

    letter = forms.SlugField(
        required=False,
        max_length=Letter._meta.get_field("slug").max_length,
        help_text="The letter's address name (the last part of /letters/…/); the newest letter if empty.",
    )

    def chosen(self):
        slug = self.cleaned_data.get("letter") if self.is_valid() else None
        if slug:
            found = Letter.objects.filter(slug=slug).first()
            if found is None:
                self.add_error("letter", f"No letter has the address name “{slug}”.")
            return found
        return Letter.objects.order_by("-pk").first()


class MatchDecisionForm(forms.Form):
    """An editor's answer to one suggestion: the same assertion, or not, and why."""

    SAME, DIFFERENT = "same", "different"
    claim = forms.ModelChoiceField(Claim.objects.all(), widget=forms.HiddenInput)
    other = forms.ModelChoiceField(Claim.objects.all(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[(SAME, "The same assertion"), (DIFFERENT, "Not the same assertion")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Kept with your name: why they are, or are not, the same assertion.",
    )
    title = forms.CharField(
        required=False,
        max_length=RecurringAssertion._meta.get_field("title").max_length,
        label="Wording of a new recurring assertion",
        help_text="Only when neither claim makes one yet: what the letters assert, to follow “… claim that …”.",
    )

    def carry_out(self, editor):
        data = self.cleaned_data
        try:
            if data["decision"] == self.SAME:
                assertion = confirm(
                    data["claim"], data["other"], data["reason"], editor, data["title"]
                )
                return f"Both claims now make the recurring assertion {assertion}."
            reject(data["claim"], data["other"], data["reason"], editor)
        except IntegrityError:  # another editor decided on one of them a moment before
            raise ValidationError(
                "Another editor has just decided on one of these claims; nothing was recorded. "
                "Reload the suggestions."
            ) from None
        return "Recorded as not the same assertion; the pair will not be suggested again."


class SetStatusForm(forms.Form):
    status = forms.ModelChoiceField(queryset=VerificationStatus.objects.all(), label="New status")
    reason = forms.CharField(
        max_length=100,
        label="Reason",
        help_text="Kept in every claim's public status timeline with your name.",
    )
    status_source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("title"),
        required=False,
        label="Source reporting the status",
        help_text=(
            "For a status a source reports (e.g. “Could not be independently verified”): "
            "the source that says it."
        ),
    )
    status_quote = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="The source's words",
        help_text="Copied exactly from that source; shown with the status on every claim.",
    )


@admin.register(Claim)
class ClaimAdmin(
    RecordsWhoConfirmed, ReturnsToWorkbench, DeletesClaimsWithTheirResponses, RestoreDeletedAdmin
):
    form = ClaimAdminForm
    change_list_template = "admin/claims/claim/change_list.html"
    list_display = ["__str__", "letter", "status", "kind", "is_orphan"]
    list_filter = [
        "status",
        "kind",
        "is_orphan",
        ("letter", admin.RelatedOnlyFieldListFilter),
        ("about", admin.RelatedOnlyFieldListFilter),
        ("recurrence__assertion", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["statement", "quote_exact", "key", "letter__title"]
    autocomplete_fields = ["letter", "about", "source", "status_source"]
    prepopulated_fields = {"key": ["statement"]}  # on a new claim, until the editor edits the key
    list_select_related = ["letter__sender", "status"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan", "status_changed_at", "reviewed_by"]
    fieldsets = [
        (None, {"fields": ["letter", "key", "position", "statement", "kind", "about"]}),
        (
            "Verification",
            {
                "description": "A status says whose it is: a source's report (give the source and its words), "
                "a party's response (add it below), or your own assessment (add the evidence below; you are "
                "recorded as the reviewing editor). The rule is on the public statuses page.",
                "fields": [
                    "status",
                    "status_source",
                    "status_quote",
                    "status_note",
                    "reviewed_by",
                    "status_changed_at",
                    "change_reason",
                ],
            },
        ),
        (
            "Quote in the source",
            {"fields": [*QUOTE_FIELDS, "quote_start", "quote_end", "is_orphan"]},
        ),
    ]
    inlines = [ResponseInline, EvidenceInline, RecurrenceInline]
    actions = ["set_status_action"]
    STATUS_FIELDS = [
        "status",
        "status_source",
        "status_quote",
        "status_note",
    ]  # what a reviewer (set_claim_status, not change_claim) may change

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a class made for this request alone
        statement = form.base_fields.get("statement")
        if statement is not None and isinstance(statement.widget, StatementPreviewInput):
            statement.widget.letter = obj.letter if obj else letter_named_in(request)
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            widget = StatementPreviewInput(attrs={"rows": 3, "cols": 60})
            widget.preview_url = reverse("admin:claims_claim_attribution_preview")
            kwargs["widget"] = widget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        """A new claim starts "not yet assessed": most are, when a letter is first tagged."""
        initial = super().get_changeform_initial_data(request)
        if "status" not in initial:
            unassessed = VerificationStatus.objects.filter(slug="unassessed").first()
            if unassessed is not None:
                initial["status"] = unassessed.pk
        return initial

    def attribution_preview_view(self, request):
        """`?letter=<id>&statement=…`: {"preview": "Reads: “The letter from … claims that …”"}"""
        return JsonResponse(
            {"preview": attribution_preview(letter_named_in(request), request.GET.get("statement"))}
        )

    def get_queryset(self, request):
        # A claim's name is its attribution, which names the sender: autocomplete lists twenty of them.
        # (Django's change list adds list_select_related only to a queryset that has none, so it is repeated.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    @staticmethod
    def may_change_text(request):
        return request.user.has_perm("claims.change_claim")

    def has_set_status_permission(self, request, obj=None):
        return request.user.has_perm("claims.set_claim_status")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.has_set_status_permission(
            request, obj
        )

    def has_change_history_permission(self, request, obj=None):
        return self.may_change_text(request)  # a revert rewrites the text, not just the status

    def get_prepopulated_fields(self, request, obj=None):
        # A reviewer's form shows the key read-only: nothing to fill in.
        return (
            super().get_prepopulated_fields(request, obj) if self.may_change_text(request) else {}
        )

    def get_readonly_fields(self, request, obj=None):
        if self.may_change_text(request):
            return self.readonly_fields
        fields = [
            field
            for _, options in self.fieldsets
            for field in options["fields"]
            if field != "change_reason"
        ]
        return [field for field in fields if field not in self.STATUS_FIELDS]

    def get_urls(self):
        return [
            path(
                "suggested-recurrences/",
                self.admin_site.admin_view(self.suggestions_view),
                name="claims_claim_suggestions",
            ),
            path(
                "orphans/",
                self.admin_site.admin_view(self.orphans_view),
                name="claims_claim_orphans",
            ),
            path(
                "attribution-preview/",
                self.admin_site.admin_view(self.attribution_preview_view),
                name="claims_claim_attribution_preview",
            ),
            *super().get_urls(),
        ]

    def suggestions_view(self, request):
        """Claims of other letters that use the same distinctive words as a letter's claims, for
        the editor to confirm as one recurring assertion or reject, each with a reason."""
        if not (
            request.user.has_perm("claims.add_recurrence")
            and request.user.has_perm("claims.add_rejectedmatch")
        ):
            raise PermissionDenied
        chooser = LetterChooser(request.GET or None)
        letter = chooser.chosen()
        decision = MatchDecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and decision.is_valid():
            try:
                message = decision.carry_out(request.user)
            except ValidationError as error:
                decision.add_error(None, error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(f"{request.path}?letter={letter.slug}" if letter else request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Suggested recurrences",
            "opts": self.model._meta,
            "chooser": chooser,
            "letter": letter,
            "decision": decision,
            "suggestions": suggestions_for_letter(letter) if letter else [],
        }
        status = 400 if decision.is_bound and decision.errors else 200
        return TemplateResponse(
            request, "admin/claims/claim/suggestions.html", context, status=status
        )

    def orphans_view(self, request):
        """Every quote, of any kind, no longer found in its source."""
        groups = []
        for model in quotation_models():
            if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
                continue
            rows = model.objects.filter(is_orphan=True).select_related("source").order_by("pk")
            groups.append((model._meta, list(rows)))
        context = {
            **self.admin_site.each_context(request),
            "title": "Orphaned quotes",
            "groups": groups,
        }
        return TemplateResponse(request, "admin/claims/claim/orphans.html", context)

    @admin.action(description="Set the status of the selected claims…", permissions=["set_status"])
    def set_status_action(self, request, queryset):
        form = SetStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                changed = set_status(
                    queryset,
                    form.cleaned_data["status"],
                    form.cleaned_data["reason"],
                    request.user,
                    source=form.cleaned_data["status_source"],
                    words=form.cleaned_data["status_quote"],
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                return None
            self.message_user(request, f"Status set on {changed} claim(s).", messages.SUCCESS)
            if unchanged := queryset.count() - changed:
                self.message_user(
                    request,
                    f"{unchanged} claim(s) already had this status and were left as they are, basis "
                    "included; change one on its own page to give it another basis.",
                    messages.WARNING,
                )
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


def backs_a_status_alone(row):
    """True if removing, moving or weakening this response or evidence row would leave its claim's status unbacked."""
    claim = row.claim
    if claim is None:
        return False
    if isinstance(row, Response):
        problems = basis_problems(
            claim.status,
            claim,
            stances=claim.responses.exclude(pk=row.pk).values_list("stance", flat=True),
        )
        return "responses" in problems
    problems = basis_problems(
        claim.status,
        claim,
        evidence=claim.evidence.exclude(pk=row.pk).values_list("relation", flat=True),
    )
    return "evidence" in problems


class BasisRowAdminForm(ChangeReasonForm):
    """A response or evidence row edited on its own page: refused if its claim's status rests on it alone."""

    kept_if = None  # the field, and the values of it, that keep the row backing its claim

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        original = model.objects.filter(pk=self.instance.pk).select_related("claim__status").first()
        field, values = self.kept_if
        moved_or_softened = original and (
            cleaned.get("claim") != original.claim or cleaned.get(field) not in values
        )
        if moved_or_softened and backs_a_status_alone(original):
            raise ValidationError(
                f"This {model._meta.verbose_name} is what the status “{original.claim.status.label}” of its claim "
                "rests on. Change the claim's status first."
            )
        return cleaned


class ResponseAdminForm(BasisRowAdminForm):
    kept_if = ("stance", Response.Stance.opposing())


class EvidenceAdminForm(BasisRowAdminForm):
    kept_if = ("relation", Evidence.Relation.assessing())


class GuardsClaimBasis:
    """Response and evidence admins: no deleting the row a claim's status rests on alone."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and backs_a_status_alone(obj):
            return False  # change the claim's status first
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion could remove the rows statuses rest on.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Response)
class ResponseAdmin(ReturnsToWorkbench, GuardsClaimBasis, HistoryAdmin):
    form = ResponseAdminForm
    list_display = ["__str__", "claim", "letter", "is_orphan"]
    list_filter = ["stance", "is_orphan", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["statement", "quote_exact", "actor__name"]
    autocomplete_fields = ["claim", "letter", "actor", "source"]
    list_select_related = ["actor", "claim", "letter"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]


@admin.register(Evidence)
class EvidenceAdmin(ReturnsToWorkbench, GuardsClaimBasis, HistoryAdmin):
    form = EvidenceAdminForm
    list_display = ["__str__", "claim", "is_orphan"]
    list_filter = ["relation", "is_orphan"]
    search_fields = ["note", "quote_exact"]
    autocomplete_fields = ["claim", "source"]
    list_select_related = ["claim", "source"]
    readonly_fields = ["quote_start", "quote_end", "is_orphan"]


class VerificationStatusAdminForm(ChangeReasonForm):
    def clean_basis(self):
        basis = self.cleaned_data["basis"]
        if self.instance.pk and basis != self.instance.basis and self.instance.claims.exists():
            raise ValidationError(
                "Claims have this status: its basis cannot change. Make a new status instead."
            )
        return basis


@admin.register(VerificationStatus)
class VerificationStatusAdmin(HistoryAdmin):
    form = VerificationStatusAdminForm
    list_display = ["label", "slug", "basis", "rating_value", "position"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(RecurringAssertion)
class RecurringAssertionAdmin(RecordsWhoConfirmed, HistoryAdmin):
    list_display = ["title", "slug", "claims_making_it"]
    search_fields = ["title", "slug", "note"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AssertionRecurrenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("recurrences"))

    @admin.display(description="claims making it", ordering="claim_count")
    def claims_making_it(self, assertion):
        return assertion.claim_count


@admin.register(RejectedMatch)
class RejectedMatchAdmin(HistoryAdmin):
    """Pairs editors found not to make the same assertion; delete one to have it suggested again."""

    list_display = ["__str__", "reason", "decided_by", "decided_at"]
    autocomplete_fields = ["first", "second"]
    readonly_fields = ["decided_by", "decided_at"]

    def save_model(self, request, obj, form, change):
        obj.decided_by = request.user
        obj.decided_at = timezone.now()
        super().save_model(request, obj, form, change)
