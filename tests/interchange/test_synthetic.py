"""`seed_synthetic`: an archive of any size whose every row is one an editor could have made."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from archive.models import Actor, Letter, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus, basis_problems
from interchange.synthetic import BUSY_LETTER_CLAIMS, claims_per_letter, seed

pytestmark = pytest.mark.django_db


def test_the_archive_has_the_size_asked_for_and_every_quote_sits_where_it_says():
    counts = seed(30, 400, seed=3)
    assert (counts.letters, counts.claims) == (30, 400)
    assert Letter.objects.count() == 30 and Claim.objects.count() == 400
    assert (
        Letter.objects.filter(slug="synthetic-letter-0").get().claims.count() == BUSY_LETTER_CLAIMS
    )
    for model in (Claim, Response, Evidence, RequestedAction):
        rows = list(model.objects.select_related("source"))
        assert rows, model
        for row in rows:
            assert row.source.text[row.quote_start : row.quote_end] == row.quote_exact
            assert (
                row.quote_prefix == row.source.text[max(0, row.quote_start - 32) : row.quote_start]
            )
    for claim in Claim.objects.select_related("letter"):
        assert claim.letter.sources.filter(pk=claim.source_id).exists()


def test_statuses_keep_their_rules_and_every_claim_has_its_history():
    seed(20, 300, seed=4)
    if connection.vendor == "postgresql":  # the commit-time basis checks, now
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for claim in Claim.objects.filter(status__basis=VerificationStatus.Basis.RESPONSE):
        assert claim.responses.filter(stance__in=Response.Stance.opposing()).exists()
    reviewed = Claim.objects.exclude(status__slug="unassessed")
    assert reviewed.exists()
    for claim in Claim.objects.all():
        versions = list(claim.history.order_by("history_date", "history_id"))
        assert versions[0].history_type == "+" and versions[0].status.slug == "unassessed"
        assert (
            versions[0].status_source_id,
            versions[0].status_quote,
            versions[0].reviewed_by_id,
        ) == (None, "", None)
        assert versions[-1].status_id == claim.status_id
        assert (
            versions[-1].status_source_id,
            versions[-1].status_quote,
            versions[-1].reviewed_by_id,
        ) == (claim.status_source_id, claim.status_quote, claim.reviewed_by_id)
        for version in versions:  # every version knows whom the claim is about
            assert {link.actor_id for link in version.about.all()} == set(
                claim.about.values_list("pk", flat=True)
            )
    assert all(claim.history.count() == 2 for claim in reviewed)


def test_every_synthetic_status_has_the_basis_it_needs():
    seed(20, 300, seed=4)
    claims = list(Claim.objects.select_related("status", "status_source", "reviewed_by"))
    assert {claim.status.slug for claim in claims} == {
        "unassessed",
        "unverified",
        "disputed",
        "corroborated",
        "contradicted",
        "not-checkable",
    }
    for claim in claims:
        assert basis_problems(claim.status, claim) == {}, (claim.pk, claim.status.slug)
        if claim.status.basis == VerificationStatus.Basis.SOURCE:
            assert claim.status_source_id == claim.source_id  # the letter's own report says so
        if claim.status.basis == VerificationStatus.Basis.EDITORS:
            assert claim.reviewed_by.username == "synthetic-editor"
            assert not claim.reviewed_by.has_usable_password()  # an account nobody can sign in with
    assert not any(
        claim.reviewed_by_id
        for claim in claims
        if claim.status.basis != VerificationStatus.Basis.EDITORS
    )


def test_the_same_seed_gives_the_same_archive():
    seed(10, 100, seed=5)
    first = list(
        Claim.objects.order_by("letter__slug", "position").values_list("statement", "status__slug")
    )
    with pytest.raises(ValueError, match="already holds a synthetic archive"):
        seed(10, 100, seed=5)
    Letter.objects.all().delete()
    Source.objects.all().delete()
    Actor.objects.all().delete()
    seed(10, 100, seed=5)
    again = list(
        Claim.objects.order_by("letter__slug", "position").values_list("statement", "status__slug")
    )
    assert again == first


def test_the_command_refuses_a_second_archive_and_impossible_sizes(capsys):
    call_command("seed_synthetic", "--letters", "5", "--claims", "60")
    assert "Seeded" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds a synthetic archive"):
        call_command("seed_synthetic", "--letters", "5", "--claims", "60")
    with pytest.raises(CommandError, match="cannot fit"):
        call_command("seed_synthetic", "--letters", "2", "--claims", "1000")
    with pytest.raises(CommandError, match="at least one letter"):
        call_command("seed_synthetic", "--letters", "0", "--claims", "1")


def test_claims_are_spread_over_every_letter():
    import random

    counts = claims_per_letter(100, 2000, random.Random(1))
    assert sum(counts) == 2000 and min(counts) >= 1 and counts[0] == BUSY_LETTER_CLAIMS
    assert max(counts[1:]) < BUSY_LETTER_CLAIMS
