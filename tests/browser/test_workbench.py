"""The editors' workbench in a real browser, under the Content-Security-Policy."""

import pytest
from django.contrib.auth.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_date_preview_follows_the_editor_s_typing(page, live_server):
    User.objects.create_superuser("root", password="a-long-passphrase-for-tests")
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-passphrase-for-tests")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/archive/letter/add/")
    preview = page.locator("output.date-preview")

    page.fill("#id_date_edtf", "XXXX-02-11")
    preview.filter(has_text="year unknown").wait_for()
    assert preview.text_content() == (
        "Reads “11 February, year unknown”: day and month known, year unknown."
    )

    page.locator("#id_date_edtf").press_sequentially("/", delay=20)
    preview.filter(has_text="EDTF").wait_for()

    page.fill("#id_date_edtf", "2026?-02-11")
    page.check("#id_date_inferred")
    preview.filter(has_text="year inferred as 2026").wait_for()
    assert refused == []
