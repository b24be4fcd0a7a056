"""The letters timeline and the correspondence network as SVG, each with a table of the same figures.

Tags, not included templates: as templates the two took 5 ms each to render, a sixth of the
home page's time (docs/performance.md); built here with format_html, every value escaped.
"""

from django import template
from django.http import QueryDict
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.links import detail_url

register = template.Library()


def join(pattern, rows):
    return format_html_join("", pattern, rows)


def period_link(letters, query, period):
    """The letter list for the same filters and the period's dates: the letters that may have
    been written in it (those dated to a wider range, or to no year, among them)."""
    params = query.copy() if query is not None else QueryDict(mutable=True)
    for name in ("after", "before", "page"):
        params.pop(name, None)
    params["date_from"], params["date_to"] = period.start.isoformat(), period.end.isoformat()
    return f"{letters}?{params.urlencode()}"


@register.simple_tag
def letter_timeline(timeline, chart_id, query=None):
    """When the letters may have been written: archive/charts.py's Timeline, drawn and tabulated.
    `query`: the filters the letters were picked by (request.GET), kept in each period's link."""
    unit = timeline.unit
    drawing = key = ""
    if timeline.periods:
        drawing = _timeline_drawing(timeline, chart_id)
        key = format_html(
            '<p class="chart-key"><span class="swatch dated"></span> Dated within the {unit}. '
            '<span class="swatch possible"></span> Dated only to a wider range: counted in every '
            "{unit} the range spans.{no_year} Each {unit} in the table links to the letters that may "
            "have been written in it.</p>",
            unit=unit,
            no_year=" The line with open ends: letters whose year no source states."
            if timeline.no_year
            else "",
        )
    letters = reverse("archive:letter-list")
    rows = join(
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>\n',
        (
            (period_link(letters, query, p), p.label, p.dated, p.possible)
            for p in timeline.shown_periods
        ),
    )
    if timeline.no_year:
        rows += format_html(
            '<tr class="no-year"><th scope="row">Year not stated in any source</th>'
            '<td colspan="2">{}</td></tr>\n',
            timeline.no_year,
        )
    no_year = f", {timeline.no_year} with no year" if timeline.no_year else ""
    return format_html(
        '<figure class="chart timeline" id="{id}">\n{drawing}<figcaption>\n{key}'
        "<table>\n<caption>Letters by {unit} of writing</caption>\n"
        '<thead><tr><th scope="col">{Unit}</th><th scope="col">Dated within it</th>'
        '<th scope="col">Possibly in it (wider range)</th></tr></thead>\n'
        "<tbody>\n{rows}</tbody>\n"
        '<tfoot><tr><th scope="row">All letters</th><td colspan="2">{total} ({dated} within one '
        "{unit}, {ranged} over several{no_year})</td></tr></tfoot>\n"
        "</table>\n</figcaption>\n</figure>",
        id=chart_id,
        drawing=drawing,
        key=key,
        unit=unit,
        Unit=unit.capitalize(),
        rows=rows,
        total=timeline.total,
        dated=timeline.dated,
        ranged=timeline.ranged,
        no_year=no_year,
    )


def _timeline_drawing(timeline, chart_id):
    unit = timeline.unit
    bars = []
    for p in timeline.shown_periods:
        dated = (
            format_html(
                '<rect class="dated" x="{}" y="{}" width="{}" height="{}" data-period="{}" '
                'data-letters="{}"></rect>',
                p.x,
                p.dated_y,
                p.width,
                p.dated_height,
                p.label,
                p.dated,
            )
            if p.dated
            else ""
        )
        possible = (
            format_html(
                '<rect class="possible" fill="url(#{}-hatch)" x="{}" y="{}" width="{}" height="{}" '
                'data-period="{}" data-letters="{}"></rect>',
                chart_id,
                p.x,
                p.possible_y,
                p.width,
                p.possible_height,
                p.label,
                p.possible,
            )
            if p.possible
            else ""
        )
        bars.append(
            format_html(
                '<g class="period"><title>{}: {} dated within it, {} possibly in it</title>{}{}</g>\n',
                p.label,
                p.dated,
                p.possible,
                dated,
                possible,
            )
        )
    ticks = join(
        '<text class="tick" x="{}" y="{}">{}</text>',
        ((x, timeline.axis_y, label) for x, label in timeline.ticks),
    )
    no_year = ""
    if timeline.no_year:
        no_year = format_html(
            '<g class="no-year" data-letters="{n}"><line x1="8" y1="{y}" x2="{end}" y2="{y}" '
            'marker-start="url(#{id}-open-end)" marker-end="url(#{id}-open-end)"></line>'
            '<text x="{middle}" y="{text_y}" text-anchor="middle">Year not stated in any source: '
            "{n} letter{s}, possibly in any year</text></g>\n",
            n=timeline.no_year,
            y=timeline.band_y,
            end=timeline.band_end,
            id=chart_id,
            middle=timeline.middle,
            text_y=timeline.band_text_y,
            s=pluralize(timeline.no_year),
        )
    no_year_title = f", {timeline.no_year} with no year stated" if timeline.no_year else ""
    return format_html(
        '<svg role="img" aria-labelledby="{id}-title" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">\n'
        '<title id="{id}-title">Timeline of {total} letter{s} by {unit}, {first} to {last}: '
        "{dated} dated within one {unit}, {ranged} dated only to a wider range{no_year_title}</title>\n"
        '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="hatch-ground" width="6" height="6"></rect>'
        '<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern>'
        '<marker id="{id}-open-end" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"></path></marker>'
        "</defs>\n{bars}"
        '<line class="axis" x1="0" y1="{plot}" x2="{width}" y2="{plot}"></line>\n{ticks}\n{no_year}'
        "</svg>\n",
        id=chart_id,
        width=timeline.width,
        height=timeline.height,
        total=timeline.total,
        s=pluralize(timeline.total),
        unit=unit,
        first=timeline.periods[0].label,
        last=timeline.last_label,
        dated=timeline.dated,
        ranged=timeline.ranged,
        no_year_title=no_year_title,
        bars=mark_safe("".join(bars)),
        plot=timeline.plot_height,
        ticks=ticks,
        no_year=no_year,
    )


@register.simple_tag
def correspondence_network(network, chart_id):
    """Who wrote to whom: archive/charts.py's Network, drawn and tabulated."""
    drawing = ""
    if network.pairs:
        drawing = _network_drawing(network, chart_id)
    actor = {
        node.pk: detail_url("archive:actor-detail", node.slug)
        for node in [*network.senders, *network.recipients]
    }
    rows = join(
        '<tr><th scope="row"><a href="{}">{}</a></th><td class="name"><a href="{}">{}</a></td>'
        '<td class="name">{}</td><td>{}</td></tr>\n',
        (
            (
                actor[p.sender.pk],
                p.sender.name,
                actor[p.recipient.pk],
                p.recipient.name,
                p.role_label,
                p.letters,
            )
            for p in network.pairs
        ),
    ) or mark_safe('<tr><td colspan="4">No letters with recipients.</td></tr>\n')
    caption = (
        f": {len(network.pairs)} of the pairs with most letters" if network.other_letters else ""
    )
    footer = (
        format_html(
            '<tfoot><tr><th scope="row" colspan="3">Other pairs, not drawn</th>'
            "<td>{}</td></tr></tfoot>\n",
            network.other_letters,
        )
        if network.other_letters
        else ""
    )
    return format_html(
        '<figure class="chart network" id="{id}">\n{drawing}<figcaption>\n<table>\n'
        "<caption>Letters by sender and recipient{caption}</caption>\n"
        '<thead><tr><th scope="col">Sender</th><th scope="col">Recipient</th>'
        '<th scope="col">To or copied</th><th scope="col">Letters</th></tr></thead>\n'
        "<tbody>\n{rows}</tbody>\n{footer}</table>\n</figcaption>\n</figure>",
        id=chart_id,
        drawing=drawing,
        caption=caption,
        rows=rows,
        footer=footer,
    )


def _network_drawing(network, chart_id):
    summary = "; ".join(
        f"{p.sender.name} to {p.recipient.name}{' (copied)' if p.copied else ''}: {p.letters}"
        for p in network.pairs
    )
    if network.other_letters:
        summary += f"; other pairs, not drawn: {network.other_letters} letters"
    paths = join(
        '<path class="{}" d="{}" stroke-width="{}" data-sender="{}" data-recipient="{}" '
        'data-role="{}" data-letters="{}"><title>{} to {}, {}: {} letter{}</title></path>\n',
        (
            (
                "pair copied" if p.copied else "pair",
                p.path,
                p.stroke,
                p.sender.name,
                p.recipient.name,
                p.role,
                p.letters,
                p.sender.name,
                p.recipient.name,
                p.role_label.lower(),
                p.letters,
                pluralize(p.letters),
            )
            for p in network.pairs
        ),
    )
    senders = join(
        '<circle cx="{}" cy="{}" r="4"></circle><text x="{}" y="{}" text-anchor="end">'
        "<title>{}</title>{}</text>\n",
        (
            (network.left, n.y, network.label_left, n.text_y, n.name, n.short_name)
            for n in network.senders
        ),
    )
    recipients = join(
        '<circle cx="{}" cy="{}" r="4"></circle><text x="{}" y="{}"><title>{}</title>{}</text>\n',
        (
            (network.right, n.y, network.label_right, n.text_y, n.name, n.short_name)
            for n in network.recipients
        ),
    )
    return format_html(
        '<svg role="img" aria-labelledby="{id}-title" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">\n'
        '<title id="{id}-title">Correspondence network: {n} pair{s} of sender and recipient; '
        "{summary}</title>\n"
        '<text class="column-heading" x="{left}" y="16" text-anchor="end">Senders</text>\n'
        '<text class="column-heading" x="{right}" y="16">Recipients</text>\n'
        "{paths}{senders}{recipients}</svg>\n"
        '<p class="chart-key"><span class="swatch to"></span> Addressed to. '
        '<span class="swatch copied"></span> Copied to. A line\'s width is its number of '
        "letters.</p>\n",
        id=chart_id,
        width=network.width,
        height=network.height,
        n=len(network.pairs),
        s=pluralize(len(network.pairs)),
        summary=summary,
        left=network.label_left,
        right=network.label_right,
        paths=paths,
        senders=senders,
        recipients=recipients,
    )
