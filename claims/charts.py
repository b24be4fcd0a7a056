"""The home page's chart of claims by status: numbers only; the SVG is a template."""

from dataclasses import dataclass

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
