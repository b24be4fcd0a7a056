"""How list pages say how many rows there are: exactly, or "about" when the count is an estimate."""

from django import template

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
