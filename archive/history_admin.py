"""Admin base that records who changed what and why, inlines included.

Every change form gets a "reason for this change" field; its text is stored as the
history change reason of the object and of every inline row saved with it. The user
comes from simple_history's request middleware. Every change form also carries the
version it was opened at, and refuses to save over a newer one (archive/concurrency.py).
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.models import _get_foreign_key
from simple_history.admin import SimpleHistoryAdmin

from .concurrency import describe_conflict, lock, version_of


class ChangeReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Kept in the history with your name, e.g. “Pakistan's rejection added from the report”.",
    )
    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)
    edited_with = ()  # (model, foreign key) of the inline rows saved with this form; set by HistoryAdmin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = version_of(self.instance, self.edited_with)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen:
            lock(self.instance)
            current = version_of(self.instance, self.edited_with)
            if current != seen:
                raise forms.ValidationError(describe_conflict(self.instance, seen, current, self.edited_with))
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    form = ChangeReasonForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.edited_with = [
            (inline.model, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name))
            for inline in self.get_inline_instances(request, obj)
            if hasattr(inline.model, "history")
        ]
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not any("seen_version" in options["fields"] for _, options in fieldsets):
            # Declared fieldsets name only visible fields; the version travels with the form anyway.
            fieldsets = [*fieldsets, (None, {"fields": ["seen_version"], "classes": ["hidden"]})]
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history accepts a revert from anyone who may view the history; only those who
        # may change the object may revert it.
        if request.method == "POST" and not self.has_change_history_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        request.missive_change_reason = form.cleaned_data.get("change_reason") or (
            "Changed in the admin" if change else "Added in the admin"
        )
        obj._change_reason = request.missive_change_reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "missive_change_reason", "Changed in the admin")
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted._change_reason = reason
            deleted.delete()
        for instance in instances:
            instance._change_reason = reason
            instance.save()
        formset.save_m2m()


class ReadableHistoryInline:
    """Inline rows link to their own change page, where their history is."""

    show_change_link = True
    extra = 0


class TabularInline(ReadableHistoryInline, admin.TabularInline):
    pass


class StackedInline(ReadableHistoryInline, admin.StackedInline):
    pass
