"""Admin base that records who changed what and why, inlines included.

Every change form gets a "reason for this change" field; its text is stored as the
history change reason of the object and of every inline row saved with it. The user
comes from simple_history's request middleware. Every change form also carries the
version it was opened at, and refuses to save over a newer one (archive/concurrency.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from history.concurrency import describe_conflict, is_version, lock, version_of
from history.past import as_instance
from history.restore import CannotRestore, deleted, restore, with_parents


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
        seen = cleaned.get("seen_version") or ""
        if self.instance.pk and not is_version(seen, parts=1 + len(self.edited_with)):
            # Without the version it was opened at, a save could silently overwrite another's.
            raise forms.ValidationError(
                f"This form does not say which version of the {self.instance._meta.verbose_name} "
                "it was opened at, so saving it could overwrite another editor's change. Nothing "
                "was saved: reload the page and make your change again."
            )
        if self.instance.pk:
            lock(self.instance)
            current = version_of(self.instance, self.edited_with)
            if current != seen:
                raise forms.ValidationError(
                    describe_conflict(self.instance, seen, current, self.edited_with)
                )
        return cleaned


class ValidChoicesOnly:
    """Django's autocomplete widgets look up the submitted ids when a form is shown again with
    errors; an id that is not one ("<script>", 10**30) made that lookup a 500. Only ids
    the related key could hold are looked up; the form's own error says what was wrong."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta
        key = target.get_field(getattr(self.field.remote_field, "field_name", target.pk.name))
        return super().optgroups(
            name, [choice for choice in value if self.could_be_a_key(key, choice)], attr
        )

    @staticmethod
    def could_be_a_key(key, value):
        try:
            key.run_validators(key.to_python(value))
        except (ValidationError, TypeError, ValueError):
            return False
        return True


class KeysCheckedFirst(forms.ModelMultipleChoiceField):
    """Django asks the database for `pk IN (…)` with whatever was submitted; SQLite cannot even
    take an integer past 64 bits (OverflowError, a 500). Values no key could hold are a form error."""

    def clean(self, value):
        value = self.prepare_value(value)
        if isinstance(value, (list, tuple)):  # anything else is Django's "Enter a list of values."
            opts = self.queryset.model._meta
            key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for choice in value:
                if not ValidChoicesOnly.could_be_a_key(key, choice):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": choice},
                    )
        return super().clean(value)


class SafeAutocompleteSelect(ValidChoicesOnly, AutocompleteSelect):
    """Also valid HTML: Django's widget leaves an optional select's blank <option> empty (it needs
    text) and gives a required one none (its first option must be blank)."""

    BLANK = "---------"

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if self.is_required and not any(option["value"] == "" for option in options):
            chosen = any(option["selected"] for option in options)
            options.insert(0, self.create_option(name, "", self.BLANK, not chosen, 0))
        for option in options:
            if option["value"] == "" and not option["label"]:
                option["label"] = self.BLANK
        return groups


class SafeAutocompleteSelectMultiple(ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteFields:
    """For ModelAdmin and inlines: autocomplete fields with the widgets above, many-to-many fields
    that check their keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeysCheckedFirst)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def foreign_key_to(parent_model, inline):
    """The foreign key by which an inline's rows belong to the parent object: the one named by
    `fk_name`, else the only one to the parent model (Django's admin checks, admin.E202,
    refuse to start when there is none or more than one)."""
    opts = inline.model._meta
    if inline.fk_name:
        return opts.get_field(inline.fk_name)
    [key] = [
        field
        for field in opts.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and issubclass(parent_model, field.related_model)
    ]
    return key


class HistoryAdmin(SafeAutocompleteFields, SimpleHistoryAdmin):
    form = ChangeReasonForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.edited_with = [
            (inline.model, foreign_key_to(self.model, inline))
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

    def is_key(self, object_id):
        """Whether an id from the address could be one of this model's keys (else a 404, not a 500)."""
        return ValidChoicesOnly.could_be_a_key(self.model._meta.pk, unquote(object_id))

    def history_view(self, request, object_id, extra_context=None):
        if not self.is_key(object_id):
            raise Http404(f"There is no {self.model._meta.verbose_name} with that id.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        version = str(version_id)
        if not (
            self.is_key(object_id) and version.isascii() and version.isdigit() and len(version) < 19
        ):
            raise Http404(f"There is no such version of this {self.model._meta.verbose_name}.")
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

    def delete_model(self, request, obj):
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one, so each deletion is recorded with its reason
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "missive_change_reason", "Changed in the admin")
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            removed._change_reason = reason
            removed.delete()
        for instance in instances:
            instance._change_reason = reason
            instance.save()
        formset.save_m2m()


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label="Reason for restoring",
        max_length=100,
        help_text="Kept in the history of everything restored.",
    )


class RestoreDeletedAdmin(HistoryAdmin):
    """A "Deleted …" page listing what was deleted, by whom, when and why, each with a Restore button."""

    change_list_template = "admin/restorable_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{name}_deleted"),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def has_restore_permission(self, request):
        return self.has_add_permission(request)  # restoring adds the object back

    def deleted_view(self, request, form=None, failed=None):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "rows": list(
                zip(
                    records := deleted(self.model),
                    with_parents(as_instance(r) for r in records),
                    strict=False,
                )
            ),
            "form": form or RestoreForm(),
            "failed": failed,
        }
        return TemplateResponse(request, "admin/deleted.html", context, status=400 if form else 200)

    def restore_view(self, request, history_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(
                reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_deleted")
            )
        record = get_object_or_404(
            self.model.history.model, history_id=history_id, history_type="-"
        )
        form = RestoreForm(request.POST)
        if not form.is_valid():
            return self.deleted_view(request, form, failed=record.history_id)
        try:
            count = restore(record, form.cleaned_data["reason"])
        except CannotRestore as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(
                reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_deleted")
            )
        obj = self.model._default_manager.get(pk=as_instance(record).pk)
        rest = f", with {count - 1} row(s) deleted with it" if count > 1 else ""
        self.message_user(request, f"Restored “{obj}”{rest}.", messages.SUCCESS)
        return redirect(
            reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
                args=[obj.pk],
            )
        )


class ReadableHistoryInline(SafeAutocompleteFields):
    """Inline rows link to their own change page, where their history is."""

    show_change_link = True
    extra = 0


class TabularInline(ReadableHistoryInline, admin.TabularInline):
    pass


class StackedInline(ReadableHistoryInline, admin.StackedInline):
    pass
