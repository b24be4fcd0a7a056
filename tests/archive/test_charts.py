"""The letters timeline and the correspondence network: what they count, and that each drawing
and the table beside it give the same figures.

A drawing's figures are read back from the SVG's data attributes, a table's from its cells,
so a template that drew one number and wrote another fails here.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from archive.charts import NETWORK_PAIRS, correspondence, letter_timeline
from archive.models import Actor, Letter, Recipient

pytestmark = pytest.mark.django_db


def make_letter(sender, date, slug, published=True, to=(), cc=()):
    letter = Letter.objects.create(
        title=f"Letter {slug}",
        slug=slug,
        date_edtf=date,
        sender=sender,
        summary="A summary.",
        published=published,
    )
    for role, actors in ((Recipient.Role.TO, to), (Recipient.Role.CC, cc)):
        for actor in actors:
            Recipient.objects.create(letter=letter, actor=actor, role=role)
    return letter


def actor_named(name):
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return Actor.objects.get_or_create(slug=slug, defaults={"name": name, "kind": "state"})[0]


class Figures(HTMLParser):
    """Every element's attributes, and each table's rows as text, from a page."""

    def __init__(self):
        super().__init__()
        self.elements, self.rows, self._row, self._cell = [], [], None, None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def figures_of(html, figure_id):
    start = html.index(f'id="{figure_id}"')
    end = html.index("</figure>", start)
    parser = Figures()
    parser.feed(html[start - 40 : end])
    return parser


# --- The timeline -------------------------------------------------------------------------


def test_a_letter_known_to_a_month_counts_in_that_month_and_an_uncertain_one_in_every_month_it_may_fall_in(
    db,
):
    sender = actor_named("Sender")
    make_letter(sender, "2026-01-04", "day")
    make_letter(sender, "2026-02", "month")
    make_letter(sender, "2026-03", "march")
    make_letter(sender, "2026?-02-11", "year-uncertain")  # 2025-02-11 .. 2027-02-11
    timeline = letter_timeline(Letter.objects.all())

    assert timeline.unit == "month"
    by_label = {period.label: period for period in timeline.periods}
    assert (by_label["January 2026"].dated, by_label["February 2026"].dated) == (1, 1)
    assert by_label["March 2026"].dated == 1
    possible = [period.label for period in timeline.periods if period.possible]
    assert possible[0] == "February 2025" and possible[-1] == "February 2027"
    assert len(possible) == 25
    assert (timeline.dated, timeline.ranged, timeline.no_year, timeline.total) == (3, 1, 0, 4)


def test_a_letter_whose_year_no_source_states_is_drawn_apart_and_does_not_stretch_the_axis(db):
    sender = actor_named("Sender")
    make_letter(sender, "2026-01-04", "known")
    make_letter(sender, "XXXX-02-11", "no-year")
    timeline = letter_timeline(Letter.objects.all())

    assert (timeline.periods[0].label, timeline.periods[-1].label) == (
        "January 2026",
        "December 2026",
    )
    assert (timeline.dated, timeline.ranged, timeline.no_year) == (1, 0, 1)
    assert sum(period.possible for period in timeline.periods) == 0


def test_only_letters_with_no_stated_year_give_an_axis_of_nothing_and_a_count(db):
    make_letter(actor_named("Sender"), "XXXX-02-11", "no-year")
    timeline = letter_timeline(Letter.objects.all())
    assert (timeline.periods, timeline.no_year, timeline.total) == ([], 1, 1)


@pytest.mark.parametrize(
    "dates, unit, first, last",
    [
        (["2020-05-01", "2025-12-31"], "month", "January 2020", "December 2025"),
        (["2000-05-01", "2026-12-31"], "year", "2000", "2026"),
        (["1890-05-01", "2026-12-31"], "decade", "1890s", "2020s"),
    ],
)
def test_the_axis_is_of_months_years_or_decades_as_the_span_calls_for(db, dates, unit, first, last):
    sender = actor_named("Sender")
    for index, date in enumerate(dates):
        make_letter(sender, date, f"letter-{index}")
    timeline = letter_timeline(Letter.objects.all())
    assert (timeline.unit, timeline.periods[0].label, timeline.periods[-1].label) == (
        unit,
        first,
        last,
    )
    assert timeline.dated == len(dates)


def test_the_timeline_costs_one_query_however_many_letters(db, django_assert_num_queries):
    sender = actor_named("Sender")
    for day in range(1, 29):
        make_letter(sender, f"2024-{day % 12 + 1:02d}-{day:02d}?", f"letter-{day}")
    with django_assert_num_queries(1):
        timeline = letter_timeline(Letter.objects.all())
    assert timeline.total == 28


def test_the_home_timeline_draws_and_tabulates_the_same_figures(client, shipped_letters):
    html = client.get(reverse("claims:home")).content.decode()
    figures = figures_of(html, "home-timeline")
    drawn = {
        (attrs["data-period"], attrs["class"]): int(attrs["data-letters"])
        for tag, attrs in figures.elements
        if tag == "rect" and "data-period" in attrs
    }
    tabulated = {}
    for row in figures.rows[1:]:
        if len(row) == 3:
            label, dated, possible = row
            if int(dated):
                tabulated[(label, "dated")] = int(dated)
            if int(possible):
                tabulated[(label, "possible")] = int(possible)
    assert drawn == tabulated == {("January 2026", "dated"): 1}
    no_year = [attrs for tag, attrs in figures.elements if attrs.get("class") == "no-year"]
    assert no_year[0]["data-letters"] == "1"
    assert ["Year not stated in any source", "1"] in figures.rows


def test_the_letter_list_timeline_follows_the_filters(client, db):
    alice, bob = actor_named("Alice"), actor_named("Bob")
    make_letter(alice, "2026-01-04", "from-alice")
    make_letter(bob, "2026-05-04", "from-bob")
    make_letter(bob, "2026-06-04", "a-draft", published=False)
    html = client.get(reverse("archive:letter-list"), {"sender": "bob"}).content.decode()
    figures = figures_of(html, "letters-timeline")
    drawn = {
        attrs["data-period"]: int(attrs["data-letters"])
        for tag, attrs in figures.elements
        if tag == "rect" and "data-period" in attrs
    }
    assert drawn == {"May 2026": 1}  # not Alice's letter, not the draft
    # The period's row links to the same filters for its dates, and that list holds its letter.
    links = [attrs["href"] for tag, attrs in figures.elements if tag == "a"]
    assert links == ["/letters/?sender=bob&date_from=2026-05-01&date_to=2026-05-31"]
    listed = client.get(links[0]).context["object_list"]
    assert [letter.slug for letter in listed] == ["from-bob"]


def test_a_bad_filter_draws_no_timeline(client, db):
    response = client.get(reverse("archive:letter-list"), {"date_from": "not a date"})
    assert response.status_code == 400
    assert b"letters-timeline" not in response.content


# --- The network --------------------------------------------------------------------------


def test_each_pair_counts_its_letters_with_to_and_copied_apart(db):
    sender, un, nato = actor_named("Sender"), actor_named("UN"), actor_named("NATO")
    make_letter(sender, "2026-01-04", "one", to=[un], cc=[nato])
    make_letter(sender, "2026-01-05", "two", to=[un, nato])
    make_letter(sender, "2026-01-06", "three", to=[un])
    make_letter(sender, "2026-01-07", "draft", published=False, to=[un])
    network = correspondence(Letter.objects.published())
    pairs = {(p.sender.name, p.recipient.name, p.role): p.letters for p in network.pairs}
    assert pairs == {
        ("Sender", "UN", "to"): 3,
        ("Sender", "NATO", "to"): 1,
        ("Sender", "NATO", "cc"): 1,
    }
    assert [node.name for node in network.recipients] == ["UN", "NATO"]
    by_pair = {(p.recipient.name, p.role): p for p in network.pairs}
    assert by_pair[("UN", "to")].stroke > by_pair[("NATO", "to")].stroke
    assert by_pair[("NATO", "cc")].copied and not by_pair[("NATO", "to")].copied


def test_past_the_heaviest_pairs_the_rest_are_counted_not_drawn(db, django_assert_num_queries):
    sender = actor_named("Sender")
    recipients = [actor_named(f"Recipient {n:02d}") for n in range(NETWORK_PAIRS + 5)]
    for n, recipient in enumerate(recipients):
        make_letter(sender, "2026-01-04", f"letter-{n}", to={recipient, recipients[0]})
    with django_assert_num_queries(3):
        network = correspondence(Letter.objects.all())
    assert len(network.pairs) == NETWORK_PAIRS
    assert network.pairs[0].recipient.name == "Recipient 00"
    assert network.pairs[0].letters == NETWORK_PAIRS + 5
    assert network.other_letters == 5


def test_an_actor_page_network_holds_only_the_pairs_the_actor_is_in(client, db):
    sender, un, nato, oic = (actor_named(name) for name in ("Sender", "UN", "NATO", "OIC"))
    make_letter(sender, "2026-01-04", "one", to=[un], cc=[nato])
    make_letter(oic, "2026-01-05", "two", to=[un])
    make_letter(nato, "2026-01-06", "a-draft", published=False, to=[oic])
    network = correspondence(involving=nato)
    assert [(p.sender.name, p.recipient.name, p.role) for p in network.pairs] == [
        ("Sender", "NATO", "cc")
    ]
    html = client.get(reverse("archive:actor-detail", args=["nato"])).content.decode()
    assert 'data-recipient="OIC"' not in html and 'data-recipient="NATO"' in html


def test_the_home_network_draws_and_tabulates_the_same_figures(client, shipped_letters):
    html = client.get(reverse("claims:home")).content.decode()
    figures = figures_of(html, "home-network")
    roles = {"to": "To", "cc": "Copied to"}
    drawn = sorted(
        (
            attrs["data-sender"],
            attrs["data-recipient"],
            roles[attrs["data-role"]],
            attrs["data-letters"],
        )
        for tag, attrs in figures.elements
        if tag == "path" and "data-letters" in attrs
    )
    tabulated = sorted(tuple(row) for row in figures.rows[1:])
    assert drawn == tabulated
    assert len(drawn) == Recipient.objects.count() == 10
    assert any(role == "Copied to" for _, _, role, _ in drawn)


def test_the_correspondence_page_follows_the_letter_filters_and_refuses_bad_ones(client, db):
    alice, bob, un = actor_named("Alice"), actor_named("Bob"), actor_named("UN")
    make_letter(alice, "2026-01-04", "from-alice", to=[un])
    make_letter(bob, "2026-05-04", "from-bob", to=[un])
    html = client.get(reverse("archive:correspondence"), {"sender": "bob"}).content.decode()
    senders = {
        attrs["data-sender"]
        for tag, attrs in figures_of(html, "correspondence-network").elements
        if "data-sender" in attrs
    }
    assert senders == {"Bob"}
    unfiltered = client.get(reverse("archive:correspondence")).content.decode()
    assert {
        attrs["data-sender"]
        for tag, attrs in figures_of(unfiltered, "correspondence-network").elements
        if "data-sender" in attrs
    } == {"Alice", "Bob"}
    for bad in ({"sender": "nobody"}, {"date_from": "2026-13-45"}, {"q": "a\x00b"}):
        response = client.get(reverse("archive:correspondence"), bad)
        assert response.status_code == 400, bad


def test_names_in_the_charts_are_escaped(client, db):
    sender = actor_named('<script>alert("x")</script>')
    make_letter(sender, "2026-01-04", "one", to=[actor_named("UN")])
    html = client.get(reverse("claims:home")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_the_timeline_survives_the_calendar_edges(db):
    sender = actor_named("Sender")
    make_letter(sender, "0001-01-01", "first")
    make_letter(sender, "9999-12-31", "last")
    timeline = letter_timeline(Letter.objects.all())
    assert timeline.unit == "decade" and timeline.dated == 2
    assert timeline.periods[0].start == datetime.date(1, 1, 1)
