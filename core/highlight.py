"""Render a letter's text with the passages that claims quote highlighted in place.

Why not just wrap each quote in one element: several claims can quote the same
letter, and their quotes nest or overlap arbitrarily, so the tags would
interleave. Instead the text is cut at every quote boundary and each piece is
wrapped on its own in a <mark> whose class says how many quotes cover it
(depth-1 .. depth-3, where depth-3 means three or more). The anchor where a
quote starts and the link to its claim where it ends sit between the pieces,
never inside a <mark>, so the markup is always balanced.

Letter text is untrusted (transcribed from what people sent us), and so are
claim labels: every piece of data goes through format_html or
conditional_escape, and nothing raw is ever marked safe.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

MAX_DEPTH = 3


@dataclass(frozen=True)
class Span:
    start: int  # character offset in text, inclusive
    end: int  # exclusive
    key: str  # HTML id of this span's start anchor, e.g. "quote-claim-12"
    label: str  # words shown in the link at the span's end, e.g. "Claim 3: Disputed"
    url: str  # where that link goes, e.g. "/claims/12/"
    css_class: str = ""  # extra class for the link, e.g. "status-disputed"


def _start_anchor(span: Span) -> SafeString:
    return format_html('<span class="quote-start" id="{}"></span>', span.key)


def _end_link(span: Span, label_as_text: bool = True) -> SafeString:
    """The link naming the claim: in the site's own language, kept apart from the text around it
    (dir="auto"), so an English label reads right inside an Urdu or Persian text.

    Without `label_as_text` the label is an attribute the stylesheet shows (and the link's
    accessible name), so the element's text is the source text alone: a selection in it is
    counted in the source's own characters (the editors' workbench).
    """
    css = f"quote-ref {span.css_class}" if span.css_class else "quote-ref"
    if not label_as_text:
        return format_html(
            '<a class="{}" href="{}" lang="{}" dir="auto" aria-label="{}" data-label="{}"></a>',
            css,
            span.url,
            settings.LANGUAGE_CODE,
            span.label,
            span.label,
        )
    return format_html(
        '<a class="{}" href="{}" lang="{}" dir="auto">{}</a>',
        css,
        span.url,
        settings.LANGUAGE_CODE,
        span.label,
    )


def highlight(text: str, spans: Iterable[Span], label_as_text: bool = True) -> SafeString:
    """Return `text` as HTML with every valid span highlighted; invalid spans are skipped."""
    starting: dict[int, list[Span]] = {}
    ending: dict[int, list[Span]] = {}
    for span in spans:
        if 0 <= span.start < span.end <= len(text):
            starting.setdefault(span.start, []).append(span)
            ending.setdefault(span.end, []).append(span)

    boundaries = sorted({0, len(text), *starting, *ending})
    parts: list[SafeString] = []
    depth = 0
    for here, following in zip(boundaries, boundaries[1:] + [None], strict=False):
        ends, starts = ending.get(here, []), starting.get(here, [])
        # Inner quotes close first (the one that began later); outer quotes open first.
        parts += [
            _end_link(s, label_as_text) for s in sorted(ends, key=lambda s: (-s.start, s.key))
        ]
        parts += [_start_anchor(s) for s in sorted(starts, key=lambda s: (-s.end, s.key))]
        depth += len(starts) - len(ends)
        if following is None:
            break
        segment = text[here:following]
        if depth:
            parts.append(
                format_html(
                    '<mark class="quote depth-{}">{}</mark>', min(depth, MAX_DEPTH), segment
                )
            )
        else:
            parts.append(conditional_escape(segment))
    # Every part above is already escaped markup; joining them adds no raw data.
    return mark_safe("".join(parts))
