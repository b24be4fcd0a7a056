"""Using the archive with only a keyboard, and on a phone."""

import re

import pytest

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATO = "balochistan-to-nato-2026-01-04"
MAX_TABS = 80  # every filter field, date inputs' parts included, is well under this
PHONE = {"width": 390, "height": 844}

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 120),
    href: el.getAttribute('href'),
    inResults: !!el.closest('.results .claim-summary h3'),
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
  };
}"""


def test_keyboard_only_from_the_claim_list_to_a_claim(page, live_server, shipped_letters):
    page.goto(live_server.url + "/claims/")

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS)
    assert (focused["tag"], focused["text"]) == ("A", "Skip to content")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUS)["id"] == "main"

    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        stops.append(f"{focused['tag']} {focused['text'][:40]!r}")
        if focused["inResults"]:
            break
    else:
        pytest.fail(
            f"no claim link in the results after {MAX_TABS} presses of Tab; focus went to: {stops}"
        )

    # Where the keyboard is must be visible.
    assert focused["outlineStyle"] != "none", focused
    assert float(focused["outlineWidth"].removesuffix("px")) > 0, focused

    expected = focused["href"]
    assert re.fullmatch(r"/claims/\d+/", expected), expected
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + expected)
    claim = Claim.objects.get(pk=int(expected.strip("/").split("/")[-1]))
    assert claim.statement in " ".join(page.locator("h1").inner_text().split())


def a_sourced_claim_path():
    """A claim whose status quotes its source: the longest status line a page has."""
    return Claim.objects.get(letter__slug=NATO, key="security-operations-2025").get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/claims/",
        f"/letters/{NATO}/",
        "/statuses/",
        "/",
        "/actors/united-kingdom/",
        a_sourced_claim_path,
        "/letters/",
        "/letters/correspondence/",
        "/actors/republic-of-balochistan/",
        "/recurring/pakistan-fosters-militancy/",
        "/api/",
    ],
    ids=[
        "claim-list",
        "letter",
        "statuses",
        "home-with-the-charts-and-their-tables",
        "actor-with-requests",
        "sourced-claim",
        "letter-list-with-the-timeline",
        "correspondence-network",
        "actor-with-the-network",
        "recurring-assertion-timeline",
        "api-documentation",
    ],
)
def test_no_horizontal_scrolling_on_a_phone(new_page, live_server, shipped_letters, path):
    path = path() if callable(path) else path
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    page.goto(live_server.url + path)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    if widths["scroll"] > widths["client"] + 1:
        wide = page.evaluate(
            """client => [...document.querySelectorAll('body *')]
                 .filter(el => el.getBoundingClientRect().right > client + 1)
                 .slice(0, 10)
                 .map(el => el.tagName.toLowerCase()
                      + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                      + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px): '
                      + el.outerHTML.slice(0, 160))""",
            widths["client"],
        )
        pytest.fail(
            f"{path} scrolls sideways on a {PHONE['width']}px-wide phone: scrollWidth {widths['scroll']} > "
            f"clientWidth {widths['client']}. Elements past the right edge:\n" + "\n".join(wide)
        )
