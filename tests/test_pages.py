"""The researcher pages, as a researcher uses them: find a claim, read it in place, see who disputes it."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from archive.models import Actor, Letter, RequestedAction, Source
from claims.basis import labelled
from claims.models import Claim, Evidence, Response, VerificationStatus
from claims.statuses import set_status
from claims.views import ClaimListView

from .conftest import status

pytestmark = pytest.mark.django_db

FEBRUARY = "balochistan-to-unsc-p5-un-oic-02-11"
NATO = "balochistan-to-nato-2026-01-04"


def html(response):
    return response.content.decode()


def listed_claims(response):
    """Ids of the claims a claim list page shows, in order."""
    return [claim.pk for claim in response.context["object_list"]]


def claims_where(**lookups):
    return set(Claim.objects.filter(**lookups).values_list("pk", flat=True))


# The archive at a glance


def test_home_charts_claims_by_status_in_words_and_numbers(client, shipped_letters):
    page = html(client.get("/"))
    assert "<svg" in page and 'role="img"' in page
    for row in VerificationStatus.objects.all():
        expected = Claim.objects.filter(status=row).count()
        # Each row says whose the status is, between its label and its count.
        whose = escape(row.get_basis_display())
        assert re.search(
            rf"{re.escape(row.label)}</a></th><td>{re.escape(whose)}</td><td>{expected}</td>", page
        ), row
    assert '<th scope="col">Whose it is</th>' in page
    assert '<th scope="row" colspan="2">All claims</th><td>41</td>' in page  # the total row


def test_home_lists_the_letters_with_their_dates_in_words_and_recent_changes(
    client, shipped_letters
):
    page = html(client.get("/"))
    assert "11 February, year unknown" in page and "year inferred" not in page
    assert '<time datetime="02-11"' in page  # no year a source does not state
    assert '<time datetime="2026-01-04"' in page and "4 January 2026" in page
    assert "Recent changes" in page and "Imported from" in page


def test_healthz_is_a_plain_200_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


# Letters


def test_the_letter_list_filters_by_sender_recipient_and_date(client, shipped_letters):
    def slugs(query):
        return [letter.slug for letter in client.get("/letters/", query).context["object_list"]]

    # Newest first: the letter of 11 February, whose year no source states, comes after every dated one.
    assert slugs({}) == [NATO, FEBRUARY]
    assert slugs({"recipient": "nato-foreign-ministries"}) == [NATO]  # copied-to counts as received
    assert slugs({"recipient": "china"}) == [FEBRUARY]
    assert slugs({"sender": "republic-of-balochistan"}) == [NATO, FEBRUARY]
    assert slugs({"date_from": "2026-02-01"}) == [
        FEBRUARY
    ]  # 4 January 2026 is out; 11 February may be in
    assert slugs({"date_to": "2026-01-31"}) == [
        NATO,
        FEBRUARY,
    ]  # ... and so may it be here: its year is unknown
    assert slugs({"date_from": "2026-01-05", "date_to": "2026-01-31"}) == [FEBRUARY]
    assert slugs({"sort": "oldest"}) == [
        NATO,
        FEBRUARY,
    ]  # a letter whose year is unknown is last in both orders


def test_newest_first_lists_a_letter_of_unknown_year_after_the_dated_ones_everywhere(
    client, shipped_letters
):
    home = client.get("/").context["letters"]
    assert [letter.slug for letter in home] == [NATO, FEBRUARY]
    claims = [Claim.objects.get(pk=pk).letter.slug for pk in listed_claims(client.get("/claims/"))]
    assert claims == sorted(claims, key=[NATO, FEBRUARY].index) and claims[-1] == FEBRUARY
    pakistan = client.get(reverse("archive:actor-detail", args=["pakistan"])).context
    about = [claim.letter.slug for claim in pakistan["claims_about"]]
    assert about == sorted(about, key=[NATO, FEBRUARY].index) and set(about) == {NATO, FEBRUARY}


def test_letter_search_reaches_the_source_text(client, shipped_letters):
    # "Brussels" is only in the NATO report's text, not in either letter's title or summary.
    found = client.get("/letters/", {"q": "Brussels"}).context["object_list"]
    assert [letter.slug for letter in found] == [NATO]


def test_a_letter_page_shows_its_date_with_its_certainty_and_recipients_by_role(
    client, shipped_letters
):
    february = html(client.get(reverse("archive:letter-detail", args=[FEBRUARY])))
    note = (
        "The report gives the date only as “February 11”; no source in the archive states the year."
    )
    assert f'<time datetime="02-11" title="{note}">11 February, year unknown</time>' in february
    assert (
        "<code>XXXX-02-11</code>" in february
        and "2026" not in february.split('id="summary-heading"')[0]
    )
    nato = client.get(reverse("archive:letter-detail", args=[NATO]))
    assert [r.actor.slug for r in nato.context["recipients_cc"]] == ["nato-foreign-ministries"]
    assert {r.actor.slug for r in nato.context["recipients_to"]} == {
        "nato-member-governments",
        "nato-permanent-missions",
    }
    page = html(nato)
    assert "<dt>Copied to</dt>" in page
    assert "Outcome so far: no public response" in page


def test_a_letter_page_highlights_every_claim_in_its_source_with_status_in_words(
    client, shipped_letters
):
    letter = Letter.objects.get(slug=NATO)
    page = html(client.get(letter.get_absolute_url()))
    assert "The original letter's text is not available" in page
    source = letter.sources.get()
    assert f"The source: “{source.title}”" in page
    for claim in letter.claims.select_related("status"):
        # Each highlight's link names the claim's status with whose it is.
        link = (
            f'href="{claim.get_absolute_url()}" lang="en-gb" dir="auto">'
            f"Claim {claim.position}: {escape(labelled(claim.status))}</a>"
        )
        assert link in page, claim.key
        assert f'id="quote-claim-{claim.pk}"' in page
    assert "Claim 1: Not checkable (the editors&#x27; classification)</a>" in page
    assert page.count('class="quote-ref') == letter.claims.count()


def test_overlapping_and_nested_quotes_are_all_highlighted(client, letter, make_claim):
    outer = make_claim(
        key="outer", quote="the river flooded in 1950. Officials", quote_suffix=" denied it."
    )
    make_claim(key="inner", quote="Officials denied it")
    make_claim(key="nested", quote="flooded in 1950. Off", quote_prefix="wrote that the river ")
    page = html(client.get(letter.get_absolute_url()))
    source_html = page[page.index('class="source-text"') :]
    assert 'class="quote depth-3"' in source_html  # "Off" lies inside all three quotes
    assert source_html.count("<mark") == source_html.count("</mark>")
    assert (
        f'href="{outer.get_absolute_url()}" lang="en-gb" dir="auto">'
        f"Claim {outer.position}: Not yet assessed</a>"
    ) in page


def test_an_orphaned_quote_is_listed_not_highlighted(client, letter, make_claim, source):
    claim = make_claim(quote="Officials denied it")
    source.text = source.text.replace("Officials denied it", "Nobody said anything")
    source.save()
    page = html(client.get(letter.get_absolute_url()))
    assert "no longer in the source" in page
    assert f'id="quote-claim-{claim.pk}"' not in page


# Claims


def test_claims_filter_by_status(client, shipped_letters):
    response = client.get("/claims/", {"status": ["disputed", "unverified"]})
    assert set(listed_claims(response)) == claims_where(status__slug__in=["disputed", "unverified"])
    assert len(listed_claims(response)) == 7


def test_claims_filter_by_the_actor_they_are_about(client, shipped_letters):
    response = client.get("/claims/", {"about": "iran"})
    assert set(listed_claims(response)) == claims_where(about__slug="iran")


def test_claims_filter_by_who_disputes_them(client, shipped_letters):
    disputed_by_pakistan = client.get("/claims/", {"responder": "pakistan", "stance": "opposes"})
    assert {Claim.objects.get(pk=pk).key for pk in listed_claims(disputed_by_pakistan)} == {
        "sovereign-before-1947",
        "forcibly-annexed-1948",
    }
    denied_by_iran = client.get("/claims/", {"responder": "iran", "stance": "denies"})
    assert [Claim.objects.get(pk=pk).key for pk in listed_claims(denied_by_iran)] == [
        "iran-executions"
    ]
    assert listed_claims(client.get("/claims/", {"responder": "iran", "stance": "rejects"})) == []


def test_claims_filter_by_kind_letter_and_letter_date(client, shipped_letters):
    assert set(listed_claims(client.get("/claims/", {"kind": "historical"}))) == claims_where(
        kind="historical"
    )
    in_nato_letter = client.get("/claims/", {"letter": NATO})
    assert set(listed_claims(in_nato_letter)) == claims_where(letter__slug=NATO)
    # 4 January 2026 is in a range or not; a letter whose year no source states may be in any range.
    january = client.get("/claims/", {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert set(listed_claims(january)) == claims_where(letter__slug__in=[NATO, FEBRUARY])
    later = client.get("/claims/", {"date_from": "2026-01-05", "date_to": "2026-03-01"})
    assert set(listed_claims(later)) == claims_where(letter__slug=FEBRUARY)
    nineteenth_century = client.get(
        "/claims/", {"date_from": "1850-01-01", "date_to": "1850-12-31"}
    )
    assert set(listed_claims(nineteenth_century)) == claims_where(letter__slug=FEBRUARY)


def test_claims_sort_by_status_follows_the_vocabulary_order(client, shipped_letters):
    shown = client.get("/claims/", {"sort": "status"}).context["object_list"]
    positions = [claim.status.position for claim in shown]
    assert positions == sorted(positions)


def next_link(page):
    match = re.search(r'href="\?([^"]*)" rel="next"', page)
    return match and "?" + match.group(1).replace("&amp;", "&")


def test_paging_keeps_the_filters_and_walks_every_row_once(client, shipped_letters, monkeypatch):
    monkeypatch.setattr(ClaimListView, "paginate_by", 10)
    first = client.get("/claims/", {"status": "not-checkable"})
    page = html(first)
    assert "15 claims" in page and "Showing 1–10 of 15" in page
    link = next_link(page)
    assert link.startswith("?status=not-checkable&after=")
    seen = listed_claims(first)
    for expected in ("Showing 11–15 of 15",):
        response = client.get("/claims/" + link)
        page = html(response)
        assert expected in page
        seen += listed_claims(response)
        link = next_link(page)
    assert link is None  # the last page has no Next
    wanted = Claim.objects.filter(status__slug="not-checkable").order_by(
        "-letter__date_earliest", "letter_id", "position", "pk"
    )
    assert seen == [claim.pk for claim in wanted]


def test_previous_goes_back_to_the_same_rows(client, shipped_letters, monkeypatch):
    monkeypatch.setattr(ClaimListView, "paginate_by", 10)
    first = client.get("/claims/")
    second = client.get("/claims/" + next_link(html(first)))
    previous = (
        re.search(r'href="\?([^"]*)" rel="prev"', html(second)).group(1).replace("&amp;", "&")
    )
    back = client.get("/claims/?" + previous)
    assert listed_claims(back) == listed_claims(first)
    assert "Showing 1–10 of 41" in html(back)
    assert 'rel="prev"' not in html(back)  # back at the start


def test_a_search_finds_and_highlights_claims(client, shipped_letters):
    response = client.get("/claims/", {"q": "annexed"})
    assert set(listed_claims(response)) == {Claim.objects.get(key="forcibly-annexed-1948").pk}
    assert re.search(r"<mark>annexed</mark>", html(response), re.IGNORECASE)


def test_search_understands_phrases_exclusions_and_alternatives(client, shipped_letters):
    def keys(q):
        return {
            Claim.objects.get(pk=pk).key for pk in listed_claims(client.get("/claims/", {"q": q}))
        }

    assert keys('"forcibly annexed"') == {"forcibly-annexed-1948"}
    assert keys("annexed or executes") == {"forcibly-annexed-1948", "iran-executions"}
    assert "iran-executions" not in keys("baloch -iran")


def test_a_claim_page_attributes_the_claim_and_shows_who_disputes_it(client, shipped_letters):
    annexation = Claim.objects.get(key="forcibly-annexed-1948")
    page = html(client.get(annexation.get_absolute_url()))
    assert (
        "The letter from “Republic of Balochistan” (self-declared) claims that Balochistan was “forcibly annexed”"
        in page
    )
    assert '<h2 id="status-heading">Status, and whose it is</h2>' in page
    assert (
        '<p class="status-basis"><span class="status status-disputed">Disputed</span>: Pakistan rejects it.</p>'
        in page
    )
    assert "Pakistan</a>: rejects" in page  # the response itself, with its source
    assert "No ClaimReview: the archive publishes one only for the editors' own assessments" in page
    assert '<script type="application/ld+json">' not in page  # no ClaimReview for a party's dispute
    assert f"{annexation.letter.get_absolute_url()}#quote-claim-{annexation.pk}" in page


def test_a_claim_page_quotes_the_source_its_status_rests_on(client, shipped_letters):
    operations = Claim.objects.get(key="security-operations-2025")
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    page = html(client.get(operations.get_absolute_url()))
    assert (
        '<p class="status-basis"><span class="status status-unverified">Could not be independently verified</span>, '
        f"according to “{report.title}”: “These claims could not be independently verified.”"
    ) in page
    # The report's caveat is the status's basis, not evidence the editors list.
    assert (
        '<h2 id="evidence-heading">Evidence the editors list</h2>' in page
        and "No evidence recorded." in page
    )


def test_a_claim_page_shows_evidence_and_claims_in_other_letters_about_the_same_parties(
    client, shipped_letters
):
    operations = Claim.objects.get(key="security-operations-2025")
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    Evidence.objects.create(
        claim=operations,
        relation=Evidence.Relation.CONTEXT,
        source=report,
        quote_exact="citing statements attributed to Pakistani officials",
        note="Where the figure comes from.",
    )
    response = client.get(operations.get_absolute_url())
    assert (
        'Gives context: “<span lang="en" dir="ltr">citing statements attributed to Pakistani '
        f"officials</span>” (“{report.title}”). "
        "Where the figure comes from."
    ) in html(response)
    related = list(response.context["related_claims"])
    assert related and all(claim.letter_id != operations.letter_id for claim in related)
    assert all(claim.about.filter(slug="pakistan").exists() for claim in related)
    # Each related claim is the sender's assertion, with whose its status is.
    for claim in related:
        assert (
            f'<a href="{claim.get_absolute_url()}">{escape(claim.attributed_statement)}</a>'
            in html(response)
        )
    assert (
        '— <span class="status status-unassessed">Not yet assessed</span>: no source, party or editor has '
        f"assessed it (in {related[0].letter.title})"
    ) in html(response)


def test_related_claims_share_most_parties_first_then_the_newest(letter, source, make_claim):
    from archive.models import Actor
    from claims.views import RELATED_CLAIMS

    state_a, state_b, state_c = (
        Actor.objects.create(name=name, slug=name, kind=Actor.Kind.STATE) for name in "abc"
    )

    def claim_in(date, about):
        other = Letter.objects.create(
            title=date, slug=f"letter-{date}", date_edtf=date, sender=letter.sender
        )
        other.sources.add(source)
        made = Claim.objects.create(
            letter=other,
            key="k",
            statement="s.",
            status=status("unassessed"),
            source=source,
            quote_exact="asked for an inquiry",
        )
        made.about.set(about)
        return made

    subject = make_claim(key="subject")
    subject.about.set([state_a, state_b])
    make_claim(key="same-letter").about.set(
        [state_a, state_b]
    )  # the same letter: not "other letters"
    newest_about_a = claim_in("2026-03-01", [state_a])
    oldest_about_both = claim_in("2019-01-01", [state_a, state_b, state_c])
    about_b = claim_in("2024-05-05", [state_b])
    claim_in("2025-01-01", [state_c])  # shares no party
    assert Claim.objects.related_to(subject, limit=RELATED_CLAIMS) == [
        oldest_about_both,
        newest_about_a,
        about_b,
    ]


CAVEAT = "These claims could not be independently verified."


def test_the_status_timeline_shows_each_change_with_its_reason(client, shipped_letters):
    claim = Claim.objects.filter(key="control-led-to-instability")
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    editor = User.objects.create_user("ed", first_name="Edith", last_name="Editor")
    set_status(
        claim, status("unverified"), "The report says so.", editor, source=report, words=CAVEAT
    )
    page = html(client.get(claim.get().get_absolute_url()))
    assert (
        "changed from Not yet assessed to <strong>Could not be independently verified "
        "(a source&#x27;s report)</strong>"
    ) in page
    assert "by Edith Editor. Reason: The report says so." in page
    assert (
        f"Could not be independently verified</span>, according to “{report.title}”: “{CAVEAT}”"
        in page
    )


# Actors, statuses, changes


def test_an_actor_page_shows_letters_by_role_claims_about_it_and_its_responses(
    client, shipped_letters
):
    page = html(client.get(reverse("archive:actor-detail", args=["nato-foreign-ministries"])))
    assert "(copied to)" in page
    pakistan = client.get(reverse("archive:actor-detail", args=["pakistan"]))
    text = html(pakistan)
    assert f"Claims about Pakistan ({Claim.objects.filter(about__slug='pakistan').count()})" in text
    assert "Responses given (3)" in text
    assert "On the letter as a whole" in text and "<strong>no public response</strong>" in text


def test_the_status_page_explains_every_status(client, shipped_letters):
    page = html(client.get("/statuses/"))
    for status_row in VerificationStatus.objects.all():
        assert f'id="{status_row.slug}"' in page
        assert escape(status_row.description) in page
        assert f"Whose it is: {escape(status_row.get_basis_display())}." in page
        claimreview = (
            "Published as a ClaimReview"
            if status_row.basis == "editors"
            else "Never published as a ClaimReview"
        )
        assert claimreview in page.split(f'id="{status_row.slug}"')[1].split("</dd>")[0], (
            status_row.slug
        )
    # The rule that sets a claim's kind, which "not checkable" follows.
    assert '<h2 id="kinds-heading">How claims are classified</h2>' in page
    for kind in Claim.Kind:
        assert f'<dt id="kind-{kind.value}">{kind.label}</dt>' in page


def test_changes_are_listed_newest_first_with_reason_and_editor_name_not_login(
    client, shipped_letters
):
    editor = User.objects.create_user("secret-login", first_name="Edith", last_name="Editor")
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    set_status(
        Claim.objects.filter(key="china-ai-training"),
        status("unverified"),
        "No source given.",
        editor,
        source=report,
        words=CAVEAT,
    )
    response = client.get("/changes/")
    changes = response.context["changes"]
    assert changes[0].reason == "No source given." and changes[0].editor == "Edith Editor"
    assert changes[0].label.startswith(
        "The letter from “Republic of Balochistan” (self-declared) claims that China"
    )
    assert "The letter claims that" not in html(response)
    assert [c.when for c in changes] == sorted((c.when for c in changes), reverse=True)
    assert "secret-login" not in html(response)


def test_older_changes_are_reached_by_time_not_by_offset(client, shipped_letters):
    first = client.get("/changes/").context
    assert first["next_before"] is not None  # 114 imported rows: more than one page
    older = client.get("/changes/", {"before": first["next_before"].isoformat()}).context["changes"]
    assert older and all(change.when < first["next_before"] for change in older)
    assert not {c.key for c in older} & {c.key for c in first["changes"]}


def test_a_deleted_object_is_listed_without_a_link(client, shipped_letters):
    response = Response.objects.filter(letter__isnull=False).first()
    response.delete()
    change = client.get("/changes/").context["changes"][0]
    assert (change.action, change.url) == ("Deleted", "")


def test_the_changes_feed_is_atom(client, shipped_letters):
    response = client.get("/changes/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 50
    assert all(entry.find(f"{atom}link").get("href").startswith("http") for entry in entries)


def test_an_estimated_count_is_labelled_about_in_the_heading_paging_and_downloads(
    client, shipped_letters, monkeypatch
):
    from core import keyset

    monkeypatch.setattr(keyset, "count", lambda queryset: (203_117, True))
    monkeypatch.setattr(ClaimListView, "paginate_by", 10)
    page = html(client.get("/claims/"))
    assert "About 200,000 claims</h2>" in page
    assert "Showing 1–10 of about 200,000" in page
    assert "Download all of them (about 200,000 claims):" in page


def test_an_exact_count_offers_these_claims(client, shipped_letters):
    page = html(client.get("/claims/", {"status": "disputed"}))
    count = Claim.objects.filter(status__slug="disputed").count()
    assert f"Download these {count} claims:" in page


# Whose each status is, on every page that shows one


@pytest.fixture
def one_claim_per_status(letter, source, make_claim, django_user_model):
    """A claim of each seeded status, each with the basis it needs, all about one party."""
    party = Actor.objects.create(name="Party", slug="party", kind=Actor.Kind.STATE)
    named = django_user_model.objects.create_user(
        "ada-login", first_name="Ada", last_name="Reviewer"
    )
    unnamed = django_user_model.objects.create_user("anon-login")
    claims = {
        "unassessed": make_claim(key="unassessed"),
        "unverified": make_claim(
            key="unverified",
            status_slug="unverified",
            status_source=source,
            status_quote="Officials denied it.",
        ),
        "disputed": make_claim(key="disputed"),
        "corroborated": make_claim(
            key="corroborated", status_slug="corroborated", reviewed_by=named
        ),
        "contradicted": make_claim(
            key="contradicted", status_slug="contradicted", reviewed_by=unnamed
        ),
        "not-checkable": make_claim(
            key="not-checkable", status_slug="not-checkable", kind=Claim.Kind.PREDICTION
        ),
    }
    claims["disputed"].responses.create(
        actor=party,
        stance=Response.Stance.DENIES,
        source=source,
        quote_exact="Officials denied it.",
    )
    claims["disputed"].status = status("disputed")
    claims["disputed"].save()
    for slug, relation in (
        ("corroborated", Evidence.Relation.SUPPORTS),
        ("contradicted", Evidence.Relation.CONTRADICTS),
    ):
        Evidence.objects.create(
            claim=claims[slug], relation=relation, source=source, quote_exact="Officials denied it."
        )
    for claim in claims.values():
        claim.about.add(party)
    return claims


# What follows each status's badge on every page, escaped as the page shows it.
WHOSE = {
    "unassessed": '<span class="status status-unassessed">Not yet assessed</span>: no source, party or editor has '
    "assessed it",
    "unverified": '<span class="status status-unverified">Could not be independently verified</span>, according to '
    "“A report”",
    "disputed": '<span class="status status-disputed">Disputed</span>: Party denies it',
    "corroborated": '<span class="status status-corroborated">Corroborated</span>: the editors&#x27; own assessment, '
    "reviewed by Ada Reviewer, on the evidence listed with the claim",
    "contradicted": '<span class="status status-contradicted">Contradicted</span>: the editors&#x27; own assessment, '
    "reviewed by an editor, on the evidence listed with the claim",
    "not-checkable": '<span class="status status-not-checkable">Not checkable</span>: the editors classify it as a '
    "prediction or warning, which no record could settle",
}


def test_a_claim_page_says_whose_its_status_is_for_every_basis(client, one_claim_per_status):
    for slug, claim in one_claim_per_status.items():
        page = html(client.get(claim.get_absolute_url()))
        # The claim page quotes the source's words too; a sentence, ended once.
        expected = WHOSE[slug] + (": “Officials denied it.”" if slug == "unverified" else ".")
        assert f'<p class="status-basis">{expected}</p>' in page, slug
        assert (
            "ada-login" not in page and "anon-login" not in page
        )  # a name or a neutral word, never a login


def test_the_letter_page_the_claim_list_and_the_actor_page_say_whose_each_status_is(
    client, one_claim_per_status
):
    letter = next(iter(one_claim_per_status.values())).letter
    pages = {
        "letter": html(client.get(letter.get_absolute_url())),
        "claim list": html(client.get("/claims/")),
        "actor": html(client.get(reverse("archive:actor-detail", args=["party"]))),
    }
    for name, page in pages.items():
        for slug, whose in WHOSE.items():
            assert whose in page, (name, slug)
        assert ": “Officials denied it.”" not in page, (
            name
        )  # lists name the source; its words are on the claim page
        assert "login" not in page, name
    assert f"Status: {WHOSE['disputed']} · Factual · In" in pages["claim list"]


def test_every_claim_on_a_letter_page_is_the_senders_assertion(client, shipped_letters):
    letter = Letter.objects.get(slug=FEBRUARY)
    page = html(client.get(letter.get_absolute_url()))
    assert "The letter claims that" not in page
    for claim in letter.claims.all():
        assert (
            f'<a href="{claim.get_absolute_url()}">{escape(claim.attributed_statement)}</a>' in page
        ), claim.key


# Actors


def test_an_actor_page_lists_the_letters_it_signed_and_the_requests_addressed_to_it(
    client, shipped_letters
):
    signatory = html(client.get(reverse("archive:actor-detail", args=["mir-yar-baloch"])))
    assert '<h2 id="signed-heading">Letters signed (1)</h2>' in signatory
    assert (
        f'<a href="/letters/{NATO}/">Letter of 4 January 2026 to NATO member states</a>, '
        '<time datetime="2026-01-04"'
    ) in signatory
    assert "(sent by “Republic of Balochistan” (self-declared))" in signatory
    assert "Letters sent (0)" in signatory

    sender = html(client.get(reverse("archive:actor-detail", args=["republic-of-balochistan"])))
    assert "Letters sent (2)" in sender and "Letters signed" not in sender  # no empty section

    uk = html(client.get(reverse("archive:actor-detail", args=["united-kingdom"])))
    action = RequestedAction.objects.get(letter__slug=NATO, addressees__slug="united-kingdom")
    assert '<h2 id="requests-heading">Requests addressed to United Kingdom (1)</h2>' in uk
    assert (
        f'<a href="/letters/{NATO}/#action-{action.position}">The letter asks NATO member states, including the '
        "United Kingdom, to hold parliamentary hearings and policy discussions on Balochistan</a>"
    ) in uk
    assert "outcome so far: no outcome reported" in uk

    oic = client.get(reverse("archive:actor-detail", args=["oic"]))
    asked_of_oic = RequestedAction.objects.filter(addressees__slug="oic")
    assert [action.pk for action in oic.context["requests"]] == [
        action.pk for action in asked_of_oic.order_by("position")
    ]
    assert (
        f"Requests addressed to {Actor.objects.get(slug='oic')} ({asked_of_oic.count()})"
        in html(oic)
    )
    assert "Requests addressed to Mir Yar Baloch (0)" in signatory and "<li>None.</li>" in signatory


def test_a_letter_page_words_each_request_as_the_letters(client, shipped_letters):
    page = html(client.get(reverse("archive:letter-detail", args=[FEBRUARY])))
    for action in RequestedAction.objects.filter(letter__slug=FEBRUARY):
        assert f'<li id="action-{action.position}">{escape(action.attributed_summary)}.' in page
    assert (
        "The letter asks for a comprehensive review of Pakistan’s international standing and obligations."
        in page
    )
    assert "The letter asks for for" not in page


@pytest.mark.parametrize("url", ["/letters/", "/claims/", "/actors/"])
def test_every_filter_has_a_label_of_its_own(client, shipped_letters, url):
    page = html(client.get(url))
    assert "[invalid name]" not in page
    labels = re.findall(r'<label for="id_[^"]+">([^<]*)</label>', page)
    assert labels and all(label.strip(": ") for label in labels), labels
    if url == "/letters/":
        assert '<label for="id_sender">Sender:</label>' in page
        assert '<label for="id_recipient">Recipient:</label>' in page
