"""From a source to its letter: the source's page leads to a letter form with the source chosen,
and the date field says, as it is typed, how the date will read and what it says is known."""

import pytest
from django.urls import reverse

from archive.models import Source

pytestmark = pytest.mark.django_db
ADD_LETTER = reverse("admin:archive_letter_add")
PREVIEW = reverse("admin:archive_letter_date_preview")


@pytest.fixture
def editor(editor_in_admin):
    return editor_in_admin


def preview(client, edtf, inferred=False):
    response = client.get(PREVIEW, {"date_edtf": edtf, "date_inferred": "on" if inferred else ""})
    assert response.status_code == 200
    return response.json()["preview"]


@pytest.mark.parametrize(
    "edtf, inferred, words",
    [
        ("2026-01-04", False, "Reads “4 January 2026”: day, month and year known."),
        (
            "XXXX-02-11",
            False,
            "Reads “11 February, year unknown”: day and month known, year unknown.",
        ),
        (
            "2026?-02-11",
            True,
            "Reads “11 February, year inferred as 2026”: uncertain: any day from",
        ),
        ("", False, ""),
    ],
)
def test_the_date_preview_reads_the_date_as_the_pages_will(editor, edtf, inferred, words):
    assert preview(editor, edtf, inferred).startswith(words)


@pytest.mark.parametrize(
    "edtf, says",
    [
        ("4 January 2026", "EDTF"),
        ("2026-02-30", "EDTF"),
        ("2026-01-10/2026-01-04", "ends before it begins"),
        ("2" * 500, "Too long for a date."),
        ("<script>alert(1)</script>", "EDTF"),
    ],
)
def test_a_date_that_will_not_do_says_why_instead(editor, edtf, says):
    words = preview(editor, edtf)

    assert says in words and not words.startswith("Reads")


def test_the_date_preview_is_for_signed_in_staff_only(client):
    assert client.get(PREVIEW, {"date_edtf": "2026"}).status_code == 302


def test_the_letter_form_shows_the_preview_without_javascript_and_loads_the_script(editor):
    page = editor.get(ADD_LETTER, {"date_edtf": "XXXX-02-11"}).content.decode()

    assert (
        '<output class="date-preview" for="id_date_edtf id_date_inferred" '
        f'data-preview-url="{PREVIEW}" aria-live="polite">'
        "Reads “11 February, year unknown”: day and month known, year unknown.</output>"
    ) in page
    assert "js/live-preview.js" in page


def test_the_preview_of_a_hostile_value_is_escaped(editor):
    page = editor.get(ADD_LETTER, {"date_edtf": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in page


def test_a_source_s_page_leads_to_a_letter_form_with_the_source_chosen(editor):
    source = Source.objects.create(title="Report", slug="report", text="The letter asks.")

    page = editor.get(reverse("admin:archive_source_change", args=[source.pk])).content.decode()
    form = editor.get(ADD_LETTER, {"sources": source.pk}).content.decode()

    assert f'href="{ADD_LETTER}?sources={source.pk}"' in page
    assert "Make a letter from this source" in page
    assert f'<option value="{source.pk}" selected>Report</option>' in form


def test_a_source_s_page_lists_the_letters_known_through_it(editor, letter, source):
    page = editor.get(reverse("admin:archive_source_change", args=[source.pk])).content.decode()

    assert (
        f'href="{reverse("admin:archive_letter_change", args=[letter.pk])}">{letter.title}</a>'
        in page
    )


def test_the_letter_form_finds_actors_as_one_types_and_adds_a_new_one_in_place(editor):
    page = editor.get(ADD_LETTER).content.decode()

    for field in ("sender", "signatory", "recipients-0-actor"):
        assert 'data-ajax--url="/admin/autocomplete/"' in page
        assert f'id="add_id_{field}"' in page, field  # "+": a new actor, in a window over the form
