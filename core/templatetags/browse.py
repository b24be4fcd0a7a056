"""How list pages say how many rows there are (exactly, or "about" when the count is an estimate),
and how their filter forms show each control."""

from django import template
from django.core.exceptions import ValidationError

register = template.Library()


def rounded(number):
    """Two significant figures: an estimate should not look precise (203,117 → 200,000)."""
    digits = len(str(number))
    return round(number, 2 - digits) if digits > 2 else number


@register.simple_tag
def result_count(page, singular, plural=""):
    """ "1 claim", "1,234 claims", "About 200,000 claims" or "No claims"."""
    plural = plural or singular + "s"
    count = page.count if page else 0
    if not count:
        return f"No {plural}"
    if page.count_is_estimate:
        return f"About {rounded(count):,} {plural}"
    return f"{count:,} {singular if count == 1 else plural}"


@register.simple_tag
def showing(page):
    """ "Showing 101–150 of about 200,000"."""
    total = f"about {rounded(page.count):,}" if page.count_is_estimate else f"{page.count:,}"
    return f"Showing {page.start_index:,}–{page.end_index:,} of {total}"


@register.simple_tag
def control(field):
    """The field's control, as `{{ field }}` renders it, except a date control's value.

    HTML lets `<input type="date">` hold only a valid date string (2026-01-04); browsers
    empty any other. Django writes back whatever the address gave, so a date it read in
    another of its input formats (01/04/2026) is shown as that valid string, and one it
    refused is left out: the field's error says what was wrong, and the address still holds it.
    """
    widget = field.field.widget
    if field.widget_type != "date":
        return field.as_widget()
    try:
        day = field.field.to_python(field.value())
    except ValidationError:
        day = None
    # As a valid date string: the widget itself would use the locale's format (01/04/2026).
    value = day.isoformat() if day else None
    attrs = field.build_widget_attrs({}, widget)  # as BoundField.as_widget builds them
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    return widget.render(field.html_name, value, attrs=attrs, renderer=field.form.renderer)
