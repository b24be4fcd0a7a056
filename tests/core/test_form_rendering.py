"""The filter forms' controls written in Python are exactly what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from archive.filters import ActorFilter, LetterFilter
from claims.filters import ClaimFilter
from core.form_rendering import QuickRenderer

pytestmark = pytest.mark.django_db

TEMPLATES = DjangoTemplates()
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"

FILTERS_AND_DATA = [
    (ClaimFilter, {}),
    (ClaimFilter, {"q": "fishermen", "sort": "relevance"}),
    (ClaimFilter, {"status": ["disputed", "unverified"], "kind": "factual", "stance": "denies"}),
    (ClaimFilter, {"about": "pakistan", "responder": "iran", "letter": "to-nato"}),
    (ClaimFilter, {"q": HOSTILE, "kind": HOSTILE, "status": [HOSTILE], "about": HOSTILE}),
    (ClaimFilter, {"date_from": "2026-02-11", "date_to": "2025-01-01"}),
    (ClaimFilter, {"date_from": "11/02/2026", "date_to": "not a date", "sort": "nonsense"}),
    (LetterFilter, {}),
    (LetterFilter, {"q": HOSTILE, "sender": HOSTILE, "recipient": "nato", "sort": "title"}),
    (LetterFilter, {"date_from": "2026-13-45"}),
    (ActorFilter, {}),
    (ActorFilter, {"name": HOSTILE, "kind": "state"}),
]


def bound_forms(filterset_class, data):
    form_class = filterset_class(data).get_form_class()
    quick, templated = form_class(data), form_class(data, renderer=TEMPLATES)
    assert isinstance(quick.renderer, QuickRenderer)
    return quick, templated


@pytest.mark.parametrize(("filterset_class", "data"), FILTERS_AND_DATA)
def test_every_public_filter_form_renders_as_the_templates_do(
    shipped_letters, filterset_class, data
):
    quick, templated = bound_forms(filterset_class, data)
    for name in quick.fields:
        ours, theirs = quick[name], templated[name]
        assert str(ours) == str(theirs), name
        assert ours.label_tag() == theirs.label_tag(), name
        assert ours.legend_tag() == theirs.legend_tag(), name
        assert str(ours.errors) == str(theirs.errors), name
    request = RequestFactory().get("/claims/")
    pages = [
        render_to_string("includes/filter_form.html", {"form": form, "request": request})
        for form in (quick, templated)
    ]
    assert pages[0] == pages[1]
    assert "<script>" not in pages[0]


def test_the_hostile_value_is_escaped_once(shipped_letters):
    quick, _ = bound_forms(ClaimFilter, {"q": HOSTILE})
    assert (
        'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"'
        in str(quick["q"])
    )


class EveryShape(forms.Form):
    """The templates' less common branches: groups, attributes that are True, False or None,
    values already marked safe, labels that are not strings, a class on a list of boxes."""

    grouped = forms.ChoiceField(
        choices=[
            ("", "None <yet>"),
            ("Near & far", [("a", "Ä"), ("b", mark_safe("<em>bold</em>"))]),
            (3, 4),
        ],
        widget=forms.Select(attrs={"class": "x", "data-on": True, "data-off": False}),
    )
    boxes = forms.MultipleChoiceField(
        choices=[("Group", [("1", "One"), ("2", "Two")]), ("3", "Three & 3")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
        required=False,
    )
    radio = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    bare_radio = forms.ChoiceField(
        choices=[("y", "Yes")], widget=forms.RadioSelect(attrs={"id": ""})
    )
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": None}))
    agreed = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("&amp; safe"))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(widget=forms.Textarea, required=False)  # left to the template


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"grouped": "b", "boxes": ["1", "3"], "radio": "n", "number": "0", "agreed": "on"},
        {"grouped": HOSTILE, "boxes": [HOSTILE], "radio": HOSTILE, "number": HOSTILE},
    ],
)
def test_every_shape_of_control_renders_as_the_templates_do(data):
    quick = EveryShape(data, renderer=QuickRenderer())
    templated = EveryShape(data, renderer=TEMPLATES)
    for name in quick.fields:
        assert str(quick[name]) == str(templated[name]), name
        assert quick[name].label_tag() == templated[name].label_tag(), name
        assert str(quick[name].errors) == str(templated[name].errors), name
    assert str(quick) == str(templated)
