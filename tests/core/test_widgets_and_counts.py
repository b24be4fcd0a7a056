"""Long menus render as Django's own <select> would; counts say "about" when they are estimates."""

import re

import pytest
from django import forms

from archive.models import Actor
from core.keyset import KeysetPage
from core.templatetags.browse import result_count, showing
from core.widgets import LongSelect

pytestmark = pytest.mark.django_db


def options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


@pytest.mark.parametrize("chosen", ["", "b-slug"])
def test_a_long_select_is_the_markup_djangos_select_gives(chosen):
    for index, name in enumerate(["Ann <b>", "Ben & Co", "“Quoted”"]):
        Actor.objects.create(
            name=name, slug=f"{'ab'[index % 2]}-slug{'' if index < 2 else '-2'}", kind="person"
        )

    def field(widget):
        return forms.ModelChoiceField(
            Actor.objects.order_by("name"),
            to_field_name="slug",
            empty_label="Anyone",
            widget=widget,
        )

    class Form(forms.Form):
        fast = field(LongSelect)
        plain = field(forms.Select)

    form = Form({"fast": chosen, "plain": chosen})
    fast, plain = str(form["fast"]), str(form["plain"])
    assert options(fast) == options(plain) and len(options(fast)) == 4
    assert "Ann &lt;b&gt;" in fast and "<b>" not in fast
    assert 'name="fast"' in fast and 'id="id_fast"' in fast and "required" in fast


def test_a_menu_too_long_to_list_is_a_box_for_the_chosen_value(monkeypatch):
    monkeypatch.setattr(LongSelect, "longest", 2)
    for slug in ("a-slug", "b-slug", "c-slug"):
        Actor.objects.create(name=slug.upper(), slug=slug, kind="person")

    class Form(forms.Form):
        party = forms.ModelChoiceField(
            Actor.objects.order_by("name"),
            to_field_name="slug",
            required=False,
            widget=LongSelect(menu="test:party", hint="Give the <address> name."),
        )

    form = Form({"party": "b-slug"})
    html = str(form["party"])
    assert "<select" not in html and "<option" not in html
    assert html.startswith('<input type="text" ') and 'name="party"' in html
    assert 'value="b-slug"' in html and 'id="id_party"' in html
    assert 'aria-describedby="id_party_hint"' in html
    assert '<span class="hint" id="id_party_hint">Give the &lt;address&gt; name.</span>' in html
    assert form.is_valid() and form.cleaned_data["party"].slug == "b-slug"

    hostile = Form({"party": '"><script>x</script>'})
    assert not hostile.is_valid()
    assert "<script>" not in str(hostile["party"])
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in str(hostile["party"])


def test_a_menu_as_long_as_the_longest_listed_is_still_a_menu(monkeypatch):
    monkeypatch.setattr(LongSelect, "longest", 3)
    for slug in ("a-slug", "b-slug", "c-slug"):
        Actor.objects.create(name=slug.upper(), slug=slug, kind="person")
    field = forms.ModelChoiceField(
        Actor.objects.order_by("name"), to_field_name="slug", widget=LongSelect, empty_label="Any"
    )

    class Form(forms.Form):
        party = field

    assert len(options(str(Form()["party"]))) == 4  # three parties and "Any"


def test_a_claim_list_with_too_many_parties_asks_for_an_address_name(
    client, shipped_letters, monkeypatch
):
    from_menu = client.get("/claims/", {"about": "iran"}).context["page_obj"].count
    monkeypatch.setattr(LongSelect, "longest", 1)
    found = client.get("/claims/", {"about": "iran"})
    html = found.content.decode()
    assert found.status_code == 200
    about = html.split('<label for="id_about">')[1].split("</div>")[0]
    assert "<option" not in about and 'name="about"' in about and 'value="iran"' in about
    assert "Too many to list" in about
    assert found.context["page_obj"].count == from_menu > 0
    mistyped = client.get("/claims/", {"about": "islamic-republic-of-iran"})
    assert mistyped.status_code == 400  # as for any filter it cannot apply, saying why
    assert "There is no such party to choose here" in mistyped.content.decode()


def page(count, estimate=False, start=1, rows=50):
    return KeysetPage(
        list(range(rows)), start, False, True, count=count, count_is_estimate=estimate
    )


@pytest.mark.parametrize(
    ("count", "estimate", "words"),
    [
        (0, False, "No claims"),
        (1, False, "1 claim"),
        (1234, False, "1,234 claims"),
        (203_117, True, "About 200,000 claims"),
        (10_456, True, "About 10,000 claims"),
    ],
)
def test_a_count_reads_exact_or_about(count, estimate, words):
    assert result_count(page(count, estimate), "claim") == words


def test_showing_says_which_rows():
    assert showing(page(203_117, True, start=100_001)) == "Showing 100,001–100,050 of about 200,000"
