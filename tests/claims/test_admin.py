"""The editors' workspace: who may change what, and the history it leaves."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.urls import reverse

from archive.models import Actor, RequestedAction
from claims.models import Claim, Evidence, Response
from tests.conftest import status

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def change_form_data(response):
    """The POST data a browser would send back for an unchanged admin change form."""
    data = {}

    def add(bound_field):
        value = bound_field.value()
        if value is None or value is False:
            return
        if isinstance(value, (list, tuple)):
            data[bound_field.html_name] = [str(item) for item in value]
        elif value is True:
            data[bound_field.html_name] = "on"
        else:
            data[bound_field.html_name] = str(value)

    for bound_field in response.context["adminform"].form:
        add(bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            add(bound_field)
        for form in formset.forms:
            for bound_field in form:
                add(bound_field)
    return data


def claim_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def test_the_editors_group_may_change_content_but_only_view_the_vocabulary():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {
        "change_claim",
        "add_response",
        "delete_evidence",
        "change_letter",
        "add_source",
    } <= codenames
    assert "view_verificationstatus" in codenames
    assert not codenames & {
        "change_verificationstatus",
        "add_verificationstatus",
        "delete_verificationstatus",
    }
    assert not any(code.endswith(("_user", "_group")) for code in codenames)


def test_an_editor_changes_a_status_and_history_records_who_and_why(
    editor_client, editor, make_claim, source
):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data["status"] = str(status("unverified").pk)
    data["status_source"] = str(source.pk)
    data["status_quote"] = "Officials denied it."
    data["change_reason"] = "The report could not verify it"
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.status.slug == "unverified"
    assert (claim.status_source, claim.status_quote) == (source, "Officials denied it.")
    record = claim.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "The report could not verify it"
    assert record.status_id == status("unverified").pk
    assert (record.status_source_id, record.status_quote) == (source.pk, "Officials denied it.")


@pytest.mark.parametrize("words", ["", "Nobody could verify it."])
def test_a_status_a_source_reports_is_refused_without_that_sources_own_words(
    editor_client, make_claim, source, words
):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data.update(
        status=str(status("unverified").pk),
        status_source=str(source.pk),
        status_quote=words,
        change_reason="The report could not verify it",
    )
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "status_quote" in response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.status.slug == "unassessed"


def test_not_checkable_is_refused_for_a_factual_claim(editor_client, make_claim):
    claim = make_claim(kind=Claim.Kind.FACTUAL)
    data = change_form_data(editor_client.get(claim_url(claim)))
    data.update(status=str(status("not-checkable").pk), change_reason="An appeal")
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "kinds no record could settle" in str(
        response.context["adminform"].form.errors["status"]
    )
    data["kind"] = Claim.Kind.PREDICTION
    assert editor_client.post(claim_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status.slug, claim.kind) == ("not-checkable", Claim.Kind.PREDICTION)


def test_the_editor_who_sets_an_assessment_is_recorded_as_its_reviewer(
    editor_client, editor, make_claim, source
):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data.update(status=str(status("corroborated").pk), change_reason="The record supports it")
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200  # no evidence yet: the assessment has nothing to rest on
    assert "supports or contradicts" in str(
        response.context["inline_admin_formsets"][1].formset.non_form_errors()
    )
    claim.refresh_from_db()
    assert (claim.status.slug, claim.reviewed_by) == ("unassessed", None)

    # With a supporting passage added in the inline, in the same save, it goes through.
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-relation": "supports",
            "evidence-0-source": str(source.pk),
            "evidence-0-quote_exact": "Officials denied it.",
        }
    )
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.status.slug, claim.reviewed_by) == ("corroborated", editor)
    assert claim.history.first().reviewed_by_id == editor.pk


def test_another_editor_saving_an_unchanged_assessment_leaves_its_reviewer(
    client, editor, make_claim, source
):
    claim = make_claim(status_slug="corroborated", reviewed_by=editor)
    Evidence.objects.create(
        claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
    )
    other = User.objects.create_user("other", password="a-long-passphrase", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    data = change_form_data(client.get(claim_url(claim)))
    data["statement"] = "there was a great flood."
    assert client.post(claim_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.reviewed_by) == ("there was a great flood.", editor)
    # Changing to the other assessment makes the editor who changed it the reviewer.
    data = change_form_data(client.get(claim_url(claim)))
    data.update(status=str(status("contradicted").pk), change_reason="Read again")
    data["evidence-0-relation"] = "contradicts"
    assert client.post(claim_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status.slug, claim.reviewed_by) == ("contradicted", other)


def test_an_assessment_set_on_the_letter_page_records_the_editor_as_reviewer(
    editor_client, editor, make_claim, source
):
    claim = make_claim()
    url = reverse("admin:archive_letter_change", args=[claim.letter.pk])
    data = change_form_data(editor_client.get(url))
    data.update({"claims-0-status": str(status("corroborated").pk), "change_reason": "Checked"})
    response = editor_client.post(url, data)
    assert response.status_code == 200  # no evidence: refused, with what it lacks
    claims_formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "claims"
    )
    assert "supports or contradicts" in str(claims_formset.errors)
    Evidence.objects.create(
        claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status.slug, claim.reviewed_by) == ("corroborated", editor)


def test_a_status_a_source_reports_is_set_on_the_letter_page_with_its_words(
    editor_client, make_claim, source
):
    claim = make_claim()
    url = reverse("admin:archive_letter_change", args=[claim.letter.pk])
    data = change_form_data(editor_client.get(url))
    data.update({"claims-0-status": str(status("unverified").pk), "change_reason": "Reported"})
    assert editor_client.post(url, data).status_code == 200
    data.update(
        {"claims-0-status_source": str(source.pk), "claims-0-status_quote": "Officials denied it."}
    )
    assert editor_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status.slug, claim.status_source, claim.status_quote) == (
        "unverified",
        source,
        "Officials denied it.",
    )


def test_the_reviewing_editor_cannot_be_chosen_in_the_form(editor_client, make_claim, editor):
    claim = make_claim()
    form = editor_client.get(claim_url(claim)).context["adminform"].form
    assert "reviewed_by" not in form.fields


def test_a_status_change_without_a_reason_is_refused(editor_client, make_claim):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data["status"] = str(status("unverified").pk)
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.status.slug == "unassessed"


def test_reverting_a_claim_to_an_earlier_status_dates_the_change_now_without_the_later_basis(
    editor_client, editor, make_claim, source
):
    claim = make_claim()
    unassessed = claim.history.earliest("history_date")
    data = change_form_data(editor_client.get(claim_url(claim)))
    data.update(
        status=str(status("unverified").pk),
        status_source=str(source.pk),
        status_quote="Officials denied it.",
        change_reason="The report could not verify it",
    )
    assert editor_client.post(claim_url(claim), data).status_code == 302
    reported_at = Claim.objects.get(pk=claim.pk).status_changed_at

    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, unassessed.history_id])
    form = editor_client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    data["change_reason"] = "Reported in error"
    assert editor_client.post(url, data).status_code == 302

    claim.refresh_from_db()
    assert claim.status.slug == "unassessed"
    assert claim.status_changed_at > reported_at
    assert (claim.status_source, claim.status_quote) == (None, "")


def test_disputed_is_refused_until_a_party_opposes_the_claim(
    editor_client, make_claim, actor, source
):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data["status"] = str(status("disputed").pk)
    data["change_reason"] = "Officials deny it"
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "rejects, denies or disputes" in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )

    # The same save with the denial added in the inline goes through, in one step.
    data.update(
        {
            "responses-TOTAL_FORMS": "1",
            "responses-0-actor": str(actor.pk),
            "responses-0-stance": "denies",
            "responses-0-source": str(source.pk),
            "responses-0-quote_exact": "Officials denied it.",
        }
    )
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status.slug == "disputed"
    denial = Response.objects.get(claim=claim)
    assert denial.history.first().history_change_reason == "Officials deny it"


def test_a_quote_not_in_the_source_is_refused_with_a_message(editor_client, make_claim):
    claim = make_claim()
    data = change_form_data(editor_client.get(claim_url(claim)))
    data["quote_exact"] = "words the report never used"
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "not in the text" in str(response.context["adminform"].form.errors["quote_exact"])


def test_a_staff_user_outside_editors_cannot_change_claims(client, make_claim):
    outsider = User.objects.create_user("visitor", password="a-long-passphrase", is_staff=True)
    client.force_login(outsider)
    claim = make_claim()
    assert client.get(claim_url(claim)).status_code == 403
    data = {"statement": "rewritten.", "status": str(status("corroborated").pk)}
    assert client.post(claim_url(claim), data).status_code == 403
    claim.refresh_from_db()
    assert claim.status.slug == "unassessed"


def test_anonymous_visitors_are_sent_to_the_login_page(client, make_claim):
    response = client.get(claim_url(make_claim()))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_bulk_action_sets_a_status_with_a_reason_and_history(editor_client, editor, make_claim):
    first = make_claim(key="a", kind=Claim.Kind.CHARACTERISATION)
    second = make_claim(key="b", kind=Claim.Kind.PREDICTION)
    changelist = reverse("admin:claims_claim_changelist")
    confirm = editor_client.post(
        changelist, {"action": "set_status_action", "_selected_action": [first.pk, second.pk]}
    )
    assert confirm.status_code == 200
    assert "Set status" in confirm.content.decode()
    response = editor_client.post(
        changelist,
        {
            "action": "set_status_action",
            "_selected_action": [first.pk, second.pk],
            "apply": "1",
            "status": status("not-checkable").pk,
            "reason": "Both are appeals",
        },
    )
    assert response.status_code == 302
    for claim in (first, second):
        claim.refresh_from_db()
        assert claim.status.slug == "not-checkable"
        record = claim.history.first()
        assert (record.history_user, record.history_change_reason) == (editor, "Both are appeals")


def bulk_set(client, claims, slug, reason, **extra):
    return client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "set_status_action",
            "_selected_action": [claim.pk for claim in claims],
            "apply": "1",
            "status": status(slug).pk,
            "reason": reason,
            **extra,
        },
    )


def test_the_bulk_action_gives_every_claim_the_sources_words(
    editor_client, editor, make_claim, source
):
    first, second = make_claim(key="a"), make_claim(key="b")
    response = bulk_set(
        editor_client,
        [first, second],
        "unverified",
        "The report could not verify them",
        status_source=source.pk,
        status_quote="Officials denied it.",
    )
    assert response.status_code == 302
    for claim in (first, second):
        claim.refresh_from_db()
        assert (claim.status.slug, claim.status_source, claim.status_quote) == (
            "unverified",
            source,
            "Officials denied it.",
        )
        record = claim.history.first()
        assert (record.history_user, record.status_source_id, record.status_quote) == (
            editor,
            source.pk,
            "Officials denied it.",
        )


@pytest.mark.parametrize("extra", [{}, {"status_quote": "Nobody could verify them."}])
def test_the_bulk_action_refuses_a_reported_status_without_the_sources_words(
    editor_client, make_claim, source, extra
):
    first, second = make_claim(key="a"), make_claim(key="b")
    response = bulk_set(
        editor_client,
        [first, second],
        "unverified",
        "Unverified",
        **({"status_source": source.pk, **extra} if extra else {}),
    )
    assert response.status_code == 302
    assert set(Claim.objects.values_list("status__slug", flat=True)) == {"unassessed"}
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "Nothing was changed" in shown


def test_the_bulk_action_records_the_editor_as_reviewer_of_an_assessment(
    editor_client, editor, make_claim, source
):
    with_evidence, without = make_claim(key="a"), make_claim(key="b")
    Evidence.objects.create(
        claim=with_evidence,
        relation="contradicts",
        source=source,
        quote_exact="Officials denied it.",
    )
    bulk_set(editor_client, [with_evidence, without], "contradicted", "The record contradicts it")
    assert set(Claim.objects.values_list("status__slug", flat=True)) == {
        "unassessed"
    }  # one lacks evidence: neither
    response = bulk_set(editor_client, [with_evidence], "contradicted", "The record contradicts it")
    assert response.status_code == 302
    with_evidence.refresh_from_db()
    assert (with_evidence.status.slug, with_evidence.reviewed_by) == ("contradicted", editor)
    assert with_evidence.history.first().reviewed_by_id == editor.pk


def test_the_bulk_action_changes_nothing_if_one_claim_cannot_be_disputed(
    editor_client, make_claim, actor, source
):
    backed, unbacked = make_claim(key="a"), make_claim(key="b")
    Response.objects.create(
        claim=backed,
        actor=actor,
        stance="denies",
        source=source,
        quote_exact="Officials denied it.",
    )
    editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "set_status_action",
            "_selected_action": [backed.pk, unbacked.pk],
            "apply": "1",
            "status": status("disputed").pk,
            "reason": "Denied",
        },
    )
    assert set(Claim.objects.values_list("status__slug", flat=True)) == {"unassessed"}


def test_orphaned_quotes_are_listed_for_editors(editor_client, letter, source):
    action = RequestedAction.objects.create(
        letter=letter,
        position=1,
        summary="an inquiry",
        source=source,
        quote_exact="asked for an inquiry",
    )
    source.text = "The text was rewritten entirely."
    source.save()
    response = editor_client.get(reverse("admin:claims_claim_orphans"))
    assert response.status_code == 200
    assert str(action) in response.content.decode()


def test_history_pages_open_for_every_model(editor_client, shipped_letters):
    from archive.models import Letter, Source
    from claims.models import Evidence

    claim = Claim.objects.first()
    Evidence.objects.create(
        claim=claim, relation="context", source=claim.source, quote_exact=claim.quote_exact
    )
    for model in (Actor, Source, Letter, RequestedAction, Claim, Response, Evidence):
        obj = model.objects.first()
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[obj.pk]
        )
        assert editor_client.get(url).status_code == 200, model


def test_every_admin_list_and_form_opens_for_an_editor(editor_client, shipped_letters):
    from archive.models import Letter

    letter = Letter.objects.get(slug="balochistan-to-nato-2026-01-04")
    for url in (
        reverse("admin:index"),
        reverse("admin:claims_claim_changelist") + "?status__id__exact=1&q=Iran",
        reverse("admin:archive_letter_change", args=[letter.pk]),
        reverse("admin:claims_claim_add"),
        reverse("admin:archive_actor_changelist"),
        reverse("admin:claims_verificationstatus_changelist"),
    ):
        assert editor_client.get(url).status_code == 200, url


def test_the_claim_list_query_count_does_not_grow_with_claims(
    editor_client, shipped_letters, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = editor_client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200


def letter_form(actor, source, **overrides):
    data = {
        "title": "A new letter",
        "slug": "a-new-letter",
        "sender": str(actor.pk),
        "summary": "According to the report, …",
        "sources": [str(source.pk)],
        "date_edtf": "2026-03-01",
        "change_reason": "Added from a report",
    }
    for prefix in ("recipients", "requested_actions", "claims", "responses"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_an_editor_adds_a_letter_and_its_dates_are_computed(editor_client, actor, source):
    response = editor_client.post(
        reverse("admin:archive_letter_add"), letter_form(actor, source, date_edtf="2026-03")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from archive.models import Letter

    letter = Letter.objects.get(slug="a-new-letter")
    assert (str(letter.date_earliest), str(letter.date_latest)) == ("2026-03-01", "2026-03-31")
    assert letter.history.first().history_change_reason == "Added from a report"


@pytest.mark.parametrize("date", ["2026-13-45", "next spring", ""])
def test_a_letter_with_a_date_that_is_not_edtf_is_refused_with_a_message(
    editor_client, actor, source, date
):
    response = editor_client.post(
        reverse("admin:archive_letter_add"), letter_form(actor, source, date_edtf=date)
    )
    assert response.status_code == 200
    assert "date_edtf" in response.context["adminform"].form.errors


def test_a_response_to_both_a_claim_and_a_letter_is_refused_with_a_message(
    editor_client, make_claim, letter, actor, source
):
    claim = make_claim()
    data = {
        "claim": str(claim.pk),
        "letter": str(letter.pk),
        "actor": str(actor.pk),
        "stance": "denies",
        "source": str(source.pk),
        "quote_exact": "Officials denied it.",
    }
    response = editor_client.post(reverse("admin:claims_response_add"), data)
    assert response.status_code == 200
    assert "not both" in str(response.context["adminform"].form.errors)
    assert not Response.objects.exists()


def test_deleting_a_status_in_use_is_refused_by_the_admin(client, make_claim):
    admin_user = User.objects.create_superuser("root", password="a-long-passphrase")
    client.force_login(admin_user)
    make_claim()
    url = reverse("admin:claims_verificationstatus_delete", args=[status("unassessed").pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert status("unassessed")


def test_the_only_response_behind_a_disputed_claim_cannot_be_removed_or_softened(
    editor_client, make_claim, actor, source
):
    from django.db import transaction

    with transaction.atomic():
        claim = make_claim()
        denial = Response.objects.create(
            claim=claim,
            actor=actor,
            stance="denies",
            source=source,
            quote_exact="Officials denied it.",
        )
        claim.status = status("disputed")
        claim.save()
    url = reverse("admin:claims_response_change", args=[denial.pk])
    data = change_form_data(editor_client.get(url))
    data["stance"] = "acknowledges"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Change the claim's status first" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    assert (
        editor_client.post(
            reverse("admin:claims_response_delete", args=[denial.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    denial.refresh_from_db()
    assert denial.stance == "denies"


def test_the_only_evidence_behind_an_assessment_cannot_be_removed_moved_or_softened(
    editor_client, editor, make_claim, source
):
    from django.db import transaction

    with transaction.atomic():
        claim = make_claim(status_slug="corroborated", reviewed_by=editor)
        other = make_claim(key="other")
        support = Evidence.objects.create(
            claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
        )
    url = reverse("admin:claims_evidence_change", args=[support.pk])
    for change in ({"relation": "context"}, {"claim": str(other.pk)}):
        data = change_form_data(editor_client.get(url))
        data.update(change)
        response = editor_client.post(url, data)
        assert response.status_code == 200, change
        assert "Change the claim's status first" in " ".join(
            response.context["adminform"].form.non_field_errors()
        )
    assert (
        editor_client.post(
            reverse("admin:claims_evidence_delete", args=[support.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    support.refresh_from_db()
    assert (support.claim, support.relation) == (claim, "supports")

    # A second supporting passage frees the first.
    Evidence.objects.create(
        claim=claim, relation="contradicts", source=source, quote_exact="asked for an inquiry"
    )
    data = change_form_data(editor_client.get(url))
    data["relation"] = "context"
    assert editor_client.post(url, data).status_code == 302


def test_removing_the_only_evidence_in_the_claim_form_is_refused(
    editor_client, editor, make_claim, source
):
    from django.db import transaction

    with transaction.atomic():
        claim = make_claim(status_slug="corroborated", reviewed_by=editor)
        Evidence.objects.create(
            claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
        )
    data = change_form_data(editor_client.get(claim_url(claim)))
    data["evidence-0-DELETE"] = "on"
    response = editor_client.post(claim_url(claim), data)
    assert response.status_code == 200
    assert "supports or contradicts" in str(
        response.context["inline_admin_formsets"][1].formset.non_form_errors()
    )
    assert claim.evidence.count() == 1


def test_the_basis_of_a_status_in_use_cannot_change_in_the_admin(client, make_claim):
    client.force_login(User.objects.create_superuser("root", password="a-long-passphrase"))
    make_claim()
    unassessed = status("unassessed")
    url = reverse("admin:claims_verificationstatus_change", args=[unassessed.pk])
    data = change_form_data(client.get(url))
    data.update(basis="editors", change_reason="Trying")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "basis cannot change" in str(response.context["adminform"].form.errors["basis"])
    assert status("unassessed").basis == "none"
    # A status no claim has may change its basis.
    url = reverse("admin:claims_verificationstatus_change", args=[status("contradicted").pk])
    data = change_form_data(client.get(url))
    data.update(basis="none", change_reason="Not used yet")
    assert client.post(url, data).status_code == 302
    assert status("contradicted").basis == "none"


def test_a_rating_for_a_status_that_is_not_the_editors_is_refused_in_the_admin(client):
    client.force_login(User.objects.create_superuser("root", password="a-long-passphrase"))
    url = reverse("admin:claims_verificationstatus_change", args=[status("unverified").pk])
    data = change_form_data(client.get(url))
    data.update(rating_value="3", change_reason="Trying")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "only for the editors' own assessments" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    assert status("unverified").rating_value is None


def test_recipients_and_identifiers_have_history_views(editor_client, shipped_letters):
    from archive.models import ActorIdentifier, Recipient

    for model in (Recipient, ActorIdentifier):
        url = reverse(
            f"admin:archive_{model._meta.model_name}_history", args=[model.objects.first().pk]
        )
        assert editor_client.get(url).status_code == 200


def test_the_bulk_action_says_which_claims_already_had_the_status_and_kept_their_basis(
    editor_client, make_claim
):
    already = make_claim(key="a", kind=Claim.Kind.PREDICTION)
    fresh = make_claim(key="b", kind=Claim.Kind.PREDICTION)
    bulk_set(editor_client, [already], "not-checkable", "A prediction")
    response = bulk_set(editor_client, [already, fresh], "not-checkable", "Both predictions")
    notices = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Status set on 1 claim(s)." in notices
    assert any(
        notice.startswith("1 claim(s) already had this status and were left as they are")
        for notice in notices
    )


def test_claim_autocomplete_names_each_claim_by_its_sender_without_a_query_each(
    editor_client, make_claim, django_assert_max_num_queries
):
    for index in range(12):
        make_claim(key=f"claim-{index}")
    url = (
        reverse("admin:autocomplete")
        + "?app_label=claims&model_name=response&field_name=claim&term=flood"
    )
    with django_assert_max_num_queries(12):
        response = editor_client.get(url)
    results = response.json()["results"]
    assert len(results) == 12 and all(
        r["text"].startswith("The letter from Sender claims that") for r in results
    )
