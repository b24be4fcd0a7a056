"""?as_of=YYYY-MM-DD: a claim or letter page as it stood at the end of a day, and citations of it."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from archive.citation import Citation, bibtex_escape
from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus

pytestmark = pytest.mark.django_db

THEN = datetime.date(2026, 1, 10)
HISTORIES = [
    Actor,
    ActorIdentifier,
    Source,
    Letter,
    Recipient,
    RequestedAction,
    Claim,
    Response,
    Evidence,
    VerificationStatus,
]


@pytest.fixture
def archive_of_then(shipped_letters):
    """The shipped letters as if imported on THEN; whatever a test changes happens today."""
    moment = timezone.make_aware(datetime.datetime.combine(THEN, datetime.time(12)))
    for model in HISTORIES:
        model.history.update(history_date=moment)
    return moment


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def as_of(url, day=THEN):
    return f"{url}?as_of={day.isoformat()}"


def iran_claim():
    return Claim.objects.get(responses__actor__slug="iran", responses__stance="denies")


CAVEAT = "These claims could not be independently verified."


def test_a_claim_as_it_stood_before_editors_changed_it(client, archive_of_then):
    claim = iran_claim()
    old_statement = claim.statement
    claim.statement = "Iran executes Baloch citizens (edited)."
    claim.status = VerificationStatus.objects.get(slug="unverified")
    claim.status_source, claim.status_quote = claim.source, CAVEAT
    claim.save()
    claim.about.set([Actor.objects.get(slug="pakistan")])
    claim.responses.all().delete()

    now = page(client, claim.get_absolute_url())
    assert "(edited)" in now and "Iran</a>: denies" not in now
    assert (
        f"Could not be independently verified</span>, according to “{claim.source.title}”: “{CAVEAT}”"
        in now
    )

    then = page(client, as_of(claim.get_absolute_url()))
    assert "A past version." in then and "as it stood at the end of 10 January 2026" in then
    assert old_statement in then and "(edited)" not in then
    # The status with whose it was then: Iran's denial, which has since been deleted.
    assert (
        '<p class="status-basis"><span class="status status-disputed">Disputed</span>: Iran denies it.</p>'
        in then
    )
    assert "according to" not in then.split('id="status-heading"')[1].split("</section>")[0]
    assert (
        '<a href="/actors/iran/">Iran</a>' in then
        and '<a href="/actors/pakistan/">Pakistan</a>' not in then
    )
    assert "Iran</a>: denies" in then
    assert "See the current version" in then
    assert 'name="robots" content="noindex"' in then
    assert (
        '<script type="application/ld+json">' not in then
    )  # the ClaimReview describes only the current version


def test_the_quote_context_comes_from_the_source_text_of_then(client, archive_of_then):
    claim = iran_claim()
    source = claim.source
    source.text = source.text.replace("Strategic cooperation", "STRATEGIC COOPERATION (corrected)")
    source.save()
    assert "STRATEGIC COOPERATION (corrected)" in page(client, claim.get_absolute_url())
    then = page(client, as_of(claim.get_absolute_url()))
    assert "Strategic cooperation" in then and "(corrected)" not in then


def test_the_status_timeline_stops_at_the_day(client, archive_of_then):
    claim = iran_claim()
    editor = get_user_model().objects.create_user("ed", first_name="Edith", last_name="Editor")
    with transaction.atomic():  # the evidence an assessment rests on is checked at commit
        claim.status = VerificationStatus.objects.get(slug="contradicted")
        claim.reviewed_by = editor
        claim._change_reason = "A later finding."
        claim.save()
        Evidence.objects.create(
            claim=claim,
            relation=Evidence.Relation.CONTRADICTS,
            source=claim.source,
            quote_exact=claim.quote_exact,
        )
    assert "A later finding." in page(client, claim.get_absolute_url())
    assert "A later finding." not in page(client, as_of(claim.get_absolute_url()))


def test_a_deleted_claim_can_still_be_read_as_it_stood(client, archive_of_then):
    claim = iran_claim()
    url = claim.get_absolute_url()
    claim.delete()
    page(client, url, status=404)
    assert "Iran executes large numbers" in page(client, as_of(url))


def test_an_empty_day_is_the_current_version(client, archive_of_then):
    assert "A past version." not in page(client, f"{iran_claim().get_absolute_url()}?as_of=")


def latest_version(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_a_claim_that_did_not_exist_yet(client, archive_of_then):
    claim = iran_claim()
    html = page(
        client, as_of(claim.get_absolute_url(), THEN - datetime.timedelta(days=1)), status=404
    )
    assert "This claim was not in the archive at the end of 9 January 2026." in html


@pytest.mark.parametrize(
    "value, message",
    [
        ("yesterday", "as_of: Give the day as YYYY-MM-DD, e.g. 2026-03-01."),
        ("2026-02-30", "as_of: Give the day as YYYY-MM-DD, e.g. 2026-03-01."),
        (
            "9999-12-31",
            "as_of: That day is still to come; leave as_of out for the current version.",
        ),
    ],
)
def test_a_bad_day_is_refused_with_a_reason(client, archive_of_then, value, message):
    for url in (iran_claim().get_absolute_url(), Letter.objects.first().get_absolute_url()):
        assert message in page(client, f"{url}?as_of={value}", status=400)


def test_a_letter_as_it_stood(client, archive_of_then):
    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    url = letter.get_absolute_url()
    letter.title = "Letter to NATO (retitled)"
    letter.save()
    Recipient.objects.filter(letter=letter, role="cc").delete()
    action = RequestedAction.objects.filter(letter=letter).first()
    action.outcome = RequestedAction.Outcome.DECLINED
    action.save()
    added = Claim.objects.create(
        letter=letter,
        key="added-later",
        statement="something added later.",
        kind="factual",
        status=VerificationStatus.objects.get(slug="unassessed"),
        source=letter.sources.first(),
        quote_exact="have not publicly responded to the letter",
    )

    now = page(client, url)
    assert "(retitled)" in now and "Copied to" not in now and f"/claims/{added.pk}/" in now

    then = page(client, as_of(url))
    assert "<h1>Letter of 4 January 2026 to NATO member states</h1>" in then
    assert "Copied to" in then and "Foreign ministries of the 32 NATO member states" in then
    assert "Outcome so far: declined" not in then
    assert f"/claims/{added.pk}/" not in then
    highlights = then.count("<mark")
    assert highlights == Claim.objects.filter(letter=letter).count() - 1
    # Every claim link leads to the claim as it stood on the same day.
    assert f'href="/claims/{iran_claim().pk}/?as_of=2026-01-10"' in then


def test_a_letter_found_by_the_slug_it_had_then(client, archive_of_then):
    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    old_url = letter.get_absolute_url()
    letter.slug = "to-nato"
    letter.save()
    page(client, old_url, status=404)
    assert "Letter of 4 January 2026 to NATO member states" in page(client, as_of(old_url))
    assert "Letter of 4 January 2026 to NATO member states" in page(
        client, as_of(letter.get_absolute_url())
    )


def test_the_current_version_read_as_of_today_is_the_same_page(client, archive_of_then):
    """Rebuilding from history and reading the tables agree, section by section."""
    for url in (iran_claim().get_absolute_url(), Letter.objects.first().get_absolute_url()):
        now = page(client, url)
        today = page(client, as_of(url, timezone.localdate()))
        for marker in (
            "<h1>",
            'id="status-heading"',
            'class="quote-in-context"',
            'class="responses"',
            'id="evidence-heading"',
            'class="letter-facts"',
            'class="actions"',
            'class="source-text"',
        ):
            if marker in now:
                assert section(now, marker) == section(today, marker).replace(
                    f"?as_of={timezone.localdate()}", ""
                ), marker


def section(html, marker):
    start = html.index(marker)
    return html[
        start : html.index("</section>", start) if "</section>" in html[start:] else start + 2000
    ]


# --- Citations ------------------------------------------------------------------------------


def test_a_claim_page_gives_a_citation_of_its_version(client, archive_of_then):
    claim = iran_claim()
    version = latest_version(claim)
    html = page(client, claim.get_absolute_url())
    today = timezone.localdate()
    expected_url = f"http://testserver{claim.get_absolute_url()}?as_of={today.isoformat()}"
    assert (
        f"“Claim {claim.position} of Letter of 4 January 2026 to NATO member states.” Missive, "
        f"version {version.history_id} of 10 January 2026. {expected_url} (accessed {today:%-d %B %Y})."
    ) in html
    assert f"@misc{{missive-claim-{claim.pk}," in html
    assert (
        f"note         = {{Version {version.history_id} of 10 January 2026; accessed {today:%-d %B %Y}}},"
        in html
    )
    # The cited link opens what was cited.
    assert "A past version." in page(client, expected_url.removeprefix("http://testserver"))


def test_a_past_version_cites_itself(client, archive_of_then):
    claim = iran_claim()
    cited = latest_version(claim).history_id
    claim.statement = "changed later."
    claim.save()
    assert f"version {cited} of 10 January 2026" in page(client, as_of(claim.get_absolute_url()))
    assert f"version {cited} of" not in page(client, claim.get_absolute_url())


def test_a_letter_page_gives_a_citation(client, archive_of_then):
    html = page(
        client, Letter.objects.get(slug="balochistan-to-nato-2026-01-04").get_absolute_url()
    )
    assert '<h2 id="cite-heading">Cite this letter</h2>' in html
    assert "“Letter of 4 January 2026 to NATO member states.” Missive, version" in html


def test_bibtex_escapes_what_latex_would_read_as_commands():
    assert bibtex_escape("50% of {x} & $y_1 #2 ~ ^ \\") == (
        r"50\% of \{x\} \& \$y\_1 \#2 \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )
    citation = Citation(
        key="k",
        title="A & B {C}",
        url="http://x/y/?as_of=2026-01-10",
        version_id=3,
        version_date=timezone.make_aware(datetime.datetime(2026, 1, 10, 9)),
        accessed=datetime.date(2026, 2, 1),
    )
    assert "  title        = {{A \\& B \\{C\\}}}," in citation.bibtex()


def test_markup_in_a_title_is_escaped_in_the_citation(client, archive_of_then):
    letter = Letter.objects.first()
    letter.title = "<script>alert(1)</script> & co"
    letter.save()
    html = page(client, letter.get_absolute_url())
    assert "<script>alert(1)" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\&amp; co" in html
    )  # escaped for BibTeX, then for HTML


def test_the_citation_links_of_the_pages_reach(client, archive_of_then):
    reverse("claims:claim-list")  # the URLconf is loaded
    letter = Letter.objects.first()
    html = page(client, letter.get_absolute_url())
    assert f"{letter.get_absolute_url()}?as_of={timezone.localdate().isoformat()}" in html


def test_the_cited_link_shows_what_the_reader_saw_even_after_a_response_was_added(
    client, archive_of_then
):
    claim = Claim.objects.filter(responses__isnull=True).first()
    Response.objects.create(
        claim=claim,
        actor=Actor.objects.get(slug="iran"),
        stance="acknowledges",
        source=claim.source,
        quote_exact=claim.quote_exact,
        quote_prefix=claim.quote_prefix,
        quote_suffix=claim.quote_suffix,
    )
    html = page(client, claim.get_absolute_url())
    cited = re.search(r'id="citation-text">.*? (http://testserver\S+) \(accessed', html).group(1)
    assert "Iran</a>: acknowledges" in page(client, cited.removeprefix("http://testserver"))


def test_a_past_version_still_opens_after_a_party_it_names_is_deleted(client, archive_of_then):
    claim = iran_claim()
    party = Actor.objects.create(name="A party deleted later", slug="deleted-later", kind="state")
    claim.about.add(party)
    party.delete()
    html = page(client, as_of(claim.get_absolute_url(), timezone.localdate()))
    assert "A party deleted later" not in html and '<a href="/actors/iran/">Iran</a>' in html


def test_a_status_set_in_bulk_keeps_the_parties_in_the_past_version(client, archive_of_then):
    from claims.statuses import set_status

    claim = Claim.objects.filter(about__slug="pakistan", status__slug="unassessed").first()
    set_status(
        Claim.objects.filter(pk=claim.pk),
        VerificationStatus.objects.get(slug="unverified"),
        "Checked.",
        None,
        source=claim.source,
        words=claim.quote_exact,
    )
    html = page(client, as_of(claim.get_absolute_url(), timezone.localdate()))
    assert (
        f"Could not be independently verified</span>, according to “{claim.source.title}”" in html
    )
    assert '<a href="/actors/pakistan/">Pakistan</a>' in html


def test_a_letter_as_it_stood_says_whose_each_status_was(client, archive_of_then):
    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    claim = iran_claim()
    claim.status = VerificationStatus.objects.get(slug="unassessed")
    claim.save()
    claim.responses.all().delete()
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    old_title = report.title
    report.title = "The report (retitled)"
    report.save()
    unverified = Claim.objects.filter(letter=letter, status__slug="unverified").count()

    now = page(client, letter.get_absolute_url())
    assert (
        '<span class="status status-unassessed">Not yet assessed</span>: no source, party or editor'
        in now
    )
    assert (
        now.count(
            "Could not be independently verified</span>, according to “The report (retitled)”"
        )
        == unverified
    )

    then = page(client, as_of(letter.get_absolute_url()))
    assert f'<a href="/claims/{claim.pk}/?as_of=2026-01-10">' in then
    assert '<span class="status status-disputed">Disputed</span>: Iran denies it' in then
    # The source the status rests on, under the title it had then.
    assert (
        then.count(f"Could not be independently verified</span>, according to “{old_title}”")
        == unverified
    )
    assert "(retitled)" not in then


def test_a_past_version_names_the_reviewing_editor_of_then(client, archive_of_then):
    claim = Claim.objects.get(key="security-operations-2025")
    editor = get_user_model().objects.create_user(
        "ed-login", first_name="Edith", last_name="Editor"
    )
    with transaction.atomic():
        Evidence.objects.create(
            claim=claim,
            relation=Evidence.Relation.SUPPORTS,
            source=claim.source,
            quote_exact=claim.quote_exact,
        )
        claim.status = VerificationStatus.objects.get(slug="corroborated")
        claim.reviewed_by = editor
        claim.save()
    today = page(client, as_of(claim.get_absolute_url(), timezone.localdate()))
    assert (
        '<span class="status status-corroborated">Corroborated</span>: the editors&#x27; own assessment, '
        "reviewed by Edith Editor, on the evidence listed with the claim."
    ) in today
    assert "ed-login" not in today
    assert (
        '<script type="application/ld+json">' not in today
    )  # a past version carries no ClaimReview
    then = page(client, as_of(claim.get_absolute_url()))
    assert (
        "Could not be independently verified</span>, according to" in then
        and "Edith Editor" not in then
    )


def test_a_version_from_before_statuses_kept_their_basis_says_it_does_not_name_it():
    from claims.basis import phrase

    assert (
        phrase("source", source="", words="")
        == ", according to a source this version does not name"
    )
    assert phrase("source", source="A report", words="It could not be verified.") == (
        ", according to “A report”: “It could not be verified.”"
    )
