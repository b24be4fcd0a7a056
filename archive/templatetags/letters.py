"""How a letter's date is shown wherever a letter is named."""
from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def letter_date(letter):
    """<time> with the machine-readable earliest day, the date in words, and the dating note as a title.

    A tag, not an included template: list pages show fifty of these, and an include costs
    about ten times as much.
    """
    title = format_html_join("", ' title="{}"', [(letter.date_note,)] if letter.date_note else [])
    earliest = letter.date_earliest.isoformat() if letter.date_earliest else ""
    return format_html('<time datetime="{}"{}>{}</time>', earliest, title, letter.date_display)
