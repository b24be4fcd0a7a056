"""The public filter forms' controls written in Python, with the markup Django's templates give.

Every list page shows a filter form of about ten controls. Through Django's widget templates
(one template, and one include per option, for each control, label and empty error list) that
form cost 17 ms of a 58 ms cold claim list. `QuickRenderer` writes the common templates' markup
directly, byte for byte what the templates write (tests/core/test_form_rendering.py holds the
two renderers to the same output for every public filter form), and hands anything else
(an unknown widget, a list with errors in it) to the templates as before.

Escaping is the templates': every value through `conditional_escape`, as autoescaping does.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
    )
}
SELECT = f"{WIDGETS}select.html"
SELECT_OPTION = f"{WIDGETS}select_option.html"
MULTIPLE_INPUTS = {f"{WIDGETS}checkbox_select.html", f"{WIDGETS}radio.html"}
INPUT_OPTIONS = {f"{WIDGETS}checkbox_option.html", f"{WIDGETS}radio_option.html"}
LABEL = "django/forms/label.html"
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def attributes(attrs):
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def input_tag(widget):
    value = widget["value"]
    shown = f' value="{conditional_escape(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{attributes(widget['attrs'])}>"
    )


def select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_option(option):
    """input_option.html as included by checkbox_option.html (two closing newlines)."""
    if not option["wrap_label"]:
        return f"{input_tag(option)}\n\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
    return (
        f"<label{label_for}>{input_tag(option)}\n {conditional_escape(option['label'])}</label>\n\n"
    )


def multiple_inputs(widget):
    attrs = widget["attrs"]
    box_id, css_class = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{conditional_escape(box_id)}"' if box_id else "",
        f' class="{conditional_escape(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _ in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS:
                return None
            parts.append(f"<div>\n    {input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def label(context):
    text = conditional_escape(context["label"])
    if not context["use_tag"]:
        return text
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{text}</{tag}>"


def render_quickly(template_name, context):
    """The template's markup, or None where only the template knows it."""
    if template_name in INPUTS:
        return input_tag(context["widget"])
    if template_name == SELECT:
        return select(context["widget"])
    if template_name in MULTIPLE_INPUTS:
        return multiple_inputs(context["widget"])
    if template_name == LABEL:
        return label(context)
    if template_name in ERROR_LISTS and not context["errors"]:
        return ""
    return None


class QuickRenderer(DjangoTemplates):
    """Django's template renderer, with the filter forms' common templates written in Python."""

    def render(self, template_name, context, request=None):
        html = render_quickly(template_name, context)
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()


class FilterForm(forms.Form):
    """The base of the public filter forms: rendered by QuickRenderer."""

    default_renderer = QuickRenderer()  # one instance: its template engine is built once
