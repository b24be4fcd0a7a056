"""Every admin form refuses bad data with a message: never a 500, never a half-written row."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Letter
from claims.models import Claim

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 100_000,
    "\x00nul",
    "-1",
    "99999999999999999999999999",
    "2026-13-45",
    "not-a-date ../../etc/passwd",
]
MODELS = [model for model in admin.site._registry if model._meta.app_label in ("archive", "claims")]


@pytest.fixture
def superuser_client(client):
    client.force_login(
        User.objects.create_superuser("root", password="a-long-passphrase-for-tests")
    )
    return client


def row_counts():
    return {model: model._default_manager.count() for model in MODELS}


def form_fields(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["adminform"].form.fields)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_add_form_refuses_hostile_values_with_a_message(
    superuser_client, shipped_letters, model
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    fields = form_fields(superuser_client, url)
    before = row_counts()
    for value in HOSTILE:
        response = superuser_client.post(url, dict.fromkeys(fields, value))
        assert response.status_code == 200, f"{url} with {value[:30]!r}: {response.status_code}"
        assert response.context["adminform"].form.errors, (
            f"{url} accepted {value[:30]!r} in every field"
        )
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize("obj", ["letter", "claim"])
def test_change_forms_refuse_hostile_values_and_keep_the_row(
    superuser_client, shipped_letters, obj
):
    instance = (
        Letter.objects.order_by("pk").first()
        if obj == "letter"
        else Claim.objects.order_by("pk").first()
    )
    url = reverse(
        f"admin:{instance._meta.app_label}_{instance._meta.model_name}_change", args=[instance.pk]
    )
    fields = form_fields(superuser_client, url)
    before = type(instance).objects.filter(pk=instance.pk).values().get()
    for value in HOSTILE:
        response = superuser_client.post(
            url, {field: value for field in fields if field != "seen_version"}
        )
        assert response.status_code == 200, f"{url} with {value[:30]!r}: {response.status_code}"
        assert response.context["adminform"].form.errors
    assert type(instance).objects.filter(pk=instance.pk).values().get() == before
