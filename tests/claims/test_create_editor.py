"""Becoming an editor, as the README tells a newcomer to."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_create_editor_makes_a_staff_user_in_the_editors_group_who_can_log_in(client, monkeypatch):
    monkeypatch.setenv("MISSIVE_EDITOR_PASSWORD", "correct-horse-battery")
    call_command("create_editor", "ada")
    user = User.objects.get(username="ada")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    signed_in = client.post(
        "/admin/login/", {"username": "ada", "password": "correct-horse-battery", "next": "/admin/"}
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/claims/claim/").status_code == 200


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("MISSIVE_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "ada")
    assert not User.objects.filter(username="ada").exists()


def test_create_editor_refuses_an_existing_username(monkeypatch):
    monkeypatch.setenv("MISSIVE_EDITOR_PASSWORD", "correct-horse-battery")
    User.objects.create_user("ada")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "ada")
