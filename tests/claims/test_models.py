"""Claims, responses and the status vocabulary, and the basis every status needs."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from archive.models import Source
from claims.models import Claim, Evidence, Response, VerificationStatus, basis_problems
from tests.conftest import status

Basis = VerificationStatus.Basis

pytestmark = pytest.mark.django_db


def respond(claim, source, actor, stance=Response.Stance.DENIES, quote="Officials denied it."):
    return Response.objects.create(
        claim=claim, actor=actor, stance=stance, source=source, quote_exact=quote
    )


def test_the_vocabulary_is_seeded_with_the_agreed_statuses():
    slugs = set(VerificationStatus.objects.values_list("slug", flat=True))
    assert {
        "unassessed",
        "unverified",
        "disputed",
        "corroborated",
        "contradicted",
        "not-checkable",
    } <= slugs


def test_no_seeded_status_carries_a_claimreview_rating_nobody_chose():
    assert (
        list(VerificationStatus.objects.exclude(rating_value=None).values_list("slug", flat=True))
        == []
    )


def test_every_seeded_status_says_whose_it_is():
    assert dict(VerificationStatus.objects.values_list("slug", "basis")) == {
        "unassessed": Basis.NONE,
        "unverified": Basis.SOURCE,
        "disputed": Basis.RESPONSE,
        "corroborated": Basis.EDITORS,
        "contradicted": Basis.EDITORS,
        "not-checkable": Basis.CLASSIFICATION,
    }


def test_only_the_disputed_status_needs_an_opposing_response():
    assert list(
        VerificationStatus.objects.filter(basis=Basis.RESPONSE).values_list("slug", flat=True)
    ) == ["disputed"]


def test_a_rating_is_only_for_the_editors_own_assessments():
    corroborated = status("corroborated")
    corroborated.rating_value = 5
    corroborated.save()  # an editors' status may carry a number the editors chose
    for slug, rating in (("unverified", 3), ("not-checkable", 1), ("corroborated", 6)):
        chosen = status(slug)
        chosen.rating_value = rating
        with pytest.raises(IntegrityError), transaction.atomic():
            chosen.save()
    assert status("unverified").rating_value is None


def test_a_status_in_use_cannot_be_deleted(make_claim):
    make_claim()
    with pytest.raises(ProtectedError):
        status("unassessed").delete()


def test_changing_the_status_stamps_when(make_claim, source):
    claim = make_claim()
    before = claim.status_changed_at
    claim.status = status("unverified")
    claim.status_source, claim.status_quote = source, "Officials denied it."
    claim.save()
    assert claim.status_changed_at > before
    stamped = claim.status_changed_at
    claim.statement = "reworded."
    claim.save()
    assert claim.status_changed_at == stamped


def test_a_claim_is_shown_attributed_to_its_sender(make_claim):
    claim = make_claim(statement="it rained.")
    assert claim.attributed_statement == "The letter from Sender claims that it rained."
    assert str(claim) == "The letter from Sender claims that it rained."


def test_claim_keys_are_unique_within_a_letter(make_claim):
    make_claim(key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(key="same")


def test_a_response_targets_a_claim_or_a_letter_not_both(make_claim, source, actor, letter):
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            claim=claim,
            letter=letter,
            actor=actor,
            stance="denies",
            source=source,
            quote_exact="Officials denied it.",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            actor=actor, stance="denies", source=source, quote_exact="Officials denied it."
        )


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


@pytest.fixture
def reviewer(db):
    return get_user_model().objects.create_user("reviewer", first_name="Ada", last_name="Reviewer")


def unsaved(source, kind=Claim.Kind.FACTUAL, **fields):
    return Claim(kind=kind, source=source, **fields)


def test_a_status_nobody_assessed_needs_nothing(source):
    assert basis_problems(status("unassessed"), unsaved(source), stances=[], evidence=[]) == {}


def test_a_status_a_source_reports_needs_that_sources_own_words(source):
    unverified, own = status("unverified"), {source.slug}
    assert set(basis_problems(unverified, unsaved(source), letter_sources=own)) == {"status_quote"}
    assert set(
        basis_problems(unverified, unsaved(source, status_source=source), letter_sources=own)
    ) == {"status_quote"}
    invented = unsaved(source, status_source=source, status_quote="Nobody could verify it.")
    assert (
        "not in the text"
        in basis_problems(unverified, invented, letter_sources=own)["status_quote"]
    )
    quoted = unsaved(source, status_source=source, status_quote="Officials denied it.")
    assert basis_problems(unverified, quoted, letter_sources=own) == {}


def test_a_status_rests_only_on_a_source_of_the_claims_own_letter(letter, source):
    other = Source.objects.create(
        title="Another report", slug="another", text="Nobody could verify it at all."
    )
    claim = unsaved(
        source, letter=letter, status_source=other, status_quote="Nobody could verify it at all."
    )
    assert (
        "not one of this letter's sources"
        in basis_problems(status("unverified"), claim)["status_quote"]
    )
    letter.sources.add(other)
    assert basis_problems(status("unverified"), claim) == {}


def test_a_status_rests_on_a_sentence_not_a_stray_word(source):
    claim = unsaved(source, status_source=source, status_quote="denied")
    assert (
        "at least 3 words"
        in basis_problems(status("unverified"), claim, letter_sources={source.slug})["status_quote"]
    )


def test_a_status_a_party_gives_needs_an_opposing_response(source):
    disputed = status("disputed")
    for stances in (
        [],
        [
            Response.Stance.ACKNOWLEDGES,
            Response.Stance.NO_PUBLIC_RESPONSE,
            Response.Stance.CONFIRMS,
        ],
    ):
        assert set(basis_problems(disputed, unsaved(source), stances=stances)) == {"responses"}
    for stance in Response.Stance.opposing():
        assert basis_problems(disputed, unsaved(source), stances=[stance]) == {}


def test_the_editors_own_assessment_needs_the_reviewer_and_evidence_that_bears_on_it(
    source, reviewer
):
    for slug in ("corroborated", "contradicted"):
        assessment = status(slug)
        assert set(basis_problems(assessment, unsaved(source), evidence=[])) == {
            "reviewed_by",
            "evidence",
        }
        context_only = basis_problems(
            assessment, unsaved(source, reviewed_by=reviewer), evidence=[Evidence.Relation.CONTEXT]
        )
        assert set(context_only) == {"evidence"}
        for relation in Evidence.Relation.assessing():
            assert set(basis_problems(assessment, unsaved(source), evidence=[relation])) == {
                "reviewed_by"
            }
            assert (
                basis_problems(
                    assessment, unsaved(source, reviewed_by=reviewer), evidence=[relation]
                )
                == {}
            )


def test_not_checkable_is_only_for_the_kinds_no_record_could_settle(source):
    not_checkable = status("not-checkable")
    for kind in Claim.Kind:
        problems = basis_problems(not_checkable, unsaved(source, kind=kind))
        if kind in (Claim.Kind.CHARACTERISATION, Claim.Kind.PREDICTION):
            assert problems == {}
        else:
            assert set(problems) == {"kind"}, kind
            assert f"this claim's kind is {kind.label.lower()}" in problems["kind"]


def test_basis_problems_reads_the_saved_responses_and_evidence_when_not_given(
    make_claim, source, actor, reviewer
):
    claim = make_claim()
    assert set(basis_problems(status("disputed"), claim)) == {"responses"}
    respond(claim, source, actor)
    assert basis_problems(status("disputed"), claim) == {}
    claim.reviewed_by = reviewer
    assert set(basis_problems(status("corroborated"), claim)) == {"evidence"}
    Evidence.objects.create(
        claim=claim,
        relation=Evidence.Relation.SUPPORTS,
        source=source,
        quote_exact="Officials denied it.",
    )
    assert basis_problems(status("corroborated"), claim) == {}


def test_clean_names_the_claims_own_field_that_lacks_the_basis(make_claim, source):
    from django.core.exceptions import ValidationError

    claim = make_claim()
    claim.status = status("unverified")
    with pytest.raises(ValidationError) as refused:
        claim.clean()
    assert set(refused.value.message_dict) == {"status_quote"}
    claim.status = status("not-checkable")
    with pytest.raises(ValidationError) as refused:
        claim.clean()
    assert set(refused.value.message_dict) == {"status"}
    claim.kind = Claim.Kind.PREDICTION
    claim.clean()


def test_saving_keeps_only_the_basis_the_status_uses(make_claim, source, reviewer):
    claim = make_claim(kind=Claim.Kind.CHARACTERISATION)
    claim.status = status("unverified")
    claim.status_source, claim.status_quote, claim.reviewed_by = (
        source,
        "Officials denied it.",
        reviewer,
    )
    claim.save()
    claim.refresh_from_db()
    assert (claim.status_source, claim.status_quote, claim.reviewed_by) == (
        source,
        "Officials denied it.",
        None,
    )
    claim.status = status("not-checkable")
    claim.save()
    claim.refresh_from_db()
    assert (claim.status_source, claim.status_quote, claim.reviewed_by) == (None, "", None)
    historical = claim.history.first()
    assert (historical.status_source_id, historical.status_quote) == (None, "")


def immediate():
    """PostgreSQL checks the basis at commit: check it now. SQLite checks the row as it is written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_a_source_without_its_words_or_words_without_a_source(
    make_claim, source
):
    claim = make_claim()
    for values in ({"status_source": source}, {"status_quote": "Officials denied it."}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(**values)


@pytest.mark.parametrize(
    "slug, words",
    [
        ("unverified", None),  # no source, no words
        ("unverified", "Nobody could verify it."),  # words the source never wrote
        ("corroborated", None),  # no reviewing editor
        ("not-checkable", None),  # a factual claim
    ],
)
def test_the_database_refuses_a_claim_row_without_its_basis(make_claim, source, slug, words):
    """The parts the claim row holds itself, checked by SQLite and PostgreSQL alike, past the model's save."""
    claim = make_claim()
    values = {"status_source": source, "status_quote": words} if words else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate()
        Claim.objects.filter(pk=claim.pk).update(status=status(slug), **values)
    claim.refresh_from_db()
    assert claim.status.slug == "unassessed"


def test_the_database_accepts_a_claim_row_with_its_basis(make_claim, source, reviewer):
    claim = make_claim(kind=Claim.Kind.PREDICTION)
    with transaction.atomic():
        immediate()
        Claim.objects.filter(pk=claim.pk).update(
            status=status("unverified"), status_source=source, status_quote="Officials denied it."
        )
        Claim.objects.filter(pk=claim.pk).update(
            status=status("not-checkable"), status_source=None, status_quote=""
        )
    claim.refresh_from_db()
    assert claim.status.slug == "not-checkable"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="checked at commit by a PostgreSQL trigger"
)
class TestTheBasisIsCheckedAtCommitInTheDatabase:
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

    def test_removing_the_last_denial_of_a_disputed_claim_is_refused(
        self, make_claim, source, actor
    ):
        with transaction.atomic():
            claim = make_claim(status_slug="disputed")
            response = respond(claim, source, actor)
            self.immediate()
        with pytest.raises(IntegrityError), transaction.atomic():
            self.immediate()
            response.delete()

    def test_an_assessment_without_supporting_or_contradicting_evidence_is_refused(
        self, make_claim, source, reviewer
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            claim = make_claim()
            Evidence.objects.create(
                claim=claim,
                relation=Evidence.Relation.CONTEXT,
                source=source,
                quote_exact="Officials denied it.",
            )
            claim.status, claim.reviewed_by = status("corroborated"), reviewer
            claim.save()
            self.immediate()

    def test_an_assessment_with_its_evidence_and_reviewer_is_accepted(
        self, make_claim, source, reviewer
    ):
        with transaction.atomic():
            claim = make_claim(status_slug="contradicted", reviewed_by=reviewer)
            Evidence.objects.create(
                claim=claim,
                relation=Evidence.Relation.CONTRADICTS,
                source=source,
                quote_exact="Officials denied it.",
            )
            self.immediate()
        assert Claim.objects.get(pk=claim.pk).reviewed_by == reviewer

    def test_removing_or_softening_the_evidence_an_assessment_rests_on_is_refused(
        self, make_claim, source, reviewer
    ):
        with transaction.atomic():
            claim = make_claim(status_slug="corroborated", reviewed_by=reviewer)
            evidence = Evidence.objects.create(
                claim=claim,
                relation=Evidence.Relation.SUPPORTS,
                source=source,
                quote_exact="Officials denied it.",
            )
            self.immediate()
        with pytest.raises(IntegrityError), transaction.atomic():
            self.immediate()
            Evidence.objects.filter(pk=evidence.pk).update(relation=Evidence.Relation.CONTEXT)
        with pytest.raises(IntegrityError), transaction.atomic():
            self.immediate()
            evidence.delete()

    def test_the_basis_of_a_status_in_use_cannot_change(self, make_claim):
        make_claim()
        with pytest.raises(IntegrityError), transaction.atomic():
            VerificationStatus.objects.filter(slug="unassessed").update(basis=Basis.EDITORS)
        VerificationStatus.objects.filter(slug="corroborated").update(
            basis=Basis.NONE
        )  # in use by none
        assert status("corroborated").basis == Basis.NONE
