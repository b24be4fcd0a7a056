"""Widgets: a <select> for long lists, rendered in one pass (LongSelect); a field with a live
preview beside it (LivePreview).

LongSelect: a <select> for long lists (a thousand actors), rendered in one pass.

Django renders each <option> through a template and builds a model instance per row, which
for two menus of a thousand actors dominated a page (docs/performance.md). This reads the menu's
(value, label) pairs as tuples and writes each option's markup (escaped) once per revision
of the archive; a page only joins them, marking the chosen one.
"""

import hashlib
from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.page_cache import per_revision


class LongSelect(forms.Select):
    """`menu` names a model menu's options for keeping (unique in the project); without it, the
    menu's own SQL names them, which costs a compilation of its query (about 1 ms) each render.

    A menu of more than `longest` options is a text box for the chosen option's value instead,
    with `hint` beside it: nobody scrolls five thousand names, and every list page carried them
    (1 MB a page at a million claims, too large for the page cache).
    """

    label_field = "name"  # the model field a model choice's label shows (its __str__)
    longest = 1000

    def __init__(self, attrs=None, choices=(), menu=None, hint=""):
        super().__init__(attrs, choices)
        self.menu = menu
        self.hint = hint

    def rendered_options(self):
        """(value, label, <option> markup) of every option, escaped; a model menu's built once per revision."""
        choices = self.choices
        iterator = getattr(choices, "iterator", None) or choices
        if not isinstance(iterator, ModelChoiceIterator):
            return as_options(choices)
        field = iterator.field
        queryset = iterator.queryset.values_list(field.to_field_name or "pk", self.label_field)
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        name = self.menu or hashlib.sha256(str(queryset.query).encode()).hexdigest()
        return per_revision(f"menu:{name}", lambda: as_options(empty + list(queryset)))

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        menu = self.rendered_options()
        if sum(1 for option, _, _ in menu if option) > self.longest:  # "Anyone" aside
            return self.text_box(final_attrs, value)
        selected = {escape(str(chosen)) for chosen in self.format_value(value)}
        options = "".join(
            f'<option value="{option}" selected>{label}</option>' if option in selected else markup
            for option, label, markup in menu
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")

    def text_box(self, attrs, value):
        chosen = next(iter(self.format_value(value)), "")
        hint_id = f"{attrs['id']}_hint" if self.hint and attrs.get("id") else ""
        if hint_id:
            attrs["aria-describedby"] = " ".join(
                filter(None, [attrs.get("aria-describedby"), hint_id])
            )
        box = format_html('<input type="text"{}>', flatatt({**attrs, "value": chosen}))
        if not hint_id:
            return box
        return format_html('{} <span class="hint" id="{}">{}</span>', box, hint_id, self.hint)


def as_options(choices):
    pairs = [(escape(str(value)), escape(str(label))) for value, label in choices]
    return [(value, label, f'<option value="{value}">{label}</option>') for value, label in pairs]


class LivePreview:
    """A form field with a sentence the server writes beside it, in an <output>: rendered with the
    page, then asked again as the editor types (static/js/live-preview.js), so the page says
    what a value will mean before it is saved. Without JavaScript the first sentence stays.

    A widget class mixes it in and gives `preview(value)`; `preview_url` answers
    ?<field name>=<value>… with {"preview": "…"}; `also` names other fields (by id) whose
    values the preview reads too.
    """

    preview_url = ""
    preview_class = ""  # a class of its own for the <output>, for styles and tests
    also = ()

    class Media:
        js = ["js/live-preview.js"]
        css = {"all": ["css/admin-workbench.css"]}

    def preview(self, value):
        raise NotImplementedError

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        fields = " ".join([(attrs or {}).get("id", ""), *self.also])
        return format_html(
            '{}<output class="{}" for="{}" data-preview-url="{}" aria-live="polite">{}</output>',
            field,
            self.preview_class,
            fields,
            self.preview_url,
            self.preview(value),
        )
