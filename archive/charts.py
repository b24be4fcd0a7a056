"""Letters drawn on the server: when they may have been written, and who wrote to whom.

Numbers and coordinates only; the SVG and the table beside it are template tags
(templatetags/charts.py). Both charts aggregate in the database, so a chart of
20,000 letters costs a grouped query, not 20,000 rows, and draws tens of shapes.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField
from django.db.models.functions import Trunc

from core.page_cache import per_revision

from .dates import MONTHS, year_stated
from .models import Actor, Letter, Recipient

MONTHS_UP_TO_YEARS = 6  # an axis of months for up to six calendar years (72 columns)
YEARS_UP_TO = 80  # then of years up to eighty, then of decades

# The timeline's drawing, in SVG user units.
TIMELINE_WIDTH = 720
TIMELINE_PLOT_HEIGHT = 160
TIMELINE_AXIS_HEIGHT = 24
TIMELINE_BAND_HEIGHT = 34


@dataclass
class Period:
    """A month, year or decade of the timeline's axis and its letters."""

    start: datetime.date
    end: datetime.date
    label: str
    dated: int = 0  # letters whose every possible day falls in it
    possible: int = 0  # letters that may fall in it, dated only to a wider range
    x: float = 0
    width: float = 0
    dated_height: float = 0
    possible_height: float = 0

    @property
    def dated_y(self):
        return TIMELINE_PLOT_HEIGHT - self.dated_height

    @property
    def possible_y(self):
        return self.dated_y - self.possible_height


@dataclass
class Timeline:
    periods: list
    unit: str  # "month", "year" or "decade"
    dated: int  # letters placed in one period
    ranged: int  # letters spread over several periods
    no_year: int  # letters whose year no source states
    ticks: list = field(default_factory=list)  # (x, label) under the axis

    @property
    def total(self):
        return self.dated + self.ranged + self.no_year

    @property
    def shown_periods(self):
        """The periods with any letter: the table's rows."""
        return [period for period in self.periods if period.dated or period.possible]

    width = TIMELINE_WIDTH
    plot_height = TIMELINE_PLOT_HEIGHT

    @property
    def axis_y(self):
        return TIMELINE_PLOT_HEIGHT + 16

    @property
    def band_y(self):
        return TIMELINE_PLOT_HEIGHT + TIMELINE_AXIS_HEIGHT + 8

    @property
    def band_text_y(self):
        return self.band_y + 22

    @property
    def band_end(self):
        return TIMELINE_WIDTH - 8

    @property
    def middle(self):
        return TIMELINE_WIDTH // 2

    @property
    def last_label(self):
        return self.periods[-1].label

    @property
    def height(self):
        return (
            TIMELINE_PLOT_HEIGHT
            + TIMELINE_AXIS_HEIGHT
            + (TIMELINE_BAND_HEIGHT + 8 if self.no_year else 0)
        )


def _periods(first, last):
    """The axis from `first` to `last` (dates), in the unit its span calls for."""
    years = last.year - first.year + 1
    if years <= MONTHS_UP_TO_YEARS:
        periods = []
        for year in range(first.year, last.year + 1):
            for month in range(1, 13):
                end = (
                    datetime.date(year, 12, 31)
                    if month == 12
                    else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
                )
                periods.append(
                    Period(datetime.date(year, month, 1), end, f"{MONTHS[month - 1]} {year}")
                )
        return "month", periods
    if years <= YEARS_UP_TO:
        return "year", [
            Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))
            for year in range(first.year, last.year + 1)
        ]
    return "decade", [
        Period(
            datetime.date(max(decade, 1), 1, 1),
            datetime.date(min(decade + 9, 9999), 12, 31),
            f"{decade}s",
        )
        for decade in range(first.year // 10 * 10, last.year // 10 * 10 + 1, 10)
    ]


def _index(unit, origin, day):
    if unit == "month":
        return (day.year - origin.year) * 12 + day.month - 1
    if unit == "year":
        return day.year - origin.year
    return day.year // 10 - origin.year // 10


def letter_timeline(letters):
    """How many letters may have been written in each period, for a queryset of letters.

    A letter known to a day, a month or (on an axis of years) a year counts in its period; one
    dated only to a range wider than a period (2026?-02-11: any day from 2025-02-11 to 2027-02-11)
    counts as possible in every period it spans, drawn lighter, never as a point; one whose year
    no source states is a band across the whole axis.

    One query, whatever the number of letters: they are counted by the months their first and
    last possible days fall in, and the axis (months, years or decades) is chosen from those
    counts. A filter that is costly to run (a search of the source texts) runs once.
    """
    groups = list(
        letters.annotate(
            first=Trunc("date_earliest", "month", output_field=DateField()),
            last=Trunc("date_latest", "month", output_field=DateField()),
        )
        .values("first", "last")
        .annotate(letters=Count("pk"))
        .order_by()  # a list order would join the GROUP BY
    )
    dated_groups = [g for g in groups if year_stated(g["first"], g["last"])]
    no_year = sum(g["letters"] for g in groups) - sum(g["letters"] for g in dated_groups)
    if not dated_groups:
        return Timeline([], "year", 0, 0, no_year)
    first_month = min(g["first"] for g in dated_groups)
    last_month = max(g["last"] for g in dated_groups)
    unit, periods = _periods(first_month, last_month)
    origin = periods[0].start
    dated = ranged = 0
    for group in dated_groups:
        first, last = _index(unit, origin, group["first"]), _index(unit, origin, group["last"])
        if first == last:
            periods[first].dated += group["letters"]
            dated += group["letters"]
        else:
            for period in periods[first : last + 1]:
                period.possible += group["letters"]
            ranged += group["letters"]
    timeline = Timeline(periods, unit, dated, ranged, no_year)
    _lay_out(timeline)
    return timeline


def _lay_out(timeline):
    periods = timeline.periods
    width = TIMELINE_WIDTH / len(periods)
    tallest = max(period.dated + period.possible for period in periods) or 1
    for index, period in enumerate(periods):
        period.x = round(index * width, 2)
        period.width = round(max(width - 1, 0.5), 2)
        period.dated_height = round(TIMELINE_PLOT_HEIGHT * period.dated / tallest, 2)
        period.possible_height = round(TIMELINE_PLOT_HEIGHT * period.possible / tallest, 2)
    # About eight labels under the axis, each at a period's start: January of each year on an
    # axis of months, else every nth period.
    if timeline.unit == "month":
        step = 12 * max(1, round(len(periods) / 12 / 8))
        labelled = [p for i, p in enumerate(periods) if i % step == 0]
        timeline.ticks = [(p.x, str(p.start.year)) for p in labelled]
    else:
        step = max(1, round(len(periods) / 8))
        timeline.ticks = [(p.x, p.label) for i, p in enumerate(periods) if i % step == 0]


# The network's drawing, in SVG user units.
NETWORK_WIDTH = 720
NETWORK_LABEL_WIDTH = 230
NETWORK_ROW = 30
NETWORK_TOP = 28  # room for the columns' headings
NETWORK_MAX_STROKE = 12
NETWORK_PAIRS = 40  # the heaviest pairs drawn; the rest are counted, in the table's last row
NAME_LENGTH = 32  # characters of a name drawn; the table and the tooltip give it whole


@dataclass
class Node:
    pk: int
    name: str
    slug: str
    letters: int = 0
    y: float = 0

    @property
    def short_name(self):
        return self.name if len(self.name) <= NAME_LENGTH else self.name[: NAME_LENGTH - 1] + "…"

    @property
    def text_y(self):
        return self.y + 5


@dataclass
class Pair:
    sender: Node
    recipient: Node
    role: str  # Recipient.Role
    letters: int
    stroke: float = 1
    path: str = ""

    @property
    def copied(self):
        return self.role == Recipient.Role.CC

    @property
    def role_label(self):
        return Recipient.Role(self.role).label


@dataclass
class Network:
    pairs: list
    senders: list
    recipients: list
    other_letters: int  # letters along the pairs not drawn (past NETWORK_PAIRS), once a recipient
    width: int = NETWORK_WIDTH
    height: int = 0
    left: int = NETWORK_LABEL_WIDTH
    right: int = NETWORK_WIDTH - NETWORK_LABEL_WIDTH

    @property
    def label_left(self):
        return self.left - 8

    @property
    def label_right(self):
        return self.right + 8


def correspondence(letters=None, involving=None, pairs=NETWORK_PAIRS):
    """Who wrote to whom in a queryset of letters (every published letter if None): each
    (sender, recipient, to or copied) pair with its number of letters, the heaviest `pairs` of
    them laid out as two columns, senders on the left, recipients on the right. With
    `involving`, only the pairs that actor is in.

    Grouped by ids alone, then the drawn pairs' names: two or three queries, whatever the
    number of letters."""
    if letters is None:  # without a join to the letters: the drafts' few keys excluded
        links = Recipient.objects.published()
    else:
        links = Recipient.objects.filter(letter__in=letters.order_by().values("pk"))
    if involving is None:
        counts = list(_pair_counts(links)[: pairs + 1])
        # A recipient is one row per letter, actor and role: the pairs' letters sum to the rows.
        total = links.count() if len(counts) > pairs else None
    else:
        # Two index lookups, the letters it sent and those it received, not an OR across a join;
        # a letter it sent itself is the same pair in both.
        counts = sorted(
            {
                *_pair_counts(links.filter(letter__sender=involving)),
                *_pair_counts(links.filter(actor=involving)),
            },
            key=_heaviest_first,
        )
        total = sum(count[3] for count in counts)
    counts = counts[:pairs]
    ids = {count[0] for count in counts} | {count[1] for count in counts}
    names = {pk: (name, slug) for pk, name, slug in _actor_names(ids)}
    senders, recipients, drawn = {}, {}, []
    for sender_id, recipient_id, role, letters_sent in counts:
        sender = senders.setdefault(sender_id, Node(sender_id, *names[sender_id]))
        recipient = recipients.setdefault(recipient_id, Node(recipient_id, *names[recipient_id]))
        sender.letters += letters_sent
        recipient.letters += letters_sent
        drawn.append(Pair(sender, recipient, role, letters_sent))
    drawn.sort(key=lambda p: (-p.letters, p.sender.name, p.recipient.name, p.role))
    other_letters = total - sum(pair.letters for pair in drawn) if total else 0
    network = Network(drawn, _ranked(senders), _ranked(recipients), other_letters)
    _lay_out_network(network)
    return network


def _pair_counts(links):
    """(sender id, recipient id, role, letters) for each pair, the heaviest first."""
    return (
        links.values_list("letter__sender_id", "actor_id", "role")
        .annotate(letters=Count("pk"))
        .order_by("-letters", "letter__sender_id", "actor_id", "role")
    )


def _heaviest_first(count):
    return (-count[3], count[0], count[1], count[2])


def _actor_names(ids):
    return Actor.objects.filter(pk__in=ids).values_list("pk", "name", "slug") if ids else []


def archive_timeline():
    """The timeline of every published letter, drawn once per revision of the archive."""
    return per_revision("letters-timeline", lambda: letter_timeline(Letter.objects.published()))


def actor_network(actor):
    """The pairs an actor is in, drawn once per revision: the busiest actor's took 12 ms."""
    return per_revision(
        f"actor-network:{actor.pk}", lambda: correspondence(involving=actor), in_process=False
    )


def archive_network():
    """The network of every published letter, drawn once per revision of the archive."""
    return per_revision("letters-network", correspondence)


def _ranked(nodes):
    return sorted(nodes.values(), key=lambda node: (-node.letters, node.name, node.pk))


def _lay_out_network(network):
    rows = max(len(network.senders), len(network.recipients), 1)
    network.height = NETWORK_TOP + rows * NETWORK_ROW
    for column in (network.senders, network.recipients):
        # Each column centred on the taller one.
        top = NETWORK_TOP + (rows - len(column)) * NETWORK_ROW / 2
        for index, node in enumerate(column):
            node.y = top + index * NETWORK_ROW + NETWORK_ROW / 2
    # Scaled to the heaviest pair, but one letter never looks like many when every pair has one.
    heaviest = max((pair.letters for pair in network.pairs), default=1)
    heaviest = max(heaviest, 4)
    middle = (network.left + network.right) / 2
    for pair in network.pairs:
        pair.stroke = round(1.5 + (NETWORK_MAX_STROKE - 1.5) * pair.letters / heaviest, 2)
        # Copied-to lines end a little below the to lines, so a pair with both shows both.
        shift = 4 if pair.copied else 0
        y1, y2 = pair.sender.y + shift, pair.recipient.y + shift
        pair.path = f"M{network.left} {y1} C{middle} {y1} {middle} {y2} {network.right} {y2}"
