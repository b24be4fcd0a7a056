"""How a letter's date is shown wherever a letter is named, and a source's words in their language."""

from django import template
from django.utils.html import format_html, format_html_join

from archive.dates import html_datetime

register = template.Library()


@register.simple_tag
def letter_date(letter):
    """The date in words, with the dating note as a title; a <time> only for the parts a source states.

    A date whose year is unknown carries a yearless datetime (02-11); one with no
    machine-readable form that claims no more than is known is words alone.
    A tag, not an included template: list pages show fifty of these, and an include costs
    about ten times as much.
    """
    title = format_html_join("", ' title="{}"', [(letter.date_note,)] if letter.date_note else [])
    machine = html_datetime(letter.date_edtf, letter.date_inferred)
    if machine is None:
        return format_html('<span class="date"{}>{}</span>', title, letter.date_display)
    return format_html('<time datetime="{}"{}>{}</time>', machine, title, letter.date_display)


@register.simple_tag
def text_language(source):
    """` lang="…" dir="…"` for an element holding a source's own words: an Urdu quote reads right to left."""
    return format_html(' lang="{}" dir="{}"', source.language_tag, source.text_direction)
