"""Two editors, one object: the second save is refused, says what the first changed, and loses nothing."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from archive.models import RequestedAction
from claims.models import Response
from tests.claims.test_admin import change_form_data
from tests.conftest import status

pytestmark = pytest.mark.django_db


def editor_session(name, full_name):
    user = User.objects.create_user(
        name, password="a-long-passphrase", is_staff=True, first_name=full_name
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ada():
    return editor_session("ada", "Ada")


@pytest.fixture
def ben():
    return editor_session("ben", "Ben")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return change_form_data(response)


def errors_of(response):
    return " ".join(str(error) for error in response.context["adminform"].form.non_field_errors())


def bens_status(form, source):
    """Ben's change: the report could not verify the claim, in its own words."""
    form.update(
        status=str(status("unverified").pk),
        status_source=str(source.pk),
        status_quote="Officials denied it.",
        change_reason="No second source",
    )


def test_the_second_of_two_saves_of_a_claim_is_refused_and_says_what_the_first_changed(
    ada, ben, make_claim, source
):
    claim = make_claim()
    original_statement = claim.statement
    adas_form, bens_form = open_form(ada, claim), open_form(ben, claim)

    adas_form.update(statement="Ada's wording.", change_reason="Tightened the wording")
    assert ada.post(change_url(claim), adas_form).status_code == 302

    bens_status(bens_form, source)
    refused = ben.post(change_url(claim), bens_form)
    assert refused.status_code == 200
    message = errors_of(refused)
    assert "Someone else saved this claim after you opened it: Ada" in message
    assert "“Tightened the wording”" in message
    assert f"They changed statement: “{original_statement}” → “Ada's wording.”" in message
    assert refused.context["adminform"].form["status"].value() == str(
        status("unverified").pk
    )  # Ben's input kept
    assert refused.context["adminform"].form["status_quote"].value() == "Officials denied it."

    claim.refresh_from_db()
    assert claim.statement == "Ada's wording."  # Ada's save stands
    assert claim.status.slug == "unassessed"  # Ben's was not half-applied

    # Ben reloads, sees Ada's wording, and makes his change again: it goes through.
    bens_form = open_form(ben, claim)
    bens_status(bens_form, source)
    assert ben.post(change_url(claim), bens_form).status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.status.slug, claim.status_quote) == (
        "Ada's wording.",
        "unverified",
        "Officials denied it.",
    )


def test_a_change_to_a_letters_requested_actions_counts_as_a_change_to_the_letter(
    ada, ben, make_claim
):
    claim = make_claim()
    letter = claim.letter
    action = RequestedAction.objects.create(
        letter=letter,
        position=1,
        summary="An inquiry",
        source=claim.source,
        quote_exact="asked for an inquiry",
    )
    adas_form, bens_form = open_form(ada, letter), open_form(ben, letter)
    action_field = next(key for key, value in adas_form.items() if value == "An inquiry")
    adas_form[action_field] = "An independent inquiry"
    assert ada.post(change_url(letter), adas_form).status_code == 302

    bens_form["title"] = "A retitled letter"
    refused = ben.post(change_url(letter), bens_form)
    assert refused.status_code == 200
    assert "They changed its requested actions." in errors_of(refused)
    letter.refresh_from_db()
    action.refresh_from_db()
    assert letter.title != "A retitled letter" and action.summary == "An independent inquiry"


def test_two_saves_of_a_response_and_of_a_requested_action(ada, ben, make_claim, actor, source):
    claim = make_claim()
    quote = {"source": source, "quote_exact": "asked for an inquiry"}
    response = Response.objects.create(claim=claim, actor=actor, stance="denies", **quote)
    action = RequestedAction.objects.create(
        letter=claim.letter, position=1, summary="An inquiry", **quote
    )
    for obj, field in [(response, "statement"), (action, "summary")]:
        adas_form, bens_form = open_form(ada, obj), open_form(ben, obj)
        adas_form[field] = "Ada's text"
        assert ada.post(change_url(obj), adas_form).status_code == 302
        bens_form[field] = "Ben's text"
        refused = ben.post(change_url(obj), bens_form)
        assert refused.status_code == 200, obj
        assert "Someone else saved this" in errors_of(refused)
        obj.refresh_from_db()
        assert getattr(obj, field) == "Ada's text"


def test_saving_twice_from_ones_own_fresh_forms_is_never_a_conflict(ada, make_claim):
    claim = make_claim()
    for wording in ("First wording.", "Second wording."):
        form = open_form(ada, claim)
        form.update(statement=wording)
        assert ada.post(change_url(claim), form).status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Second wording."


@pytest.mark.parametrize(
    "seen_version",
    [None, "", "abc", "1.2.x", "1e999", "1" * 40, "12.", ".12", "12.40.7.9.9"],
    ids=[
        "missing",
        "blank",
        "letters",
        "damaged",
        "exponent",
        "too-long",
        "trailing-dot",
        "leading-dot",
        "too-many-parts",
    ],
)
def test_a_change_form_without_a_valid_version_is_refused_and_saves_nothing(
    ada, make_claim, seen_version
):
    """Without the version it was opened at, a save could overwrite another editor's unseen change."""
    claim = make_claim()
    form = open_form(ada, claim)
    form.update(statement="Ada's wording.", change_reason="Tightened the wording")
    if seen_version is None:
        del form["seen_version"]
    else:
        form["seen_version"] = seen_version

    refused = ada.post(change_url(claim), form)

    assert refused.status_code == 200
    assert "does not say which version of the claim it was opened at" in errors_of(refused)
    claim.refresh_from_db()
    assert claim.statement != "Ada's wording."
    assert claim.history.count() == 1
