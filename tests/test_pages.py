"""The researcher pages, as a researcher uses them: find a claim, read it in place, see who disputes it."""
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Letter
from claims.models import Claim, Response, VerificationStatus
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
    for label, count in VerificationStatus.objects.values_list("label", "position"):
        expected = Claim.objects.filter(status__label=label).count()
        assert re.search(rf"{re.escape(label)}</a></th><td>{expected}</td>", page), label
    assert "<td>40</td>" in page  # the total row


def test_home_lists_the_letters_with_their_dates_in_words_and_recent_changes(client, shipped_letters):
    page = html(client.get("/"))
    assert "11 February, year inferred as 2026" in page
    assert "4 January 2026" in page
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

    assert slugs({}) == [FEBRUARY, NATO]  # newest first
    assert slugs({"recipient": "nato-foreign-ministries"}) == [NATO]  # copied-to counts as received
    assert slugs({"recipient": "china"}) == [FEBRUARY]
    assert slugs({"sender": "republic-of-balochistan"}) == [FEBRUARY, NATO]
    assert slugs({"date_from": "2026-02-01"}) == [FEBRUARY]
    assert slugs({"date_to": "2026-01-31"}) == [NATO]
    assert slugs({"sort": "oldest"}) == [NATO, FEBRUARY]


def test_letter_search_reaches_the_source_text(client, shipped_letters):
    # "Brussels" is only in the NATO report's text, not in either letter's title or summary.
    found = client.get("/letters/", {"q": "Brussels"}).context["object_list"]
    assert [letter.slug for letter in found] == [NATO]


def test_a_letter_page_shows_its_date_with_its_certainty_and_recipients_by_role(client, shipped_letters):
    february = html(client.get(reverse("archive:letter-detail", args=[FEBRUARY])))
    assert "11 February, year inferred as 2026" in february
    assert "Year not stated in the report" in february
    nato = client.get(reverse("archive:letter-detail", args=[NATO]))
    assert [r.actor.slug for r in nato.context["recipients_cc"]] == ["nato-foreign-ministries"]
    assert {r.actor.slug for r in nato.context["recipients_to"]} == {"nato-member-governments", "nato-permanent-missions"}
    page = html(nato)
    assert "<dt>Copied to</dt>" in page
    assert "Outcome so far: no public response" in page


def test_a_letter_page_highlights_every_claim_in_its_source_with_status_in_words(client, shipped_letters):
    letter = Letter.objects.get(slug=NATO)
    page = html(client.get(letter.get_absolute_url()))
    assert "The original letter's text is not available" in page
    source = letter.sources.get()
    assert f"The source: “{source.title}”" in page
    for claim in letter.claims.select_related("status"):
        link = f'href="{claim.get_absolute_url()}">Claim {claim.position}: {claim.status.label}</a>'
        assert link in page, claim.key
        assert f'id="quote-claim-{claim.pk}"' in page
    assert page.count('class="quote-ref') == letter.claims.count()


def test_overlapping_and_nested_quotes_are_all_highlighted(client, letter, make_claim):
    outer = make_claim(key="outer", quote="the river flooded in 1950. Officials", quote_suffix=" denied it.")
    make_claim(key="inner", quote="Officials denied it")
    make_claim(key="nested", quote="flooded in 1950. Off", quote_prefix="wrote that the river ")
    page = html(client.get(letter.get_absolute_url()))
    source_html = page[page.index('class="source-text"') :]
    assert 'class="quote depth-3"' in source_html  # "Off" lies inside all three quotes
    assert source_html.count("<mark") == source_html.count("</mark>")
    assert f'href="{outer.get_absolute_url()}">Claim {outer.position}: Not yet assessed</a>' in page


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
        "sovereign-before-1947", "forcibly-annexed-1948",
    }
    denied_by_iran = client.get("/claims/", {"responder": "iran", "stance": "denies"})
    assert [Claim.objects.get(pk=pk).key for pk in listed_claims(denied_by_iran)] == ["iran-executions"]
    assert listed_claims(client.get("/claims/", {"responder": "iran", "stance": "rejects"})) == []


def test_claims_filter_by_kind_letter_and_letter_date(client, shipped_letters):
    assert set(listed_claims(client.get("/claims/", {"kind": "historical"}))) == claims_where(kind="historical")
    in_nato_letter = client.get("/claims/", {"letter": NATO})
    assert set(listed_claims(in_nato_letter)) == claims_where(letter__slug=NATO)
    january = client.get("/claims/", {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert set(listed_claims(january)) == claims_where(letter__slug=NATO)


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
    assert "21 claims" in page and "Showing 1–10 of 21" in page
    link = next_link(page)
    assert link.startswith("?status=not-checkable&after=")
    seen = listed_claims(first)
    for expected in ("Showing 11–20 of 21", "Showing 21–21 of 21"):
        response = client.get("/claims/" + link)
        page = html(response)
        assert expected in page
        seen += listed_claims(response)
        link = next_link(page)
    assert link is None  # the last page has no Next
    wanted = Claim.objects.filter(status__slug="not-checkable").order_by("-letter__date_earliest", "letter_id",
                                                                          "position", "pk")
    assert seen == [claim.pk for claim in wanted]


def test_previous_goes_back_to_the_same_rows(client, shipped_letters, monkeypatch):
    monkeypatch.setattr(ClaimListView, "paginate_by", 10)
    first = client.get("/claims/")
    second = client.get("/claims/" + next_link(html(first)))
    previous = re.search(r'href="\?([^"]*)" rel="prev"', html(second)).group(1).replace("&amp;", "&")
    back = client.get("/claims/?" + previous)
    assert listed_claims(back) == listed_claims(first)
    assert "Showing 1–10 of 40" in html(back)
    assert 'rel="prev"' not in html(back)  # back at the start


def test_a_search_finds_and_highlights_claims(client, shipped_letters):
    response = client.get("/claims/", {"q": "annexed"})
    assert set(listed_claims(response)) == {Claim.objects.get(key="forcibly-annexed-1948").pk}
    assert re.search(r"<mark>annexed</mark>", html(response), re.IGNORECASE)


def test_search_understands_phrases_exclusions_and_alternatives(client, shipped_letters):
    def keys(q):
        return {Claim.objects.get(pk=pk).key for pk in listed_claims(client.get("/claims/", {"q": q}))}

    assert keys('"forcibly annexed"') == {"forcibly-annexed-1948"}
    assert keys("annexed or executes") == {"forcibly-annexed-1948", "iran-executions"}
    assert "iran-executions" not in keys("baloch -iran")


def test_a_claim_page_attributes_the_claim_and_shows_who_disputes_it(client, shipped_letters):
    annexation = Claim.objects.get(key="forcibly-annexed-1948")
    page = html(client.get(annexation.get_absolute_url()))
    assert "The letter from “Republic of Balochistan” (self-declared) claims that Balochistan was “forcibly annexed”" in page
    assert "Status: <span class=\"status status-disputed\">Disputed</span>" in page
    assert "Pakistan</a>: rejects" in page
    assert f"{annexation.letter.get_absolute_url()}#quote-claim-{annexation.pk}" in page


def test_a_claim_page_shows_evidence_and_claims_in_other_letters_about_the_same_parties(client, shipped_letters):
    operations = Claim.objects.get(key="security-operations-2025")
    response = client.get(operations.get_absolute_url())
    assert "Gives context" in html(response)
    related = list(response.context["related_claims"])
    assert related and all(claim.letter_id != operations.letter_id for claim in related)
    assert all(claim.about.filter(slug="pakistan").exists() for claim in related)


def test_related_claims_share_most_parties_first_then_the_newest(letter, source, make_claim):
    from archive.models import Actor
    from claims.views import ClaimDetailView

    state_a, state_b, state_c = (Actor.objects.create(name=name, slug=name, kind=Actor.Kind.STATE) for name in "abc")

    def claim_in(date, about):
        other = Letter.objects.create(title=date, slug=f"letter-{date}", date_edtf=date, sender=letter.sender)
        other.sources.add(source)
        made = Claim.objects.create(letter=other, key="k", statement="s.", status=status("unassessed"), source=source,
                                    quote_exact="asked for an inquiry")
        made.about.set(about)
        return made

    subject = make_claim(key="subject")
    subject.about.set([state_a, state_b])
    make_claim(key="same-letter").about.set([state_a, state_b])  # the same letter: not "other letters"
    newest_about_a = claim_in("2026-03-01", [state_a])
    oldest_about_both = claim_in("2019-01-01", [state_a, state_b, state_c])
    about_b = claim_in("2024-05-05", [state_b])
    claim_in("2025-01-01", [state_c])  # shares no party
    assert ClaimDetailView.related_claims(subject) == [oldest_about_both, newest_about_a, about_b]


def test_the_status_timeline_shows_each_change_with_its_reason(client, shipped_letters):
    claim = Claim.objects.filter(key="pakistan-militant-proxies")
    editor = User.objects.create_user("ed", first_name="Edith", last_name="Editor")
    set_status(claim, status("unverified"), "The report gives no source for this.", editor)
    page = html(client.get(claim.get().get_absolute_url()))
    assert "changed from Not yet assessed to <strong>Could not be independently verified</strong>" in page
    assert "by Edith Editor. Reason: The report gives no source for this." in page


# Actors, statuses, changes


def test_an_actor_page_shows_letters_by_role_claims_about_it_and_its_responses(client, shipped_letters):
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
        assert status_row.description in page


def test_changes_are_listed_newest_first_with_reason_and_editor_name_not_login(client, shipped_letters):
    editor = User.objects.create_user("secret-login", first_name="Edith", last_name="Editor")
    set_status(Claim.objects.filter(key="china-ai-training"), status("unverified"), "No source given.", editor)
    response = client.get("/changes/")
    changes = response.context["changes"]
    assert changes[0].reason == "No source given." and changes[0].editor == "Edith Editor"
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


def test_an_estimated_count_is_labelled_about_in_the_heading_paging_and_downloads(client, shipped_letters, monkeypatch):
    from archive import keyset

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
