"""Filters for the public letter and actor lists; their state lives in the URL."""

import django_filters
from django import forms

from core.form_rendering import FilterForm
from core.widgets import LongSelect

from .models import Actor, Letter, LetterQuerySet, RequestedAction

MAX_TEXT = 200


def actor_menu(menu):
    """A menu of actors; past a thousand of them, a box for the address name instead."""
    return LongSelect(
        menu=menu, hint="Too many to list: give the party's address name, as in /actors/<name>/."
    )


# A chosen party that is not in the menu (an address name mistyped, or one the menu leaves out).
NOT_IN_MENU = {
    "invalid_choice": "There is no such party to choose here; give the address name from the "
    "party's page (/actors/<name>/)."
}


class DateRangeForm(FilterForm):
    """Says so when a date range ends before it begins, rather than finding nothing."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"


def date_range_filters(earliest, latest):
    """A letter is in range when any day it could have been written falls in it."""
    return (
        django_filters.DateFilter(
            field_name=latest,
            lookup_expr="gte",
            label="Dated from",
            widget=DateInput,
            help_text="YYYY-MM-DD",
        ),
        django_filters.DateFilter(
            field_name=earliest,
            lookup_expr="lte",
            label="Dated to",
            widget=DateInput,
            help_text="YYYY-MM-DD",
        ),
    )


class SortFilter(django_filters.ChoiceFilter):
    """A named sort order: each choice maps to an explicit order_by, ending in the pk."""

    def __init__(self, orderings, **kwargs):
        self.orderings = orderings
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("label", "Sort by")
        super().__init__(choices=[(key, label) for key, (label, _) in orderings.items()], **kwargs)

    def filter(self, queryset, value):
        ordering = self.orderings[value][1] if value in self.orderings else ()
        return queryset.order_by(*ordering) if ordering else queryset


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=MAX_TEXT,
        help_text="Title, summary and source text.",
    )
    sender = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.senders().as_choices(),
        to_field_name="slug",
        widget=actor_menu("letters:sender"),
        error_messages=NOT_IN_MENU,
        label="Sender",
        empty_label="Any sender",
    )
    recipient = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.recipients().as_choices(),
        to_field_name="slug",
        widget=actor_menu("letters:recipient"),
        error_messages=NOT_IN_MENU,
        method="received_by",
        label="Recipient",
        empty_label="Any recipient",
        help_text="To or copied to.",
    )
    date_from, date_to = date_range_filters("date_earliest", "date_latest")
    sort = SortFilter(
        {
            "newest": ("Newest first", LetterQuerySet.LIST_ORDER),
            # By the latest day each could have been written: a letter whose year is unknown
            # (bounds 0001-9999) comes last in both orders, never as the oldest or the newest.
            "oldest": ("Oldest first", ("date_latest", "title", "pk")),
            "title": ("Title", ("title", "pk")),
        }
    )

    class Meta:
        model = Letter
        fields = []
        form = DateRangeForm

    def search(self, queryset, name, value):
        return queryset.search(value)

    def received_by(self, queryset, name, actor):
        return queryset.received_by(actor)


class ActorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        lookup_expr="icontains", label="Name contains", max_length=MAX_TEXT
    )
    kind = django_filters.ChoiceFilter(choices=Actor.Kind.choices, empty_label="Any kind")

    class Meta:
        model = Actor
        fields = []
        form = FilterForm


class RequestedActionFilter(django_filters.FilterSet):
    """What letters ask, for the read API: by letter, by whom they ask, by outcome."""

    letter = django_filters.ModelChoiceFilter(
        queryset=Letter.objects.published(),
        to_field_name="slug",
        error_messages={"invalid_choice": "There is no such letter; give a letter's address name."},
        label="Letter",
    )
    addressee = django_filters.ModelChoiceFilter(
        field_name="addressees",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        error_messages=NOT_IN_MENU,
        label="Asked of",
    )
    outcome = django_filters.ChoiceFilter(choices=RequestedAction.Outcome.choices)

    class Meta:
        model = RequestedAction
        fields = []
