"""Claims, responses and the status vocabulary."""
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from claims.models import Claim, Response, VerificationStatus
from tests.conftest import status

pytestmark = pytest.mark.django_db


def respond(claim, source, actor, stance=Response.Stance.DENIES, quote="Officials denied it."):
    return Response.objects.create(claim=claim, actor=actor, stance=stance, source=source, quote_exact=quote)


def test_the_vocabulary_is_seeded_with_the_agreed_statuses():
    slugs = set(VerificationStatus.objects.values_list("slug", flat=True))
    assert {"unassessed", "unverified", "disputed", "corroborated", "contradicted", "not-checkable"} <= slugs


def test_statuses_that_are_not_verdicts_carry_no_claimreview_rating():
    assert status("unassessed").rating_value is None
    assert status("not-checkable").rating_value is None
    assert status("corroborated").rating_value == 5
    assert status("contradicted").rating_value == 1


def test_only_the_disputed_status_needs_an_opposing_response():
    assert list(VerificationStatus.objects.filter(requires_dispute=True).values_list("slug", flat=True)) == ["disputed"]


def test_a_status_in_use_cannot_be_deleted(make_claim):
    make_claim()
    with pytest.raises(ProtectedError):
        status("unassessed").delete()


def test_changing_the_status_stamps_when(make_claim):
    claim = make_claim()
    before = claim.status_changed_at
    claim.status = status("unverified")
    claim.save()
    assert claim.status_changed_at > before
    stamped = claim.status_changed_at
    claim.statement = "reworded."
    claim.save()
    assert claim.status_changed_at == stamped


def test_a_claim_is_shown_attributed(make_claim):
    claim = make_claim(statement="it rained.")
    assert claim.attributed_statement == "The letter claims that it rained."
    assert str(claim) == "The letter claims that it rained."


def test_claim_keys_are_unique_within_a_letter(make_claim):
    make_claim(key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(key="same")


def test_a_response_targets_a_claim_or_a_letter_not_both(make_claim, source, actor, letter):
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            claim=claim, letter=letter, actor=actor, stance="denies", source=source, quote_exact="Officials denied it."
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(actor=actor, stance="denies", source=source, quote_exact="Officials denied it.")


def test_a_party_has_one_response_per_claim(make_claim, source, actor):
    claim = make_claim()
    respond(claim, source, actor)
    with pytest.raises(IntegrityError), transaction.atomic():
        respond(claim, source, actor, stance=Response.Stance.REJECTS)


def test_claims_disputed_by_an_actor(make_claim, source, actor):
    disputed = make_claim(key="a")
    respond(disputed, source, actor)
    acknowledged = make_claim(key="b")
    respond(acknowledged, source, actor, stance=Response.Stance.ACKNOWLEDGES)
    assert list(Claim.objects.disputed_by(actor)) == [disputed]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="checked at commit by a PostgreSQL trigger")
class TestDisputedNeedsAResponseInTheDatabase:
    def immediate(self):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def test_a_disputed_claim_without_a_response_is_refused(self, make_claim):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.immediate()
            make_claim(status_slug="disputed")

    def test_a_disputed_claim_with_a_denial_is_accepted(self, make_claim, source, actor):
        with transaction.atomic():
            claim = make_claim(status_slug="disputed")
            respond(claim, source, actor)
            self.immediate()
        assert Claim.objects.filter(pk=claim.pk).exists()

    def test_removing_the_last_denial_of_a_disputed_claim_is_refused(self, make_claim, source, actor):
        with transaction.atomic():
            claim = make_claim(status_slug="disputed")
            response = respond(claim, source, actor)
            self.immediate()
        with pytest.raises(IntegrityError), transaction.atomic():
            self.immediate()
            response.delete()
