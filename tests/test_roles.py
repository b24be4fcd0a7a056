"""Who may do what: the public reads, Reviewers assess, Editors change content, superusers run the place."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from archive.models import Letter
from tests.claims.test_admin import change_form_data
from tests.conftest import status

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-for-tests"


def member(name, group):
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer_client(client):
    client.force_login(member("reviewer", "Reviewers"))
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(member("editor", "Editors"))
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# --- Public or private -------------------------------------------------------------------


def test_the_archive_is_public_by_default(client, shipped_letters):
    for path in ["/", "/claims/", "/letters/", Letter.objects.first().get_absolute_url()]:
        assert client.get(path).status_code == 200, path


@pytest.fixture
def private(settings):
    settings.MISSIVE_PUBLIC = (
        False  # read when the test client builds its middleware, on its first request
    )


def test_a_private_archive_sends_visitors_to_sign_in_and_back(client, private, shipped_letters):
    for path in [
        "/",
        "/claims/?status=disputed",
        "/claims/export.csv",
        Letter.objects.first().get_absolute_url(),
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("login") + "?next=/"), path


def test_a_private_archive_still_answers_health_checks_and_shows_its_sign_in_pages(client, private):
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200


def test_a_reader_signs_in_and_comes_back_to_the_page_asked_for(client, private, shipped_letters):
    User.objects.create_user("reader", password=PASSWORD)  # not staff: the admin would refuse them
    asked_for = client.get("/claims/?status=disputed")["Location"]
    signed_in = client.post(
        asked_for, {"username": "reader", "password": PASSWORD, "next": "/claims/?status=disputed"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/claims/?status=disputed"
    page = client.get("/claims/?status=disputed")
    assert page.status_code == 200 and "Signed in as reader" in page.content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/claims/").status_code == 302


def test_a_private_archive_opens_to_any_signed_in_user(client, private, shipped_letters):
    client.force_login(User.objects.create_user("reader", password=PASSWORD))  # not even staff
    assert client.get("/claims/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/healthz-and-more", "/healthzz", "/login/anything", "/admin/logout/extra"]
)
def test_a_private_archive_opens_only_the_whole_paths_it_names(client, private, path):
    response = client.get(path)
    assert response.status_code == 302, path
    assert response["Location"].startswith(reverse("login") + "?next="), path


@pytest.mark.parametrize("public", [True, False], ids=["public", "private"])
def test_a_signed_in_readers_pages_are_marked_private_for_shared_caches(
    client, settings, shipped_letters, public
):
    settings.MISSIVE_PUBLIC = public
    client.force_login(User.objects.create_user("reader", password=PASSWORD))
    for path in ["/", "/claims/?status=disputed", Letter.objects.first().get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "private" in response["Cache-Control"], path


# --- Reviewers -----------------------------------------------------------------------------


def test_a_reviewer_sets_a_status_with_a_reason_but_cannot_rewrite_the_claim(
    reviewer_client, make_claim, source
):
    claim = make_claim()
    response = reviewer_client.get(change_url(claim))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"status", "status_source", "status_quote", "status_note"} <= set(form.fields)
    assert not {"statement", "kind", "quote_exact", "reviewed_by"} & set(
        form.fields
    )  # shown, not editable
    data = change_form_data(response)
    data.update(
        status=str(status("unverified").pk),
        status_source=str(source.pk),
        status_quote="Officials denied it.",
        status_note="The report says so.",
        change_reason="No second source",
        statement="Rewritten.",
    )
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.status.slug, claim.status_source, claim.status_quote, claim.status_note) == (
        "unverified",
        source,
        "Officials denied it.",
        "The report says so.",
    )
    assert claim.statement != "Rewritten."


def test_a_reviewer_who_assesses_a_claim_is_named_as_its_reviewer(client, make_claim, source):
    from claims.models import Evidence

    reviewer = member("reviewer", "Reviewers")
    client.force_login(reviewer)
    claim = make_claim()
    Evidence.objects.create(
        claim=claim, relation="supports", source=source, quote_exact="Officials denied it."
    )
    data = change_form_data(client.get(change_url(claim)))
    data.update(status=str(status("corroborated").pk), change_reason="The record supports it")
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.status.slug, claim.reviewed_by) == ("corroborated", reviewer)


def test_a_reviewer_may_record_a_response(reviewer_client):
    assert reviewer_client.get(reverse("admin:claims_response_add")).status_code == 200


def test_a_reviewer_cannot_change_letters_or_sources(reviewer_client, make_claim):
    claim = make_claim()
    letter, source = claim.letter, claim.source
    assert reviewer_client.get(change_url(letter)).context["has_change_permission"] is False
    reviewer_client.post(change_url(letter), {"title": "Retitled"})
    reviewer_client.post(change_url(source), {"title": "Retitled", "text": "Replaced."})
    letter.refresh_from_db()
    source.refresh_from_db()
    assert letter.title != "Retitled" and source.title != "Retitled"
    assert reviewer_client.get(reverse("admin:archive_source_add")).status_code == 403


def test_a_reviewer_cannot_revert_a_claims_text_through_its_history(reviewer_client, make_claim):
    claim = make_claim()
    claim.statement = "A later wording."
    claim.save()
    first = claim.history.order_by("history_id").first()
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
    assert reviewer_client.post(url, {"status": str(claim.status_id)}).status_code == 403
    claim.refresh_from_db()
    assert claim.statement == "A later wording."


def test_a_view_only_user_cannot_revert_a_letter_through_its_history(reviewer_client, make_claim):
    letter = make_claim().letter
    letter.title = "A later title"
    letter.save()
    first = letter.history.order_by("history_id").first()
    url = reverse("admin:archive_letter_simple_history", args=[letter.pk, first.history_id])
    assert reviewer_client.post(url, {"title": first.title}).status_code == 403
    letter.refresh_from_db()
    assert letter.title == "A later title"


# --- Editors and superusers ----------------------------------------------------------------


def test_editors_may_set_statuses_too():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"set_claim_status", "change_claim", "change_letter"} <= codenames


@pytest.mark.parametrize(
    "url",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:claims_verificationstatus_add",
    ],
)
def test_only_superusers_manage_users_and_the_vocabulary(editor_client, client, url):
    assert editor_client.get(reverse(url)).status_code == 403
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    assert client.get(reverse(url)).status_code == 200


def test_reviewers_cannot_change_the_vocabulary(reviewer_client):
    disputed = status("disputed")
    reviewer_client.post(change_url(disputed), {"label": "Renamed"})
    disputed.refresh_from_db()
    assert disputed.label != "Renamed"


# --- Sign-in guessing ------------------------------------------------------------------------


def sign_in(client, password):
    return client.post(
        reverse("admin:login"), {"username": "editor", "password": password, "next": "/admin/"}
    )


def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_one(client):
    member("editor", "Editors")
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200  # the form again, with its error
    locked = sign_in(client, "guess")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_clears_earlier_failures(client):
    member("editor", "Editors")
    for _ in range(4):
        sign_in(client, "guess")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200


def test_another_address_is_not_locked_out_with_the_guesser(client):
    member("editor", "Editors")
    for _ in range(5):
        sign_in(client, "guess")
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302


PROXY = "10.0.0.2"  # the documented reverse proxy: every request reaches Missive from it


def via_proxy(client, password, client_address, forwarded_by_client=""):
    """A sign-in through the proxy, which appends the address it saw to X-Forwarded-For."""
    forwarded = ", ".join(filter(None, [forwarded_by_client, client_address]))
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def behind_the_proxy(settings):
    """What DJANGO_BEHIND_TLS_PROXY=true (one proxy) sets, as config/settings.py does."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0


def test_behind_the_proxy_five_wrong_guesses_lock_out_only_the_guessers_address(
    client, behind_the_proxy
):
    member("editor", "Editors")
    for _ in range(5):
        via_proxy(client, "guess", "81.2.69.160")
    assert via_proxy(client, PASSWORD, "81.2.69.160").status_code == 429
    # The editor, elsewhere, through the same proxy:
    assert via_proxy(Client(), PASSWORD, "89.160.20.112").status_code == 302


def test_behind_the_proxy_an_address_a_guesser_writes_in_the_header_is_not_believed(
    client, behind_the_proxy
):
    member("editor", "Editors")
    for number in range(5):  # a new made-up address each time, the real one appended by the proxy
        via_proxy(client, "guess", "81.2.69.160", forwarded_by_client=f"89.160.20.{number}")
    assert via_proxy(client, PASSWORD, "81.2.69.160", "89.160.20.99").status_code == 429


def test_the_proxy_setting_makes_the_lockout_read_the_forwarded_address():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER[0], s.AXES_IPWARE_PROXY_COUNT)"
    )
    environment = {**os.environ, "DJANGO_BEHIND_TLS_PROXY": "true", "DJANGO_TRUSTED_PROXIES": "2"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["HTTP_X_FORWARDED_FOR", "1"]


def test_signing_in_never_sends_a_reader_to_another_site(client):
    User.objects.create_user("reader", password=PASSWORD)
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        client.logout()
        response = client.post(
            reverse("login"), {"username": "reader", "password": PASSWORD, "next": target}
        )
        assert response.status_code == 302 and response["Location"] == "/", target
