"""The two letters as shipped: what the reports state must be in the archive."""

import datetime

import pytest

from archive.models import Actor, Letter, RequestedAction, Source
from claims.models import Claim, Response, basis_problems

pytestmark = pytest.mark.django_db

UNSC = "balochistan-to-unsc-p5-un-oic-02-11"
NATO = "balochistan-to-nato-2026-01-04"


@pytest.fixture(autouse=True)
def letters(shipped_letters):
    return {letter.slug: letter for letter in Letter.objects.all()}


def claim(letter_slug, key):
    return Claim.objects.get(letter__slug=letter_slug, key=key)


def stances(claim_or_letter):
    return {(r.actor.slug, r.stance) for r in claim_or_letter.responses.select_related("actor")}


def test_the_february_letter_stores_its_unstated_year_honestly(letters):
    letter = letters[UNSC]
    assert (
        letter.date_edtf == "XXXX-02-11"
    )  # EDTF's unspecified year: no year is guessed, not even as inferred
    assert not letter.date_inferred
    assert "no source in the archive states the year" in letter.date_note
    assert (letter.date_earliest, letter.date_latest) == (
        datetime.date(1, 2, 11),
        datetime.date(9999, 2, 11),
    )
    assert letter.date_display == "11 February, year unknown"


def test_the_nato_letter_has_its_stated_date_and_signatory(letters):
    letter = letters[NATO]
    assert (letter.date_edtf, letter.date_inferred) == ("2026-01-04", False)
    assert letter.sender.slug == "republic-of-balochistan"
    assert letter.signatory.slug == "mir-yar-baloch"


def test_the_february_letter_went_to_the_five_permanent_members_and_two_secretaries_general(
    letters,
):
    to = set(letters[UNSC].recipients.filter(role="to").values_list("actor__slug", flat=True))
    assert to == {
        "united-states",
        "united-kingdom",
        "france",
        "russia",
        "china",
        "un-secretary-general",
        "oic-secretary-general",
    }
    assert not letters[UNSC].recipients.filter(role="cc").exists()


def test_the_nato_letter_went_to_governments_and_missions_and_was_copied_to_foreign_ministries(
    letters,
):
    recipients = {(r.actor.slug, r.role) for r in letters[NATO].recipients.select_related("actor")}
    assert recipients == {
        ("nato-member-governments", "to"),
        ("nato-permanent-missions", "to"),
        ("nato-foreign-ministries", "cc"),
    }
    assert "Brussels" in letters[NATO].recipients.get(actor__slug="nato-permanent-missions").note


def test_pakistan_rejects_the_annexation_claim():
    annexation = claim(NATO, "forcibly-annexed-1948")
    assert annexation.status.slug == "disputed"
    assert ("pakistan", "rejects") in stances(annexation)
    rejection = annexation.responses.get(actor__slug="pakistan")
    assert rejection.quote_exact == "an assertion Pakistan has historically rejected"


def test_iran_denies_the_execution_claim():
    executions = claim(NATO, "iran-executions")
    assert executions.status.slug == "disputed"
    assert stances(executions) == {("iran", "denies")}
    assert executions.responses.get().quote_exact == "a claim Tehran denies"


UNVERIFIED = (
    "security-operations-2025",
    "enforced-disappearances",
    "extrajudicial-killings",
    "prohibited-weapons",
)


def test_the_operations_figures_and_abuse_allegations_could_not_be_verified_says_the_report():
    report = Source.objects.get(slug="report-balochistan-letter-nato")
    for key in UNVERIFIED:
        unverifiable = claim(NATO, key)
        assert unverifiable.status.slug == "unverified", key
        # The status rests on the report's own words, not on evidence the editors list.
        assert (unverifiable.status_source, unverifiable.status_quote) == (
            report,
            "These claims could not be independently verified.",
        )
        assert unverifiable.status_quote in report.text
        assert not unverifiable.evidence.exists(), key
    assert set(
        Claim.objects.filter(status__slug="unverified").values_list("key", flat=True)
    ) == set(UNVERIFIED)
    assert claim(NATO, "security-operations-2025").kind == "statistical"


def test_every_shipped_status_has_its_basis():
    for claim_ in Claim.objects.select_related("status", "status_source"):
        assert basis_problems(claim_.status, claim_) == {}, claim_.key
    assert not Claim.objects.filter(
        status__basis="editors"
    ).exists()  # the editors have assessed nothing yet
    assert not Claim.objects.exclude(status__basis="source").exclude(status_source=None).exists()


def test_nato_pakistan_and_iran_have_not_publicly_responded_to_the_nato_letter(letters):
    assert stances(letters[NATO]) == {
        ("nato", "no-public-response"),
        ("pakistan", "no-public-response"),
        ("iran", "no-public-response"),
    }


def test_every_disputed_claim_has_an_opposing_response():
    for disputed in Claim.objects.filter(status__slug="disputed"):
        assert disputed.responses.filter(stance__in=Response.Stance.opposing()).exists(), (
            disputed.key
        )


def test_appeals_warnings_and_characterisations_are_not_given_verdicts():
    for claim_ in Claim.objects.filter(kind__in=["characterisation", "prediction"]):
        assert claim_.status.slug == "not-checkable", claim_.key


def test_only_characterisations_and_predictions_are_classified_not_checkable():
    kinds = set(Claim.objects.filter(status__slug="not-checkable").values_list("kind", flat=True))
    assert kinds == {"characterisation", "prediction"}


def test_the_letter_that_pakistan_may_lack_the_capacity_to_compensate_is_its_own_claim():
    capacity = claim(UNSC, "pakistan-may-lack-capacity")
    assert (capacity.kind, capacity.status.slug) == ("characterisation", "not-checkable")
    assert (
        capacity.quote_exact
        == "acknowledging that Pakistan may lack the capacity to compensate millions of victims"
    )
    victims = claim(UNSC, "millions-of-victims")
    assert (victims.kind, victims.status.slug) == ("statistical", "unassessed")
    assert Claim.objects.count() == 41


@pytest.mark.parametrize(
    "letter_slug, expected",
    [
        (
            UNSC,
            [
                "comprehensive review of Pakistan’s international standing",
                "initiate accountability mechanisms",
                "hold Pakistan accountable",
                "examine whether Pakistan’s conduct aligns",
                "formal review of Pakistan’s compliance with the UN Charter",
                "transparent investigation into official admissions",
                "reassessment within the OIC",
                "suspension or termination of membership privileges",
                "formally apologize and provide compensation",
                "decisively end",
                "reject disputed territorial claims",
                "reflect on their own past roles",
                "serious consideration to the Liberation Charter",
                "recognize the independence of Balochistan",
            ],
        ),
        (
            NATO,
            [
                "to examine what he describes as a worsening human rights",
                "international engagement with Balochistan",
                "hold parliamentary hearings and policy discussions",
            ],
        ),
    ],
)
def test_every_requested_action_is_there_in_order_with_its_quote(letter_slug, expected):
    quotes = list(
        RequestedAction.objects.filter(letter__slug=letter_slug)
        .order_by("position")
        .values_list("quote_exact", flat=True)
    )
    assert len(quotes) == len(expected)
    for quote, phrase in zip(quotes, expected, strict=False):
        assert phrase in quote


def test_only_the_nato_letters_request_to_nato_has_had_no_public_response():
    requests = RequestedAction.objects.filter(letter__slug=NATO).order_by("position")
    assert [(r.position, r.outcome) for r in requests] == [
        (1, "no-public-response"),
        (2, "not-reported"),
        (3, "not-reported"),
    ]
    first, second, third = requests
    assert list(first.addressees.values_list("slug", flat=True)) == ["nato"]
    assert (
        "NATO, Pakistan and Iran have not publicly responded to the letter." in first.outcome_note
    )
    assert not second.addressees.exists()
    assert set(third.addressees.values_list("slug", flat=True)) == {
        "nato-member-states",
        "united-kingdom",
    }
    for unreported in (second, third):
        assert unreported.outcome_note.startswith("The report says only that"), unreported.position


def test_the_february_letters_requests_have_no_reported_outcome():
    outcomes = set(
        RequestedAction.objects.filter(letter__slug=UNSC).values_list("outcome", flat=True)
    )
    assert outcomes == {"not-reported"}


def test_the_nato_groups_are_not_made_parts_of_nato():
    groups = Actor.objects.filter(slug__startswith="nato-")
    assert set(groups.values_list("slug", flat=True)) == {
        "nato-member-states",
        "nato-member-governments",
        "nato-permanent-missions",
        "nato-foreign-ministries",
    }
    assert set(groups.values_list("kind", flat=True)) == {"group"}
    assert not Actor.objects.filter(parent__slug="nato").exists()
    assert Actor.objects.count() == 23


def test_every_quote_sits_at_its_offsets_in_its_source():
    for model in (Claim, RequestedAction, Response):
        for row in model.objects.select_related("source"):
            assert not row.is_orphan
            assert row.source.text[row.quote_start : row.quote_end] == row.quote_exact


def test_each_report_is_kept_whole_as_a_source_with_its_checksum():
    texts = {source.slug: source for source in Source.objects.all()}
    assert "Balochistan Liberation Charter" in texts["report-balochistan-letter-unsc-oic"].text
    assert (
        "have not publicly responded to the letter." in texts["report-balochistan-letter-nato"].text
    )
    for source in texts.values():
        assert source.checksum == Source.checksum_of(source.text)
        assert source.publisher == ""  # unknown, not guessed


def test_statements_are_attributed_never_in_the_archives_own_voice():
    for claim_ in Claim.objects.select_related("letter__sender"):
        assert claim_.attributed_statement == (
            f"The letter from “Republic of Balochistan” (self-declared) claims that {claim_.statement}"
        )
    assert Claim.objects.count() == 41


def test_disputed_names_are_shown_as_attributed_wording(letters):
    sender = letters[NATO].sender
    assert "“Republic of Balochistan”" in sender.name and "self-declared" in sender.name
    claim_ = claim(UNSC, "territorial-claims-disputed")
    # The report paraphrases the letter and does not quote the name: it is the report's, attributed.
    assert "what the report calls Pakistan-occupied Jammu and Kashmir" in claim_.statement
    assert "“Pakistan-occupied" not in claim_.statement
    assert claim_.kind == "factual" and claim_.status.slug == "unassessed"
