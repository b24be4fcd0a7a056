"""Claims drawn on the server: the home page's claims by status, a recurring assertion's timeline.

Numbers and coordinates only; the SVGs and the tables beside them are templates."""

from dataclasses import dataclass, field

from archive.dates import year_stated

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 250
BAR_AREA = 360
COUNT_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    status: object
    count: int
    y: int
    width: int
    text_y: int


def status_chart(statuses):
    """Bars for statuses annotated with `claim_count`, scaled to the largest."""
    largest = max((status.claim_count for status in statuses), default=0) or 1
    bars = []
    for index, status in enumerate(statuses):
        y = index * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * status.claim_count / largest)
        bars.append(
            Bar(
                status,
                status.claim_count,
                y,
                max(width, 2 if status.claim_count else 0),
                y + BAR_HEIGHT // 2 + 5,
            )
        )
    return {
        "bars": bars,
        "total": sum(bar.count for bar in bars),
        "width": LABEL_WIDTH + BAR_AREA + COUNT_WIDTH,
        "height": max(len(bars) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


# A recurring assertion's timeline, in SVG user units.
LANE_LABEL_WIDTH = 200
LANE_PLOT_WIDTH = 500
LANE_HEIGHT = 34
LANE_TOP = 24  # room for the axis labels


@dataclass
class Segment:
    """A status a claim held from `since` until the next one (or today)."""

    since: object  # a date
    label: str  # the status with whose it is
    slug: str
    x: float
    width: float


@dataclass
class Mark:
    """A response, drawn where its date falls."""

    response: object
    x: float


@dataclass
class Lane:
    number: int  # the claim's place in the page's list; 0 for whole-letter responses
    label: str
    claim: object = None
    y: float = 0
    segments: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    undated: list = field(default_factory=list)  # responses with no date: in the table only
    letter_x: tuple = None  # (start, width) of the letter's possible dates, if on the axis

    @property
    def bar_y(self):
        return self.y + 8

    @property
    def text_y(self):
        return self.y + 19

    @property
    def mark_y(self):
        return self.y + 17


def assertion_timeline(claims, letter_responses, timelines, today):
    """Each claim of a recurring assertion as a lane over time: its letter's possible dates, the
    statuses it has held since the archive recorded it (from its history, `timelines` as
    changes.status_timelines gives them) and the dated responses to it; then a lane of the
    responses to the letters as a whole. All from rows the page already has."""
    letter_responses = list(letter_responses)
    days = [today]
    for claim in claims:
        letter = claim.letter
        if year_stated(letter.date_earliest, letter.date_latest):
            days += [letter.date_earliest, letter.date_latest]
        days += [entry["when"].date() for entry in timelines.get(claim.pk, [])]
        days += [r.responded_on for r in claim.responses.all() if r.responded_on]
    days += [r.responded_on for r in letter_responses if r.responded_on]
    start, end = min(days), max(days)
    span = max((end - start).days, 1)

    def x_of(day):
        return round(LANE_LABEL_WIDTH + LANE_PLOT_WIDTH * (day - start).days / span, 2)

    lanes = []
    for number, claim in enumerate(claims, start=1):
        lane = Lane(number, f"{number}. {_short(claim.letter.date_display)}", claim)
        letter = claim.letter
        if year_stated(letter.date_earliest, letter.date_latest):
            first = x_of(letter.date_earliest)
            lane.letter_x = (first, max(x_of(letter.date_latest) - first, 2))
        entries = timelines.get(claim.pk, [])
        for index, entry in enumerate(entries):
            since = entry["when"].date()
            # The status held now runs to today, not to the axis's end: a letter's possible dates
            # may run past today, a status not.
            until = entries[index + 1]["when"].date() if index + 1 < len(entries) else today
            lane.segments.append(
                Segment(
                    since,
                    entry["after"],
                    entry["status_slug"],
                    x_of(since),
                    max(x_of(until) - x_of(since), 4),
                )
            )
        _mark(lane, claim.responses.all(), x_of)
        lanes.append(lane)
    if letter_responses:
        lane = Lane(0, "Responses to whole letters")
        _mark(lane, letter_responses, x_of)
        lanes.append(lane)
    for index, lane in enumerate(lanes):
        lane.y = LANE_TOP + index * LANE_HEIGHT
    return {
        "lanes": lanes,
        "start": start,
        "end": end,
        "today": today,
        "today_x": x_of(today) if end > today else None,
        "start_x": LANE_LABEL_WIDTH,
        "end_x": LANE_LABEL_WIDTH + LANE_PLOT_WIDTH,
        "width": LANE_LABEL_WIDTH + LANE_PLOT_WIDTH + 20,
        "plot_bottom": LANE_TOP + len(lanes) * LANE_HEIGHT,
        "height": LANE_TOP + len(lanes) * LANE_HEIGHT + (20 if end > today else 0),
        "label_x": LANE_LABEL_WIDTH - 8,
    }


def _mark(lane, responses, x_of):
    for response in responses:
        if response.responded_on:
            lane.marks.append(Mark(response, x_of(response.responded_on)))
        else:
            lane.undated.append(response)


def _short(text, length=28):
    return text if len(text) <= length else text[: length - 1] + "…"
