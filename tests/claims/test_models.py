"""Claims, responses and the status vocabulary, and the basis every status needs."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from archive.models import Actor, Letter, Source
from claims.models import (
    Claim,
    ClaimQuerySet,
    Evidence,
    Response,
    VerificationStatus,
    basis_problems,
)
from core.django_internals import explicit_ordering
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


# --- What the pages read: ClaimQuerySet and ResponseQuerySet ------------------------------


def party(slug):
    return Actor.objects.create(name=slug.title(), slug=slug, kind=Actor.Kind.STATE)


@pytest.fixture
def claim_in(letter, source):
    """A claim in a letter of its own, dated `date`, about `about`."""

    def make(date, about=(), kind=Claim.Kind.FACTUAL):
        other = Letter.objects.create(
            title=f"Letter of {date}", slug=f"letter-{date}", date_edtf=date, sender=letter.sender
        )
        other.sources.add(source)
        claim = Claim.objects.create(
            letter=other,
            key="k",
            statement="it rained.",
            kind=kind,
            status=status("unassessed"),
            source=source,
            quote_exact="asked for an inquiry",
        )
        claim.about.set(about)
        return claim

    return make


def test_the_claim_list_shows_the_newest_letters_first_each_in_its_own_order(make_claim, claim_in):
    second, first = make_claim(key="b", position=2), make_claim(key="a", position=1)  # 2026-01-04
    older = claim_in("2025-06-01")
    newer = claim_in("2026-03-01")
    assert list(Claim.objects.in_list_order()) == [newer, first, second, older]


def test_the_list_order_is_written_once_and_ends_in_the_key():
    from claims.filters import ClaimFilter

    assert explicit_ordering(Claim.objects.in_list_order()) == ClaimQuerySet.LIST_ORDER
    assert ClaimQuerySet.LIST_ORDER[-1] == "pk"  # keyset paging needs a unique last key
    assert ClaimFilter.base_filters["sort"].orderings["newest"][1] == ClaimQuerySet.LIST_ORDER


def test_a_letters_claims_come_in_the_letters_own_order(make_claim, claim_in, letter):
    third, first = make_claim(key="c", position=3), make_claim(key="a", position=1)
    claim_in("2026-03-01")  # another letter's
    assert list(Claim.objects.in_letter(letter)) == [first, third]


def test_a_listed_claim_shows_its_letter_status_and_responses_without_a_query_each(
    make_claim, source, actor, django_assert_num_queries
):
    for key in "abc":
        respond(make_claim(key=key), source, actor)
    with django_assert_num_queries(2):  # the claims with letters, senders, statuses; responses
        for claim in Claim.objects.for_list().in_list_order():
            assert claim.letter.sender == actor and claim.status.slug == "unassessed"
            assert claim.status_source is None and claim.reviewed_by is None
            assert [response.actor for response in claim.responses.all()] == [actor]


def test_related_claims_share_most_parties_first_then_newest(make_claim, claim_in):
    state_a, state_b, state_c = party("a"), party("b"), party("c")
    subject = make_claim(key="subject")
    subject.about.set([state_a, state_b])
    make_claim(key="same-letter").about.set([state_a, state_b])  # not in another letter
    newest_about_a = claim_in("2026-03-01", [state_a])
    oldest_about_both = claim_in("2019-01-01", [state_a, state_b, state_c])
    about_b = claim_in("2024-05-05", [state_b])
    claim_in("2025-01-01", [state_c])  # shares no party
    assert Claim.objects.related_to(subject) == [oldest_about_both, newest_about_a, about_b]


def test_related_claims_stop_at_the_limit_keeping_those_sharing_most(make_claim, claim_in):
    state_a, state_b = party("a"), party("b")
    subject = make_claim(key="subject")
    subject.about.set([state_a, state_b])
    about_both = claim_in("2019-01-01", [state_a, state_b])
    newest, newer = claim_in("2026-03-01", [state_a]), claim_in("2026-02-01", [state_b])
    claim_in("2026-01-01", [state_a])
    assert Claim.objects.related_to(subject, limit=3) == [about_both, newest, newer]


def test_a_claim_about_nobody_has_no_related_claims(make_claim, claim_in):
    claim_in("2026-03-01", [party("a")])
    assert Claim.objects.related_to(make_claim()) == []


def test_claims_are_counted_by_status(make_claim, source):
    make_claim(key="a")
    make_claim(key="b")
    make_claim(
        key="c",
        status_slug="unverified",
        status_source=source,
        status_quote="Officials denied it.",
    )
    counts = Claim.objects.counts_by_status()
    assert counts == {status("unassessed").pk: 2, status("unverified").pk: 1}


def test_claims_about_an_actor_come_once_each(make_claim, claim_in):
    state_a, state_b = party("a"), party("b")
    about_both = make_claim(key="both")
    about_both.about.set([state_a, state_b])
    about_a = claim_in("2026-03-01", [state_a])
    claim_in("2025-01-01", [state_b])
    assert list(Claim.objects.about(state_a).in_list_order()) == [about_a, about_both]
    assert list(Claim.objects.about(state_b).about(state_a)) == [about_both]


def test_claims_about_an_actor_are_counted_on_the_link_table_alone(make_claim, claim_in):
    state_a = party("a")
    make_claim().about.set([state_a])
    claim_in("2026-03-01", [state_a])
    draft = claim_in("2026-03-02", [state_a])
    Letter.objects.filter(pk=draft.letter_id).update(published=False)
    with CaptureQueriesContext(connection) as queries:
        assert Claim.objects.count_about(state_a) == 2  # the draft's claim is not counted
    # The claims table is read only for the drafts' claims, in a subquery: no join.
    sql = queries[-1]["sql"]
    assert sql.startswith('SELECT COUNT(*) AS "__count" FROM "claims_claim_about"')
    assert "JOIN" not in sql and "claims_claim" in sql.split("WHERE", 1)[1]


def test_without_drafts_claims_about_an_actor_are_counted_on_the_link_table_alone(
    make_claim, claim_in
):
    state_a = party("a")
    make_claim().about.set([state_a])
    claim_in("2026-03-01", [state_a])
    with CaptureQueriesContext(connection) as queries:
        assert Claim.objects.count_about(state_a) == 2
    sql = queries[-1]["sql"]
    assert sql.startswith('SELECT COUNT(*) AS "__count" FROM "claims_claim_about"')
    assert '"claims_claim"' not in sql


def test_claims_a_party_responded_to_by_party_and_by_stance(make_claim, source, actor):
    other = party("other")
    denied, acknowledged, unanswered = make_claim(key="a"), make_claim(key="b"), make_claim(key="c")
    respond(denied, source, actor)
    respond(denied, source, other, stance=Response.Stance.DISPUTES)  # a second party: still once
    respond(acknowledged, source, actor, stance=Response.Stance.ACKNOWLEDGES)
    opposing = Response.Stance.opposing()

    def pks(claims):
        return sorted(claim.pk for claim in claims)

    assert pks(Claim.objects.responded_to_by(actor)) == pks([denied, acknowledged])
    assert pks(Claim.objects.responded_to_by(actor, opposing)) == [denied.pk]
    assert pks(Claim.objects.responded_to_by(stances=opposing)) == [denied.pk]
    assert pks(Claim.objects.responded_to_by(other, [Response.Stance.ACKNOWLEDGES])) == []
    assert unanswered.pk not in pks(Claim.objects.responded_to_by())


def test_responses_a_party_gave_come_latest_first_to_claims_and_whole_letters(
    make_claim, source, actor, letter, django_assert_num_queries
):
    on_claim = respond(make_claim(), source, actor)
    on_letter = Response.objects.create(
        letter=letter,
        actor=actor,
        stance="denies",
        source=source,
        quote_exact="Officials denied it.",
    )
    respond(make_claim(key="b"), source, party("other"))  # another party's
    given = Response.objects.given_by(actor)
    assert list(given) == [on_letter, on_claim]
    with django_assert_num_queries(2):  # the responses with what they answer; the claims' responses
        shown = list(given.with_targets())
        assert shown[1].claim.letter.sender == actor and shown[1].claim.status.slug
        assert [response.actor for response in shown[1].claim.responses.all()] == [actor]
        assert shown[0].claim is None and shown[0].letter == letter


def test_responses_to_the_whole_letter_leave_out_those_to_its_claims(
    make_claim, source, actor, letter
):
    respond(make_claim(), source, actor)
    on_letter = Response.objects.create(
        letter=letter,
        actor=actor,
        stance="denies",
        source=source,
        quote_exact="Officials denied it.",
    )
    assert list(Response.objects.to_whole_letter(letter)) == [on_letter]


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


def test_the_claim_filters_offer_only_the_parties_of_claims_and_those_who_responded_to_one(
    letter, source, make_claim
):
    from claims.models import actors_claims_are_about, actors_responding_to_claims

    zulu, alpha, bystander = (
        Actor.objects.create(name=name.title(), slug=name, kind="state")
        for name in ("zulu", "alpha", "bystander")
    )
    claim = make_claim()
    claim.about.set([zulu, alpha])
    Response.objects.create(
        claim=claim, actor=zulu, stance="denies", source=source, quote_exact="Officials denied it."
    )
    Response.objects.create(  # to the whole letter: not a responder to claims
        letter=letter,
        actor=bystander,
        stance="denies",
        source=source,
        quote_exact="Officials denied it.",
    )
    assert list(actors_claims_are_about().as_choices()) == [alpha, zulu]
    assert list(actors_responding_to_claims().as_choices()) == [zulu]
