"""Nothing is ever really gone: deletions are recorded, restored from the admin, and refused where
others depend on the object."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import escape

from archive.models import Actor, Letter, Recipient, RequestedAction
from claims.models import Claim, Evidence, Recurrence, Response, VerificationStatus

pytestmark = pytest.mark.django_db
NATO = "balochistan-to-nato-2026-01-04"


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True, first_name="Ada"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def snapshot(letter):
    """Everything that hangs from a letter, as comparable values."""
    claims = Claim.objects.filter(letter=letter)
    return {
        "letter": Letter.objects.filter(pk=letter.pk).values().get(),
        "sources": sorted(letter.sources.values_list("pk", flat=True)),
        "claims": sorted(claims.values_list("pk", "statement", "status_id", "quote_start")),
        "about": sorted(
            Claim.about.through.objects.filter(claim__letter=letter).values_list(
                "claim_id", "actor_id"
            )
        ),
        "responses": sorted(
            Response.objects.filter(claim__letter=letter).values_list("pk", "actor_id", "stance")
        ),
        "evidence": sorted(
            Evidence.objects.filter(claim__letter=letter).values_list("pk", "relation")
        ),
        "recurrences": sorted(
            Recurrence.objects.filter(claim__letter=letter).values_list(
                "pk", "assertion_id", "reason"
            )
        ),
        "recipients": sorted(
            Recipient.objects.filter(letter=letter).values_list("pk", "actor_id", "role")
        ),
        "actions": sorted(
            RequestedAction.objects.filter(letter=letter).values_list("pk", "summary")
        ),
        "addressees": sorted(
            RequestedAction.addressees.through.objects.filter(
                requestedaction__letter=letter
            ).values_list("requestedaction_id", "actor_id")
        ),
    }


def delete_in_admin(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    return client.post(url, {"post": "yes"})


def restore_url(model, record):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_restore", args=[record.history_id]
    )


def test_a_deleted_letter_comes_back_whole_with_its_claims_responses_and_recipients(
    editor_client, shipped_letters
):
    letter = Letter.objects.get(slug=NATO)
    before = snapshot(letter)
    assert before["claims"] and before["responses"] and before["recipients"] and before["actions"]
    assert before["recurrences"]

    assert delete_in_admin(editor_client, letter).status_code == 302
    assert not Letter.objects.filter(slug=NATO).exists()
    record = Letter.history.filter(id=letter.pk, history_type="-").get()
    assert (
        record.history_user.username == "editor"
        and record.history_change_reason == "Deleted in the admin"
    )

    listing = editor_client.get(reverse("admin:archive_letter_deleted"))
    assert listing.status_code == 200
    assert letter.title in listing.content.decode() and "Ada" in listing.content.decode()

    restored = editor_client.post(restore_url(Letter, record), {"reason": "Deleted by mistake"})
    assert restored.status_code == 302
    assert snapshot(letter) == before  # the same ids, values and links
    assert Letter.history.filter(id=letter.pk).first().history_change_reason == "Deleted by mistake"
    assert editor_client.get(letter.get_absolute_url()).status_code == 200
    assert (
        "Nothing deleted."
        in editor_client.get(reverse("admin:archive_letter_deleted")).content.decode()
    )


def test_a_deleted_claim_comes_back_with_its_responses_and_parties(editor_client, shipped_letters):
    claim = Claim.objects.filter(responses__isnull=False).order_by("pk").first()
    responses = sorted(claim.responses.values_list("pk", "stance"))
    about = sorted(claim.about.values_list("pk", flat=True))
    assert delete_in_admin(editor_client, claim).status_code == 302
    record = Claim.history.filter(id=claim.pk, history_type="-").get()
    assert editor_client.post(restore_url(Claim, record), {"reason": "Restored"}).status_code == 302
    claim.refresh_from_db()
    assert sorted(claim.responses.values_list("pk", "stance")) == responses
    assert sorted(claim.about.values_list("pk", flat=True)) == about


def test_a_claim_whose_letter_is_gone_says_to_restore_the_letter_first(
    editor_client, shipped_letters
):
    letter = Letter.objects.get(slug=NATO)
    claim = Claim.objects.filter(letter=letter).first()
    claim_id, name = claim.pk, str(claim)
    claim.delete()
    letter.delete()
    record = Claim.history.filter(id=claim_id, history_type="-").latest("history_id")
    response = editor_client.post(restore_url(Claim, record), {"reason": "Restored"}, follow=True)
    # Named as its sender's assertion, though its letter is gone: the letter as its history last held it.
    assert escape(
        f"The claim “{name}” cannot come back on its own: its letter is deleted too. Restore that first."
    ) in (response.content.decode())
    assert not Claim.objects.filter(pk=claim_id).exists()


def test_the_deleted_page_names_each_claim_as_its_senders_assertion_even_when_its_letter_is_gone(
    editor_client, shipped_letters
):
    kept = Claim.objects.exclude(letter__slug=NATO).first()
    gone_with_letter = Claim.objects.filter(letter__slug=NATO).first()
    names = [str(kept), str(gone_with_letter)]
    assert all(
        name.startswith("The letter from “Republic of Balochistan” (self-declared) claims that")
        for name in names
    )
    kept.delete()
    Letter.objects.get(slug=NATO).delete()
    page = editor_client.get(reverse("admin:claims_claim_deleted")).content.decode()
    for name in names:
        assert f"<td>{escape(name)}</td>" in page


def test_a_letter_whose_address_name_was_taken_meanwhile_is_refused_and_nothing_half_restored(
    editor_client, shipped_letters
):
    letter = Letter.objects.get(slug=NATO)
    delete_in_admin(editor_client, letter)
    Letter.objects.create(
        title="A newer letter", slug=NATO, sender=Actor.objects.first(), date_edtf="2026-01-04"
    )
    record = Letter.history.filter(id=letter.pk, history_type="-").get()
    response = editor_client.post(restore_url(Letter, record), {"reason": "Restored"}, follow=True)
    assert "cannot come back" in response.content.decode()
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not Claim.objects.filter(letter_id=letter.pk).exists()


def test_restoring_needs_a_reason(editor_client, shipped_letters):
    letter = Letter.objects.get(slug=NATO)
    delete_in_admin(editor_client, letter)
    record = Letter.history.filter(id=letter.pk, history_type="-").get()
    response = editor_client.post(restore_url(Letter, record), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Letter.objects.filter(pk=letter.pk).exists()


def test_only_those_who_may_add_may_restore(client, shipped_letters):
    reviewer = User.objects.create_user("reviewer", password="a-long-passphrase", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    client.force_login(reviewer)
    letter = Letter.objects.get(slug=NATO)
    letter_id = letter.pk
    letter.delete()
    record = Letter.history.filter(id=letter_id, history_type="-").get()
    assert client.get(reverse("admin:archive_letter_deleted")).status_code == 403
    assert client.post(restore_url(Letter, record), {"reason": "Restored"}).status_code == 403


def test_an_actor_others_depend_on_cannot_be_deleted_and_the_admin_says_why(
    editor_client, shipped_letters
):
    sender = Letter.objects.get(slug=NATO).sender
    response = delete_in_admin(editor_client, sender)
    assert response.status_code == 200  # the confirmation page, refusing
    text = response.content.decode()
    assert "would require deleting the following protected related objects" in text
    assert Letter.objects.get(slug=NATO).title in text
    assert Actor.objects.filter(pk=sender.pk).exists()


def test_the_deleted_page_costs_the_same_for_one_deletion_or_twenty(
    editor_client, shipped_letters, django_assert_max_num_queries
):
    url = reverse("admin:claims_claim_deleted")
    Claim.objects.order_by("pk").first().delete()
    editor_client.get(url)  # the session and permissions, once
    with django_assert_max_num_queries(8) as one:
        editor_client.get(url)
    for claim in Claim.objects.order_by("pk")[:19]:
        claim.delete()
    with django_assert_max_num_queries(len(one)):
        page = editor_client.get(url)
    assert page.content.decode().count("Restore</button>") == 20


def test_a_claim_deleted_before_its_status_needed_a_basis_is_refused_with_the_reason(
    admin_client, make_claim
):
    """A version saved before statuses had a basis may lack it: the restore says so, and changes nothing."""
    from history.restore import CannotRestore, deleted, restore

    claim = make_claim()
    claim.delete()
    record = deleted(Claim)[0]
    unverified = VerificationStatus.objects.get(slug="unverified")
    type(record).objects.filter(history_id=record.history_id).update(status_id=unverified.pk)
    record.refresh_from_db()
    with pytest.raises(CannotRestore, match="refuses it"):
        restore(record, "Restored")
    assert not Claim.objects.filter(pk=claim.pk).exists()
