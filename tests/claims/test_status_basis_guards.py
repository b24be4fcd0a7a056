"""The database itself refuses a status without the basis it needs, whoever writes the row.

PostgreSQL checks at commit (deferred), so these tests make constraints immediate;
SQLite checks what the claim row holds as it is written, and leaves responses and
evidence to the application (claims.models.basis_problems).
"""

import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from claims.models import Claim, Evidence, Response, VerificationStatus

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no deferred triggers: the application checks related rows",
)


def immediate_constraints():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def status(slug):
    return VerificationStatus.objects.get(slug=slug)


def test_a_reported_status_without_the_sources_words_is_refused(make_claim):
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(status=status("unverified"))


def test_a_reported_status_whose_words_are_not_in_the_source_is_refused(make_claim, source):
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(
            status=status("unverified"),
            status_source=source,
            status_quote="Words the source never used.",
        )


def test_a_reported_status_with_the_sources_words_is_kept(make_claim, source):
    claim = make_claim()
    with transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(
            status=status("unverified"), status_source=source, status_quote="Officials denied it."
        )
    assert Claim.objects.get(pk=claim.pk).status.slug == "unverified"


def test_words_without_their_source_are_refused_on_both_databases(make_claim):
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status_quote="Officials denied it.")


def test_not_checkable_is_refused_for_a_factual_claim(make_claim):
    claim = make_claim(kind=Claim.Kind.FACTUAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(status=status("not-checkable"))


def test_the_editors_assessment_without_a_reviewer_is_refused(make_claim, source):
    claim = make_claim()
    Evidence.objects.create(
        claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(status=status("corroborated"))


@postgresql_only
def test_the_editors_assessment_without_evidence_is_refused(make_claim):
    claim = make_claim()
    editor = get_user_model().objects.create_user("editor")
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        Claim.objects.filter(pk=claim.pk).update(status=status("corroborated"), reviewed_by=editor)


@postgresql_only
def test_deleting_the_evidence_an_assessment_rests_on_is_refused(make_claim, source):
    claim = make_claim()
    editor = get_user_model().objects.create_user("editor")
    evidence = Evidence.objects.create(
        claim=claim, relation="contradicts", source=source, quote_exact="Officials denied it."
    )
    Claim.objects.filter(pk=claim.pk).update(status=status("contradicted"), reviewed_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        evidence.delete()


@postgresql_only
def test_deleting_the_response_a_dispute_rests_on_is_refused(make_claim, source, actor):
    claim = make_claim()
    response = claim.responses.create(
        actor=actor, stance="denies", source=source, quote_exact="Officials denied it."
    )
    Claim.objects.filter(pk=claim.pk).update(status=status("disputed"))
    with pytest.raises(IntegrityError), transaction.atomic():
        immediate_constraints()
        response.delete()


@postgresql_only
def test_a_status_in_use_keeps_its_basis(make_claim):
    make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationStatus.objects.filter(slug="unassessed").update(
            basis=VerificationStatus.Basis.EDITORS
        )


# --- the triggers rest on the application's own lists ----------------------------------------
# A migration may not import the application (tests/test_architecture.py), so the trigger
# writes the stances, relations and kinds out; these tests keep the two lists one.

GUARDS = importlib.import_module("claims.migrations.0011_status_basis_guards")


def listed(sql, column):
    """The values each `column IN (…)` or `column NOT IN (…)` of the SQL lists, one set per list."""
    lists = re.findall(rf"{re.escape(column)} (?:NOT )?IN \(([^)]*)\)", sql)
    assert lists, f"the trigger lists no {column}"
    return [set(re.findall(r"'([^']*)'", values)) for values in lists]


def values_of(choices):
    return {choice.value for choice in choices}


OPPOSING = values_of(Response.Stance.opposing())
ASSESSING = values_of(Evidence.Relation.assessing())
NOT_CHECKABLE = values_of(Claim.Kind.not_checkable())


@pytest.mark.parametrize(
    "column, expected",
    [("r.stance", OPPOSING), ("e.relation", ASSESSING), ("c.kind", NOT_CHECKABLE)],
    ids=["opposing-stances", "assessing-relations", "not-checkable-kinds"],
)
def test_the_postgresql_trigger_lists_what_basis_problems_counts(column, expected):
    assert listed(GUARDS.POSTGRES_BASIS, column) == [expected]


def test_the_sqlite_trigger_lists_the_kinds_basis_problems_counts():
    assert listed(GUARDS.SQLITE_LACKS_BASIS, "NEW.kind") == [NOT_CHECKABLE]


def test_the_basis_trigger_installed_in_this_database_lists_what_basis_problems_counts():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = 'missive_claim_status_basis'"
            )
            (installed,) = cursor.fetchone()
            assert listed(installed, "r.stance") == [OPPOSING]
            assert listed(installed, "e.relation") == [ASSESSING]
            assert listed(installed, "c.kind") == [NOT_CHECKABLE]
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'claims_claim_status_basis_%' ORDER BY name"
            )
            triggers = [sql for (sql,) in cursor.fetchall()]
            assert len(triggers) == 2  # on insert and on update
            for sql in triggers:
                assert listed(sql, "NEW.kind") == [NOT_CHECKABLE]
