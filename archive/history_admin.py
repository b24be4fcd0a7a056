"""Admin base that records who changed what and why, inlines included.

Every change form gets a "reason for this change" field; its text is stored as the
history change reason of the object and of every inline row saved with it. The user
comes from simple_history's request middleware.
"""
from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ChangeReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Kept in the history with your name, e.g. “Pakistan's rejection added from the report”.",
    )


class HistoryAdmin(SimpleHistoryAdmin):
    form = ChangeReasonForm

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
