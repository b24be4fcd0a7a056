"""A <select> for long lists (a thousand actors), rendered in one pass.

Django renders each <option> through a template, about 0.2 ms each, and builds a model
instance per row: two menus of 1,000 actors cost 400 ms a page. This reads the menu's
(value, label) pairs as tuples, once per revision of the archive, and writes the same
markup directly, escaping both.
"""
import hashlib
from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from .page_cache import per_revision


class LongSelect(forms.Select):
    label_field = "name"  # the model field a model choice's label shows (its __str__)

    def escaped_pairs(self):
        """(value, label) of every option, both escaped; a model menu's read once per revision."""
        choices = self.choices
        iterator = getattr(choices, "iterator", None) or choices
        if not isinstance(iterator, ModelChoiceIterator):
            return [(escape(str(value)), escape(str(label))) for value, label in choices]
        field = iterator.field
        queryset = iterator.queryset.values_list(field.to_field_name or "pk", self.label_field)
        empty = [("", escape(str(field.empty_label)))] if field.empty_label is not None else []

        def read():
            return empty + [(escape(str(value)), escape(str(label))) for value, label in queryset]

        where = hashlib.sha256(str(queryset.query).encode()).hexdigest()  # the menu's own SQL names it
        return per_revision(f"menu:{where}", read)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {escape(str(chosen)) for chosen in self.format_value(value)}
        options = "".join(
            f'<option value="{option}"{" selected" if option in selected else ""}>{label}</option>'
            for option, label in self.escaped_pairs()
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")
