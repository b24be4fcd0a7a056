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
