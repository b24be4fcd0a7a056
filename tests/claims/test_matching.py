"""Suggested recurrences: claims of other letters using the same distinctive words, for an editor
to confirm as one recurring assertion or to reject, each decision with its reason."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Letter
from claims.matching import stems, suggestions_for_letter
from claims.models import Claim, Recurrence, RecurringAssertion, RejectedMatch

pytestmark = pytest.mark.django_db

UNSC = "balochistan-to-unsc-p5-un-oic-02-11"
NATO = "balochistan-to-nato-2026-01-04"
URL = reverse("admin:claims_claim_suggestions")


def claim(key):
    return Claim.objects.get(key=key)


def suggested_pairs(letter_slug):
    return {
        (suggestion.claim.key, suggestion.other.key)
        for suggestion in suggestions_for_letter(Letter.objects.get(slug=letter_slug), limit=50)
    }


def test_a_reason_names_the_rare_words_shared_or_says_there_are_none():
    from claims.matching import Suggestion

    assert Suggestion(None, None, 0.25, ("radicalisation", "foster")).reason == (
        "both use radicalisation, foster (score 0.25)"
    )
    assert Suggestion(None, None, 0.12, ()).reason == (
        "many words in common, none of them rare (score 0.12)"
    )


def test_words_are_stemmed_as_postgresql_stems_them_in_english():
    assert stems("Militancy, militant; radicalisation. Fostering fosters") == {
        "milit": "militancy",
        "radicalis": "radicalisation",
        "foster": "fostering",
    }


@pytest.mark.parametrize(
    "key",
    [
        "fostering-radicalisation",
        "sponsorship-of-militant-activity",
        "independent-balochistan-partner",
        "recognition-principled-alternative",
        "control-led-to-instability",
        "actions-undermine-stability",
    ],
)
def test_a_shipped_recurrence_left_unlinked_is_suggested_with_a_claim_making_it(
    shipped_letters, key
):
    recurrence = Recurrence.objects.select_related("claim__letter").get(claim__key=key)
    makers = set(
        Recurrence.objects.filter(assertion=recurrence.assertion)
        .exclude(pk=recurrence.pk)
        .values_list("claim__key", flat=True)
    )
    recurrence.delete()

    suggestions = suggestions_for_letter(recurrence.claim.letter, limit=5)

    matched = [s for s in suggestions if s.claim.key == key and s.other.key in makers]
    assert matched, [(s.claim.key, s.other.key) for s in suggestions]
    assert matched[0].shared and "both use" in matched[0].reason


def test_claims_already_linked_and_unrelated_claims_are_not_suggested(shipped_letters):
    pairs = suggested_pairs(NATO)

    # Every shipped recurrence is confirmed: none of its pairs is asked again.
    assert ("fostering-radicalisation", "pakistan-militant-proxies") not in pairs
    # Iran's executions share no distinctive words with anything in the UN letter.
    assert not {pair for pair in pairs if pair[0] == "iran-executions"}


# --- Deciding, in the admin --------------------------------------------------------------------


def decide(client, first, second, decision, reason="They differ in what they say.", **extra):
    data = {
        "claim": str(first.pk),
        "other": str(second.pk),
        "decision": decision,
        "reason": reason,
        **extra,
    }
    return client.post(f"{URL}?letter={first.letter.slug}", data)


def test_the_page_lists_the_letters_suggestions_with_their_reasons(
    editor_in_admin, shipped_letters, django_assert_max_num_queries
):
    Recurrence.objects.filter(claim__key="fostering-radicalisation").delete()

    for letter in (NATO, UNSC):  # 22 and 19 claims: the same few queries
        with django_assert_max_num_queries(20):
            response = editor_in_admin.get(URL, {"letter": letter})
        assert response.status_code == 200
    html = editor_in_admin.get(URL, {"letter": NATO}).content.decode()
    assert "both use" in html and "radicalisation" in html
    assert "Pakistan fosters militancy and radicalisation" in html  # the assertion the other makes


def test_a_rejected_pair_is_recorded_with_its_reason_and_not_suggested_again(
    editor_in_admin, shipped_letters
):
    Recurrence.objects.filter(claim__key="fostering-radicalisation").delete()
    fostering, proxies = claim("fostering-radicalisation"), claim("pakistan-militant-proxies")
    assert ("fostering-radicalisation", "pakistan-militant-proxies") in suggested_pairs(NATO)

    response = decide(
        editor_in_admin, fostering, proxies, "different", "Radicalisation is not proxies."
    )

    assert response.status_code == 302
    rejected = RejectedMatch.objects.get()
    assert {rejected.first, rejected.second} == {fostering, proxies}
    assert rejected.first.pk < rejected.second.pk
    assert rejected.decided_by == User.objects.get(username="editors")
    assert rejected.history.get().history_change_reason == "Radicalisation is not proxies."
    assert ("fostering-radicalisation", "pakistan-militant-proxies") not in suggested_pairs(NATO)


def test_confirming_a_pair_adds_the_claim_to_the_assertion_the_other_makes(
    editor_in_admin, shipped_letters
):
    Recurrence.objects.filter(claim__key="fostering-radicalisation").delete()
    fostering, proxies = claim("fostering-radicalisation"), claim("pakistan-militant-proxies")

    response = decide(editor_in_admin, fostering, proxies, "same", "Both accuse Pakistan of it.")

    assert response.status_code == 302
    recurrence = Recurrence.objects.get(claim=fostering)
    assert recurrence.assertion.slug == "pakistan-fosters-militancy"
    assert (recurrence.reason, recurrence.confirmed_by.username) == (
        "Both accuse Pakistan of it.",
        "editors",
    )


def test_confirming_two_unlinked_claims_makes_a_new_assertion_with_the_wording_given(
    editor_in_admin, shipped_letters
):
    first, second = claim("misuse-of-territories"), claim("strategic-territory")

    without = decide(editor_in_admin, first, second, "same", "Both call it strategic.")
    assert without.status_code == 400
    assert "give the new one its wording" in without.content.decode()

    response = decide(
        editor_in_admin,
        first,
        second,
        "same",
        "Both call Balochistan's territory strategic.",
        title="Balochistan's territory is of strategic importance",
    )

    assert response.status_code == 302
    assertion = RecurringAssertion.objects.get(
        slug="balochistans-territory-is-of-strategic-importance"
    )
    assert set(assertion.recurrences.values_list("claim__key", flat=True)) == {
        "misuse-of-territories",
        "strategic-territory",
    }
    assert assertion.recurrences.get(claim=first).confirmed_by.username == "editors"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reason": ""}, "This field is required."),
        ({"decision": "maybe"}, "Select a valid choice."),
        ({"claim": "abc"}, "Select a valid choice."),
        ({"other": "-1"}, "Select a valid choice."),
        ({"title": "2026"}, "at least two words"),
    ],
)
def test_a_wrong_decision_is_refused_with_a_message_and_writes_nothing(
    editor_in_admin, shipped_letters, change, message
):
    first, second = claim("misuse-of-territories"), claim("strategic-territory")
    data = {
        "claim": str(first.pk),
        "other": str(second.pk),
        "decision": "same",
        "reason": "A reason.",
        **change,
    }
    before = (Recurrence.objects.count(), RecurringAssertion.objects.count())

    response = editor_in_admin.post(URL, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Recurrence.objects.count(), RecurringAssertion.objects.count()) == before
    assert not RejectedMatch.objects.exists()


def test_claims_of_one_letter_or_of_two_assertions_are_not_matched(
    editor_in_admin, shipped_letters
):
    same_letter = decide(
        editor_in_admin, claim("misuse-of-territories"), claim("millions-of-victims"), "same"
    )
    assert same_letter.status_code == 400
    assert "Both claims are in one letter" in same_letter.content.decode()

    two_assertions = decide(
        editor_in_admin,
        claim("fostering-radicalisation"),
        claim("actions-undermine-stability"),
        "same",
    )
    assert two_assertions.status_code == 400
    assert "already makes another recurring assertion" in two_assertions.content.decode()


def test_reviewers_may_not_decide(reviewer_in_admin, shipped_letters):
    assert reviewer_in_admin.get(URL).status_code == 403


def test_an_unknown_letter_is_said_so(editor_in_admin, shipped_letters):
    response = editor_in_admin.get(URL, {"letter": "no-such-letter"})
    assert response.status_code == 200
    assert "No letter has the address name" in response.content.decode()


def test_a_decision_another_editor_just_made_is_said_so_and_nothing_is_written(
    editor_in_admin, shipped_letters, monkeypatch
):
    first, second = claim("misuse-of-territories"), claim("strategic-territory")
    RejectedMatch.objects.create(first=first, second=second, reason="Decided a moment before.")
    # As if both editors' checks ran before either wrote: the database's constraint answers.
    monkeypatch.setattr(RejectedMatch, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(RejectedMatch, "validate_constraints", lambda self, exclude=None: None)

    response = decide(editor_in_admin, first, second, "different")

    assert response.status_code == 400
    assert "Another editor has just decided" in response.content.decode()
    assert RejectedMatch.objects.get().reason == "Decided a moment before."
