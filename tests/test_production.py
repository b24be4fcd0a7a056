"""Production runs safely: security headers on every response, static files hashed and served by
WhiteNoise, error pages that give nothing away."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from archive.models import Letter
from claims.models import Claim

from .production_env import production_environment

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PAGES = ["/", "/claims/", "/letters/", "/actors/", "/no-such-page/", "/admin/login/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_carry_no_inline_script_the_policy_would_block(client, shipped_letters):
    letter, claim = Letter.objects.first(), Claim.objects.first()
    for path in ["/", "/claims/", "/letters/", letter.get_absolute_url(), claim.get_absolute_url()]:
        html = client.get(path).content.decode()
        for opening in html.split("<script")[1:]:
            assert opening.lstrip().startswith('type="application/ld+json"'), path  # data, not code
        assert " style=" not in html and " onclick=" not in html, path


def server_error_page(view, *args):
    request = RequestFactory().get("/claims/")
    return view(request, *args)


def test_the_500_page_is_ours_and_says_nothing_of_the_internals():
    response = server_error_page(defaults.server_error)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "settings" not in html.lower() and "/work/" not in html


@pytest.mark.django_db
def test_the_403_page_is_ours(rf):
    response = defaults.permission_denied(
        rf.get("/admin/"), PermissionDenied("internal reason: group 7")
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "You may not open this page" in html
    assert "group 7" not in html


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_our_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "x"})
    assert response.status_code == 403
    assert "That form could not be accepted" in response.content.decode()
    assert (
        "CSRF verification failed" not in response.content.decode()
    )  # Django's own page, with its debugging help


PROBE = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
page = client.get("/", secure=True, HTTP_HOST="missive.example")
login = client.get("/admin/login/", secure=True, HTTP_HOST="missive.example")
html = page.content.decode()
start = html.index("/static/css/missive.")
stylesheet = html[start:html.index('"', start)]
static = client.get(stylesheet, secure=True, HTTP_HOST="missive.example")
plain = client.get("/", HTTP_HOST="missive.example")
print(json.dumps({
    "status": page.status_code,
    "hsts": page.get("Strict-Transport-Security", ""),
    "stylesheet": stylesheet,
    "static_status": static.status_code,
    "static_cache": static.get("Cache-Control", ""),
    "csrf_cookie": {key: login.cookies["csrftoken"][key] for key in ("secure", "httponly")},
    "plain_http": [plain.status_code, plain.get("Location", "")],
}))
"""


def test_production_serves_hashed_static_files_over_https_only_with_hsts(tmp_path):
    env = production_environment(tmp_path, DJANGO_ALLOWED_HOSTS="missive.example")
    code = "import django; django.setup()\n" + PROBE
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200
    assert probe["hsts"].startswith("max-age=31536000")
    assert probe["stylesheet"] != "/static/css/missive.css"  # a content hash in the name
    assert probe["static_status"] == 200
    assert "max-age=315360000" in probe["static_cache"] and "immutable" in probe["static_cache"]
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True}
    assert probe["plain_http"] == [301, "https://missive.example/"]


@pytest.mark.django_db
def test_a_database_outage_is_a_503_page_asking_to_come_back_not_a_500(monkeypatch):
    from django.db import OperationalError

    from claims.views import HomeView

    def unreachable(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    monkeypatch.setattr(HomeView, "get_context_data", unreachable)
    response = Client(raise_request_exception=False).get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The archive is temporarily unavailable" in html
    assert "5432" not in html and "Connection refused" not in html


@pytest.mark.django_db
def test_any_other_error_is_the_500_page(monkeypatch):
    from claims.views import HomeView

    monkeypatch.setattr(HomeView, "get_context_data", lambda *args, **kwargs: 1 / 0)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
