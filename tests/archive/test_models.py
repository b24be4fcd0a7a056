"""Archive models: dates, invariants the database guards, and quotes that survive text edits."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive.filters import LetterFilter
from archive.models import (
    Actor,
    ActorIdentifier,
    Letter,
    LetterQuerySet,
    Recipient,
    RequestedAction,
    Source,
)
from core.django_internals import explicit_ordering
from tests.conftest import SOURCE_TEXT

pytestmark = pytest.mark.django_db


def make_action(letter, source, quote="asked for an inquiry", position=1):
    return RequestedAction.objects.create(
        letter=letter, position=position, summary="an inquiry", source=source, quote_exact=quote
    )


class TestLetterDates:
    def test_a_day_gives_equal_bounds(self, letter):
        assert (letter.date_earliest, letter.date_latest) == (datetime.date(2026, 1, 4),) * 2

    def test_a_month_gives_its_first_and_last_day(self, letter):
        letter.date_edtf = "2026-02"
        letter.save()
        assert (letter.date_earliest, letter.date_latest) == (
            datetime.date(2026, 2, 1),
            datetime.date(2026, 2, 28),
        )

    def test_an_uncertain_date_keeps_its_qualifier_and_its_bounds_widen(self, letter):
        letter.date_edtf = "2026-02-11?"
        letter.save()
        letter.refresh_from_db()
        assert letter.date_edtf == "2026-02-11?"
        # The whole date uncertain: the edtf package's fuzz of a year, a month and a day either side.
        assert (letter.date_earliest, letter.date_latest) == (
            datetime.date(2025, 1, 10),
            datetime.date(2027, 3, 12),
        )
        assert letter.date_display == "11 February 2026 (uncertain)"

    def test_an_uncertain_year_widens_the_bounds_by_a_year(self, letter):
        letter.date_edtf = "2026?-02-11"
        letter.save()
        assert (letter.date_earliest, letter.date_latest) == (
            datetime.date(2025, 2, 11),
            datetime.date(2027, 2, 11),
        )

    @pytest.mark.parametrize(
        ("value", "earliest", "latest", "words"),
        [
            (
                "XXXX-02-11",
                datetime.date(1, 2, 11),
                datetime.date(9999, 2, 11),
                "11 February, year unknown",
            ),
            (
                "XXXX-02",
                datetime.date(1, 2, 1),
                datetime.date(9999, 2, 28),
                "February, year unknown",
            ),
            # 29 February: only a leap year has it.
            (
                "XXXX-02-29",
                datetime.date(4, 2, 29),
                datetime.date(9996, 2, 29),
                "29 February, year unknown",
            ),
        ],
    )
    def test_a_date_whose_year_is_unknown_may_be_of_any_year(
        self, letter, value, earliest, latest, words
    ):
        letter.date_edtf = value
        letter.full_clean()
        letter.save()
        letter.refresh_from_db()
        assert (letter.date_earliest, letter.date_latest) == (earliest, latest)
        assert letter.date_display == words

    @pytest.mark.parametrize(
        "value", ["2026-13-01", "yesterday", "", "XXXX-02-30", "XXXX-13-01", "XXXX-XX-11"]
    )
    def test_a_date_that_is_not_edtf_is_refused_with_a_message(self, letter, value):
        letter.date_edtf = value
        with pytest.raises(ValidationError) as error:
            letter.full_clean()
        assert "date_edtf" in error.value.message_dict

    def test_an_inferred_date_must_say_how_it_is_known(self, letter):
        letter.date_inferred = True
        with pytest.raises(ValidationError) as error:
            letter.full_clean()
        assert "date_note" in error.value.message_dict

    def test_the_database_refuses_bounds_in_the_wrong_order(self, letter):
        with pytest.raises(IntegrityError), transaction.atomic():
            Letter.objects.filter(pk=letter.pk).update(date_earliest=datetime.date(2027, 1, 1))


class TestUniqueness:
    def test_letter_slugs_are_unique(self, letter, actor):
        with pytest.raises(IntegrityError), transaction.atomic():
            Letter.objects.create(
                title="Again", slug=letter.slug, date_edtf="2026", sender=actor, summary="x"
            )

    def test_a_recipient_appears_once_per_role(self, letter, actor):
        Recipient.objects.create(letter=letter, actor=actor, role=Recipient.Role.TO)
        Recipient.objects.create(letter=letter, actor=actor, role=Recipient.Role.CC)
        with pytest.raises(IntegrityError), transaction.atomic():
            Recipient.objects.create(letter=letter, actor=actor, role=Recipient.Role.TO)

    def test_an_authority_identifier_belongs_to_one_actor(self, actor):
        ActorIdentifier.objects.create(actor=actor, scheme="wikidata", value="Q843")
        with pytest.raises(IntegrityError), transaction.atomic():
            ActorIdentifier.objects.create(actor=actor, scheme="wikidata", value="Q794")

    def test_identifiers_are_validated_and_rendered_as_uris(self, actor):
        identifier = ActorIdentifier(actor=actor, scheme="wikidata", value="843")
        with pytest.raises(ValidationError):
            identifier.full_clean()
        identifier.value = "Q843"
        identifier.full_clean()
        assert identifier.uri == "http://www.wikidata.org/entity/Q843"

    @pytest.mark.parametrize(
        "value", ["118540238", "1012345678", "118500775X", "4022153-2", "2001234-X", "30000000X"]
    )
    def test_gnd_identifiers_of_every_form_are_accepted(self, actor, value):
        ActorIdentifier(actor=actor, scheme="gnd", value=value).full_clean()

    @pytest.mark.parametrize("value", ["11854023", "0118540238", "4022153-", "gnd:118540238"])
    def test_malformed_gnd_identifiers_are_refused(self, actor, value):
        with pytest.raises(ValidationError, match="A GND identifier looks like"):
            ActorIdentifier(actor=actor, scheme="gnd", value=value).full_clean()


class TestQuotes:
    def test_saving_anchors_the_quote_and_fills_its_context(self, letter, source):
        action = make_action(letter, source)
        start = SOURCE_TEXT.index("asked for an inquiry")
        assert (action.quote_start, action.quote_end) == (
            start,
            start + len("asked for an inquiry"),
        )
        assert action.quote_prefix.endswith("1950 again, and ")
        assert action.quote_suffix == "."
        assert not action.is_orphan

    def test_a_quote_not_in_the_source_is_refused_by_validation(self, letter, source):
        action = RequestedAction(
            letter=letter, position=1, summary="x", source=source, quote_exact="not there"
        )
        with pytest.raises(ValidationError) as error:
            action.full_clean()
        assert "not in the text" in error.value.message_dict["quote_exact"][0]

    def test_a_repeated_quote_needs_context_to_be_accepted(self, letter, source):
        action = RequestedAction(
            letter=letter,
            position=1,
            summary="x",
            source=source,
            quote_exact="the river flooded in 1950",
        )
        with pytest.raises(ValidationError) as error:
            action.full_clean()
        assert "more than once" in error.value.message_dict["quote_exact"][0]
        action.quote_suffix = " again"
        action.full_clean()
        action.save()
        assert SOURCE_TEXT[action.quote_end : action.quote_end + 6] == " again"

    def test_a_quote_must_come_from_one_of_the_letters_sources(self, letter):
        other = Source.objects.create(title="Other", slug="other", text="asked for an inquiry")
        action = RequestedAction(
            letter=letter, position=1, summary="x", source=other, quote_exact="asked"
        )
        with pytest.raises(ValidationError) as error:
            action.full_clean()
        assert "source" in error.value.message_dict

    def test_a_corrected_source_text_re_anchors_drifted_quotes(self, letter, source):
        action = make_action(letter, source)
        source.text = "Editor's note added at the top. " + source.text
        source.save()
        action.refresh_from_db()
        assert source.text[action.quote_start : action.quote_end] == "asked for an inquiry"
        assert not action.is_orphan
        assert (
            action.history.first().history_change_reason
            == "Re-anchored after the source text changed"
        )

    def test_a_quote_that_disappears_becomes_an_orphan_and_is_kept(self, letter, source):
        action = make_action(letter, source)
        source.text = source.text.replace("asked for an inquiry", "asked for nothing")
        source.save()
        action.refresh_from_db()
        assert action.is_orphan
        assert action.quote_start is None and action.quote_end is None
        assert action.quote_exact == "asked for an inquiry"
        assert RequestedAction.objects.filter(pk=action.pk).exists()

    def test_an_orphan_is_anchored_again_when_the_text_comes_back(self, letter, source):
        action = make_action(letter, source)
        original = source.text
        source.text = "nothing left"
        source.save()
        source.text = original
        source.save()
        action.refresh_from_db()
        assert not action.is_orphan
        assert original[action.quote_start : action.quote_end] == action.quote_exact

    def test_the_source_checksum_follows_its_text(self, source):
        before = source.checksum
        source.text += " More."
        source.save()
        assert source.checksum != before
        assert source.checksum == Source.checksum_of(source.text)

    def test_the_database_refuses_offsets_that_do_not_span_the_quote(self, letter, source):
        action = make_action(letter, source)
        with pytest.raises(IntegrityError), transaction.atomic():
            RequestedAction.objects.filter(pk=action.pk).update(quote_end=action.quote_end + 5)

    def test_the_database_refuses_an_orphan_with_a_position(self, letter, source):
        action = make_action(letter, source)
        with pytest.raises(IntegrityError), transaction.atomic():
            RequestedAction.objects.filter(pk=action.pk).update(is_orphan=True)


def test_a_date_range_that_ends_before_it_begins_is_refused(letter):
    letter.date_edtf = "2026-02-11/2026-01-01"
    with pytest.raises(ValidationError) as error:
        letter.full_clean()
    assert "ends before it begins" in error.value.message_dict["date_edtf"][0]


def test_a_source_text_correction_that_drops_the_words_a_status_rests_on_is_refused(
    make_claim, source
):
    from claims.models import VerificationStatus

    claim = make_claim()
    claim.status = VerificationStatus.objects.get(slug="unverified")
    claim.status_source, claim.status_quote = source, "Officials denied it."
    claim.save()
    source.text = source.text.replace("Officials denied it.", "Officials said nothing.")
    with pytest.raises(
        ValidationError, match=r"rests on words this text no longer has: “Officials denied it.”"
    ):
        source.full_clean()
    source.text += " Officials denied it."
    source.full_clean()  # kept somewhere in the text: fine


# --- What the pages read: the archive's QuerySets -------------------------------------------


def make_actor(slug):
    return Actor.objects.create(name=slug.title(), slug=slug, kind=Actor.Kind.STATE)


def make_letter(slug, date, sender, source, **fields):
    letter = Letter.objects.create(
        title=fields.pop("title", slug),
        slug=slug,
        date_edtf=date,
        sender=sender,
        summary="x",
        **fields,
    )
    letter.sources.add(source)
    return letter


def test_the_letter_list_shows_the_newest_first_and_letters_of_one_day_by_title(
    letter, actor, source
):
    older = make_letter("older", "2025-06-01", actor, source)
    same_day = make_letter("same-day", "2026-01-04", actor, source, title="A brief letter")
    assert list(Letter.objects.in_list_order()) == [same_day, letter, older]
    assert explicit_ordering(Letter.objects.in_list_order()) == LetterQuerySet.LIST_ORDER
    assert LetterFilter.base_filters["sort"].orderings["newest"][1] == LetterQuerySet.LIST_ORDER


def test_a_listed_letter_shows_whom_it_is_addressed_to_and_how_many_claims_it_makes(
    letter, actor, source, make_claim, django_assert_num_queries
):
    un, copied = make_actor("un"), make_actor("copied")
    Recipient.objects.create(letter=letter, actor=un, role=Recipient.Role.TO)
    Recipient.objects.create(letter=letter, actor=copied, role=Recipient.Role.CC)
    make_claim(key="a")
    make_claim(key="b")
    make_letter("no-claims", "2025-06-01", actor, source)
    with django_assert_num_queries(2):  # the letters with senders and counts; the addressees
        listed = list(Letter.objects.for_list().in_list_order())
        assert [(row.sender, row.claim_count) for row in listed] == [(actor, 2), (actor, 0)]
        assert [recipient.actor for recipient in listed[0].addressed_to] == [un]  # not the copy


def test_letters_sent_signed_and_received_by_an_actor(letter, actor, source):
    other, signer = make_actor("other"), make_actor("signer")
    theirs = make_letter("theirs", "2025-06-01", other, source, signatory=signer)
    Recipient.objects.create(letter=letter, actor=other, role=Recipient.Role.TO)
    Recipient.objects.create(letter=letter, actor=other, role=Recipient.Role.CC)
    assert list(Letter.objects.sent_by(actor)) == [letter]
    assert list(Letter.objects.signed_by(signer)) == [theirs]
    assert list(Letter.objects.received_by(other)) == [letter]  # to and copied: listed once
    assert list(Letter.objects.received_by(actor)) == []


def test_the_letters_an_actor_received_come_one_row_per_role_newest_first(letter, actor, source):
    other = make_actor("other")
    older = make_letter("older", "2025-06-01", actor, source)
    Recipient.objects.create(letter=older, actor=other, role=Recipient.Role.TO)
    Recipient.objects.create(letter=letter, actor=other, role=Recipient.Role.CC)
    Recipient.objects.create(letter=letter, actor=other, role=Recipient.Role.TO)
    rows = [(row.letter, row.role) for row in Recipient.objects.received_by(other)]
    assert rows == [(letter, "cc"), (letter, "to"), (older, "to")]


def test_requests_addressed_to_an_actor_come_newest_letter_first_each_in_its_order(
    letter, actor, source
):
    un = make_actor("un")
    older = make_letter("older", "2025-06-01", actor, source)
    second = make_action(letter, source, quote="Officials denied it.", position=2)
    first = make_action(letter, source, position=1)
    earlier = make_action(older, source)
    unaddressed = make_action(older, source, quote="Officials denied it.", position=2)
    for action in (second, first, earlier):
        action.addressees.add(un)
    assert list(RequestedAction.objects.addressed_to(un)) == [first, second, earlier]
    assert unaddressed not in RequestedAction.objects.addressed_to(un)


def test_the_actor_menus_list_only_those_with_letters_by_name(letter, actor):
    zulu, alpha, _bystander = make_actor("zulu"), make_actor("alpha"), make_actor("bystander")
    Recipient.objects.create(letter=letter, actor=zulu, role=Recipient.Role.CC)
    Recipient.objects.create(letter=letter, actor=alpha, role=Recipient.Role.TO)
    assert list(Actor.objects.senders().as_choices()) == [actor]
    assert list(Actor.objects.recipients().as_choices()) == [alpha, zulu]


DECOMPOSED_CAFE = (
    "Cafe\u0301"  # e and a combining acute accent: how some keyboards and PDFs give "é"
)


def test_a_source_keeps_its_text_in_one_form_and_checksums_that_form():
    source = Source.objects.create(
        title="Pasted", slug="pasted", text=f"Line one.\r\n{DECOMPOSED_CAFE} opened.\rThe end."
    )

    source.refresh_from_db()
    assert source.text == "Line one.\nCafé opened.\nThe end."
    assert source.checksum == Source.checksum_of("Line one.\nCafé opened.\nThe end.")


def test_a_quote_typed_in_another_form_is_found_in_the_source(letter):
    source = Source.objects.create(title="Pasted", slug="pasted", text="Line one.\nCafé opened.")
    letter.sources.add(source)
    # As a browser sends a textarea: \r\n line breaks; the accent decomposed.
    action = RequestedAction(
        letter=letter,
        position=1,
        summary="x",
        source=source,
        quote_exact=f"one.\r\n{DECOMPOSED_CAFE}",
    )

    action.full_clean()
    action.save()

    assert (action.quote_exact, action.quote_start, action.is_orphan) == ("one.\nCafé", 5, False)
