"""Query budgets: every public page runs a bounded number of queries, whatever it shows.

Each page is requested on an archive of 1 claim and on one of 60 claims (lists are
paged at 50, so the claim list shows 50 of them). Two kinds of test:

- per page and size, a budget: `django_assert_max_num_queries(BUDGET[page])`, the same
  at both sizes;
- one test for all pages: the counts captured at 1 claim and again after the same
  archive has grown to 60 must be equal, so a query repeated per claim (an N+1) fails
  even where it would still fit a budget.

Letters, actors, recipients and requested actions do not grow with the claims (the
archive has 3 letters and 8 actors at every size), so a query repeated per letter or
per actor would not move the count between 1 and 60 claims: the budgets, being exact,
are what catch those.

The budgets are the measured counts on SQLite and PostgreSQL (they agree), not padded:
one more query on a page is a change to look at, and then to budget for on purpose.

The factory builds everything the pages show, so that a lazily loaded relation on any
row would show up as extra queries: senders, signatories, to and cc recipients, requested
actions with addressees, actors with authority identifiers and parents, claims of every
status and kind about two actors each, opposing and acknowledging responses, evidence,
claims about the same actor in other letters, a response to a whole letter, and history
with editors and reasons (statuses changed through `set_status` and through a save with
`_change_reason`).
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim

from .factory import SEARCH_WORD, build_archive, grow

pytestmark = pytest.mark.django_db

SIZES = [1, 60]

# Queries per page. The same at 1 and at 60 claims, on SQLite and on PostgreSQL; measured, not padded.
# Every page first reads the archive's revision number, the key of its cached copy (core/page_cache.py),
# once however many per-revision figures it shows; then what follows. Statuses are counted in one query
# of their own. A list page is two queries: its rows' keys, sorted, then those rows (core/keyset.py).
# Every claim list shows its filter form: the choices of status and of the "about" and responder menus
# (one query each); then the count (on PostgreSQL the planner's estimate first), the page (with letters,
# senders and statuses joined) and its responses.
BUDGET = {
    "home": 23,  # statuses with counts, 10 letters, letter count, the timeline (letters grouped by
    # month) and the network (pairs grouped, their names) (the three
    # charts once per revision outside tests), recent changes (below); whether
    # there are drafts (once per revision outside tests), letters deleted while drafts, and
    # which of the changed sources the public may read
    "letter-list": 9,  # sender and recipient choices, count (on PostgreSQL the planner's estimate first),
    # the page's keys, its rows, their recipients; the timeline of every filtered letter
    "correspondence": 5,  # sender and recipient choices; whether there are drafts; the pairs grouped
    # and their names (once per revision outside tests, when unfiltered)
    "letter-detail": 10,  # letter, its sources, recipients, actions, their addressees; claims, their
    # responses (a dispute's basis), whole-letter responses; its latest version (citation)
    "letter-detail-past": 18,  # the same as they stood, plus the links of the letter's and the actions' versions;
    # whether the letter was withdrawn since (a draft now, or deleted as one)
    "letter-cmif": 10,  # letters, sender and signatory identifiers, recipients, their identifiers, and the
    # latest change of letters, recipients, actors and identifiers
    "claim-list": 9,
    "claim-list-status": 10,  # + checking the chosen status
    "claim-list-about": 10,  # + looking up the actor
    "claim-list-responder": 10,  # + looking up the actor
    "claim-list-search": 10,  # + the text search configurations in use (PostgreSQL; once per revision
    # outside a transaction, so every time in a test)
    "claim-list-sort": 9,
    "claim-list-dates": 9,
    "claim-detail": 12,  # claim (with the recurring assertion it makes), parties, the sender's
    # identifiers (ClaimReview), responses, evidence,
    # related claims (those sharing two parties, then the rest), status labels,
    # its history, its latest version (citation); the other claims making its recurring assertion
    "claim-detail-past": 13,  # its version and its parties' links, responses, evidence, letter, actors,
    # sources and status as they stood; status labels and history for the timeline; whether its
    # letter was withdrawn since
    "claim-annotation": 4,  # claim, its responses (a dispute's basis), the dates of its first and latest version
    "actor-list": 5,  # count (on PostgreSQL the planner's estimate first), the page's keys, its rows
    "actor-detail": 20,  # actor, identifiers, its pairs in the network (as sender, as recipient,
    # their names), then a page and a count each of
    # letters sent, signed, received,
    # requests addressed to it, claims about it (and their responses) and responses it gave; whether
    # there are drafts (without, a count need not read each row's letter)
    "recurring-list": 2,  # the assertions, each with its letters counted (a draft's claims left
    # out in SQL): one page, editors make them by hand
    "recurring-detail": 7,  # the assertion (if a published claim makes it), its claims (letters, senders,
    # statuses, sources and confirming editors joined), their responses, the whole-letter responses;
    # for the timeline, the statuses and the claims' versions
    "status-list": 4,  # + whether there are drafts
    "change-list": 16,  # one per history table (10), actor names, letters; whether there are
    # drafts, letters deleted while drafts, which of the changed sources the public may read
    "change-feed": 16,  # the same changes
}


# --- The pages ----------------------------------------------------------------------


def claims_url(query=""):
    return reverse("claims:claim-list") + query


PAGES = {
    "home": lambda a: reverse("claims:home"),
    "letter-list": lambda a: reverse("archive:letter-list"),
    "correspondence": lambda a: reverse("archive:correspondence"),
    "letter-detail": lambda a: a.letters[0].get_absolute_url(),
    "letter-detail-past": lambda a: (
        a.letters[0].get_absolute_url() + f"?as_of={timezone.localdate()}"
    ),
    "letter-cmif": lambda a: reverse("archive:letter-cmif"),
    "claim-list": lambda a: claims_url(),
    "claim-list-status": lambda a: claims_url("?status=disputed"),
    "claim-list-about": lambda a: claims_url("?about=state-a"),
    "claim-list-responder": lambda a: claims_url("?responder=state-a&stance=opposes"),
    "claim-list-search": lambda a: claims_url(f"?q={SEARCH_WORD}"),
    "claim-list-sort": lambda a: claims_url("?sort=status"),
    "claim-list-dates": lambda a: claims_url("?date_from=2026-01-01&date_to=2026-12-31"),
    # Claim 0 has it all: disputed through set_status, a rejecting response, evidence, and
    # (from 2 claims on) claims in other letters about the same parties.
    "claim-detail": lambda a: a.claims[0].get_absolute_url(),
    "claim-detail-past": lambda a: (
        a.claims[0].get_absolute_url() + f"?as_of={timezone.localdate()}"
    ),
    "claim-annotation": lambda a: reverse("claims:claim-annotation", args=[a.claims[0].pk]),
    "actor-list": lambda a: reverse("archive:actor-list"),
    # State A sent a letter, received two, is what claims are about and responded to claims and a letter.
    "actor-detail": lambda a: reverse("archive:actor-detail", args=["state-a"]),
    "recurring-list": lambda a: reverse("claims:recurring-list"),
    "recurring-detail": lambda a: a.recurring.get_absolute_url(),
    "status-list": lambda a: reverse("claims:status-list"),
    "change-list": lambda a: reverse("claims:change-list"),
    "change-feed": lambda a: reverse("claims:change-feed"),
}
assert PAGES.keys() == BUDGET.keys()


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return [query["sql"] for query in queries.captured_queries]


def repeated(statements):
    """Statements run more than once with any values, most repeated first: where an N+1 shows."""
    shapes = Counter(re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", sql) for sql in statements)
    return [(count, sql) for sql, count in shapes.most_common() if count > 1]


# --- The tests ----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_stays_within_its_query_budget(client, django_assert_max_num_queries, page, size):
    archive = build_archive(size)
    with django_assert_max_num_queries(BUDGET[page]):
        fetch(client, PAGES[page](archive))


def test_no_page_runs_more_queries_for_60_claims_than_for_1(client):
    """One archive, measured on every page at 1 claim and again once grown to 60 claims.

    One test for all pages, so the archive is built once; a failure names every page
    whose count moved, with the statements repeated most at 60 claims (the N+1).
    """
    archive = build_archive(1)
    one = {page: measure(client, url(archive)) for page, url in PAGES.items()}
    grow(archive, 60)
    sixty = {page: measure(client, url(archive)) for page, url in PAGES.items()}
    moved = [
        f"{page}: {len(one[page])} queries at 1 claim, {len(sixty[page])} at 60; repeated at 60:\n"
        + "\n".join(f"  {count} × {sql}" for count, sql in repeated(sixty[page])[:3])
        for page in PAGES
        if len(sixty[page])
        > len(one[page])  # fewer is fine: a related-claims list full from its first query
    ]
    if moved:
        pytest.fail("\n".join(moved), pytrace=False)


def test_no_page_reads_an_editors_password_hash_or_a_status_sources_whole_text(client):
    """A status's basis names its source and its reviewing editor: a page reads only those."""
    archive = build_archive(60)
    for page, url in PAGES.items():
        statements = measure(client, url(archive))
        reading = [sql[:300] for sql in statements if '"auth_user"."password"' in sql]
        assert not reading, (page, reading)
        statements = " ".join(statements)
        if page.startswith("claim-list"):
            assert '"archive_source"."text"' not in statements, page


def test_the_factory_fills_every_part_of_every_page(client):
    """Guards the budgets against a factory that quietly shows less than the pages can."""
    archive = build_archive(60)
    first = archive.claims[0]

    detail = fetch(client, first.get_absolute_url()).content.decode()
    assert "State A</a>: rejects" in detail
    assert 'Contradicts: “<span lang="en" dir="ltr">a record bears on point 000</span>”' in detail
    related = detail.split('id="related-heading"')[1].split("</section>")[0]
    assert related.count("<li>") == 10  # claims in letters 1 and 2 about State A or State B
    assert (
        "changed from Could not be independently verified (a source&#x27;s report) to "
        "<strong>Disputed (a party&#x27;s response)</strong>" in detail
    )
    assert "Reason: A party rejects the claim" in detail

    claim_list = fetch(client, claims_url()).content.decode()
    assert claim_list.count('class="claim-summary"') == 50
    assert claim_list.count("rejects") >= 10 and claim_list.count("acknowledges") >= 10
    assert (
        fetch(client, claims_url("?status=disputed"))
        .content.decode()
        .count('class="claim-summary"')
        == 20
    )
    assert (
        fetch(client, claims_url("?responder=state-a&stance=opposes"))
        .content.decode()
        .count('class="claim-summary"')
        > 1
    )
    assert (
        fetch(client, claims_url(f"?q={SEARCH_WORD}"))
        .content.decode()
        .count('class="claim-summary"')
        == 50
    )

    letter = fetch(client, archive.letters[0].get_absolute_url()).content.decode()
    assert "Copied to" in letter and "Asked of" in letter
    assert letter.count('class="status status-') == 20  # every claim of letter 0, listed
    assert "United Nations</a>: no public response" in letter

    letters = fetch(client, reverse("archive:letter-list")).content.decode()
    assert "20 claims" in letters

    actor = fetch(client, reverse("archive:actor-detail", args=["state-a"])).content.decode()
    assert (
        "Authority records" in actor
        and "Letters sent (1)" in actor
        and "Letters received (1)" in actor
    )
    assert "Claims about State A (30)" in actor and "On the letter as a whole" in actor

    changes = fetch(client, reverse("claims:change-list")).content.decode()
    assert "by Ada Editor. Reason: Checked against the report." in changes
    assert Claim.history.filter(history_change_reason__endswith=" denied it.").exists()

    assert (
        fetch(client, reverse("archive:actor-list"))
        .content.decode()
        .count("part of United Nations")
        == 1
    )
