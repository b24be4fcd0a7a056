"""A claim's status changes the same way whoever changes it: on the claim's page, on its letter's
page, by the bulk action or from an import file (claims.statuses.change_status).

The claim keeps only the basis its new status uses, the change is dated now unless a file says
when, the editor whose own assessment it is is recorded, and a save that keeps the status keeps
its date.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence, VerificationStatus
from claims.statuses import change_status, set_status
from interchange.importing import import_document
from tests.claims.test_admin import change_form_data, claim_url
from tests.conftest import status

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=datetime.UTC)
WORDS = "Officials denied it."  # in the source's text: a report's words, or a passage of evidence


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reported(make_claim, source):
    """A claim a source reported as unverified long ago, with a passage of evidence supporting it."""
    claim = make_claim(
        status_slug="unverified",
        status_source=source,
        status_quote=WORDS,
        status_changed_at=LONG_AGO,
    )
    Evidence.objects.create(claim=claim, relation="supports", source=source, quote_exact=WORDS)
    return claim


# --- the four ways a status changes -----------------------------------------------------------


def on_its_page(client, editor, claim, slug, statement=None):
    data = change_form_data(client.get(claim_url(claim)))
    data.update(status=str(status(slug).pk), change_reason="Checked")
    if statement:
        data["statement"] = statement
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def on_its_letters_page(client, editor, claim, slug, statement=None):
    url = reverse("admin:archive_letter_change", args=[claim.letter.pk])
    data = change_form_data(client.get(url))
    data.update({"claims-0-status": str(status(slug).pk), "change_reason": "Checked"})
    if statement:
        data["claims-0-statement"] = statement
    assert client.post(url, data).status_code == 302


def by_the_bulk_action(client, editor, claim, slug, statement=None):
    # The bulk action changes statuses alone, and leaves a claim already at the status as it is.
    set_status(Claim.objects.filter(pk=claim.pk), status(slug), "Checked", editor)


def from_an_import_file(client, editor, claim, slug, statement=None, **fields):
    import_document(document_for(claim, slug, statement=statement, **fields))


def document_for(claim, slug, statement=None, **fields):
    """An import file holding the claim as it is, but for its status (with the basis it needs)."""
    letter, source = claim.letter, claim.source
    basis = status(slug).basis
    return {
        "format": "missive-letters",
        "version": 1,
        "letters": [
            {
                "slug": letter.slug,
                "title": letter.title,
                "date": letter.date_edtf,
                "sender": letter.sender.slug,
                "summary": letter.summary,
                "sources": [source.slug],
                "claims": [
                    {
                        "key": claim.key,
                        "statement": statement or claim.statement,
                        "kind": claim.kind,
                        "status": slug,
                        "quote": {"source": source.slug, "exact": claim.quote_exact},
                        "evidence": [
                            {
                                "relation": "supports",
                                "quote": {"source": source.slug, "exact": WORDS},
                            }
                        ],
                        **(
                            {"status_basis": {"source": source.slug, "quote": WORDS}}
                            if basis == VerificationStatus.Basis.SOURCE
                            else {}
                        ),
                        **(
                            {"reviewed_by": "editor"}
                            if basis == VerificationStatus.Basis.EDITORS
                            else {}
                        ),
                        **fields,
                    }
                ],
            }
        ],
    }


WAYS = [on_its_page, on_its_letters_page, by_the_bulk_action, from_an_import_file]


def ways(test):
    return pytest.mark.parametrize("change", WAYS, ids=[way.__name__ for way in WAYS])(test)


# --- the same outcome, whichever way ----------------------------------------------------------


@ways
def test_a_status_change_is_dated_now_and_keeps_only_the_basis_the_new_status_uses(
    change, client, editor, reported
):
    client.force_login(editor)
    before = timezone.now()

    change(client, editor, reported, "corroborated")

    reported.refresh_from_db()
    assert reported.status.slug == "corroborated"
    assert before <= reported.status_changed_at <= timezone.now()
    assert reported.reviewed_by == editor  # the editors' own assessment names its editor
    assert (reported.status_source, reported.status_quote) == (None, "")  # the report's no longer


@ways
def test_a_save_that_keeps_the_status_keeps_when_it_was_set_and_its_basis(
    change, client, editor, reported, source
):
    client.force_login(editor)

    change(client, editor, reported, "unverified", statement="the river rose in 1950.")

    reported.refresh_from_db()
    assert reported.status.slug == "unverified"
    assert reported.status_changed_at == LONG_AGO
    assert (reported.status_source, reported.status_quote) == (source, WORDS)


def test_only_a_file_restoring_a_status_says_when_it_was_set(editor, reported):
    set_on = datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)

    from_an_import_file(None, editor, reported, "corroborated", status_set_at=set_on.isoformat())

    reported.refresh_from_db()
    assert (reported.status.slug, reported.status_changed_at) == ("corroborated", set_on)
    assert reported.reviewed_by == editor


# --- change_status itself ---------------------------------------------------------------------


def test_a_status_is_refused_without_its_basis_saying_what_it_lacks(make_claim):
    claim = make_claim()

    with pytest.raises(ValidationError, match="rejects, denies or disputes the claim"):
        change_status(claim, status("disputed"))


def test_a_basis_written_along_with_the_claim_is_counted_before_it_is_written(make_claim):
    # The importer writes a claim before its responses and evidence, and says what they will be.
    claim = make_claim()

    change_status(claim, status("disputed"), stances=["denies"])

    assert claim.status.slug == "disputed"


def test_a_status_is_given_unsaved_for_its_caller_to_save(reported):
    change_status(reported, status("unassessed"))

    assert Claim.objects.get(pk=reported.pk).status.slug == "unverified"
    reported.save()
    assert Claim.objects.get(pk=reported.pk).status.slug == "unassessed"
