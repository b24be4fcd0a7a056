"""The claim list's filters: every one a URL parameter, every bad value a form error."""

import django_filters
from django import forms
from django.db import models

from archive.filters import (
    MAX_TEXT,
    NOT_IN_MENU,
    DateRangeForm,
    SortFilter,
    actor_menu,
    date_range_filters,
)
from archive.models import Actor, Letter

from .models import (
    Claim,
    ClaimQuerySet,
    Response,
    VerificationStatus,
    actors_claims_are_about,
    actors_responding_to_claims,
)

OPPOSES = "opposes"
STANCE_CHOICES = [(OPPOSES, "Rejects, denies or disputes"), *Response.Stance.choices]


class ClaimFilter(django_filters.FilterSet):
    show_headlines = True  # exports need the rows, not highlighted snippets

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=MAX_TEXT,
        help_text='Statement and quote. Use "quotes" for a phrase, - to exclude a word, or for alternatives.',
    )
    status = django_filters.ModelMultipleChoiceFilter(
        method="filter_status",  # status_id IN (…): no join, no DISTINCT (a claim has one status)
        label="Status",
        queryset=VerificationStatus.objects.order_by("position", "slug"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, empty_label="Any kind")
    # A text box, not a menu: an archive of 20,000 letters cannot list them all. Letter pages
    # link here with the slug filled in.
    letter = django_filters.ModelChoiceFilter(
        queryset=Letter.objects.published(),
        to_field_name="slug",
        widget=forms.TextInput,
        help_text="The letter's address name, as in /letters/<name>/.",
        error_messages={"invalid_choice": "There is no letter with that address name."},
    )
    about = django_filters.ModelChoiceFilter(
        queryset=actors_claims_are_about().as_choices(),
        to_field_name="slug",
        widget=actor_menu("claims:about"),
        error_messages=NOT_IN_MENU,
        method="filter_about",
        label="About",
        empty_label="Anyone",
        help_text="The party the claim is about.",
    )
    responder = django_filters.ModelChoiceFilter(
        queryset=actors_responding_to_claims().as_choices(),
        to_field_name="slug",
        widget=actor_menu("claims:responder"),
        error_messages=NOT_IN_MENU,
        method="filter_responses",
        label="Responding party",
        empty_label="Any party",
    )
    stance = django_filters.ChoiceFilter(
        choices=STANCE_CHOICES,
        method="filter_responses",
        label="Their stance",
        empty_label="Any stance",
    )
    date_from, date_to = date_range_filters("letter__date_earliest", "letter__date_latest")
    sort = SortFilter(
        {
            "relevance": ("Relevance (with a search)", ()),
            "newest": ("Letter date, newest first", ClaimQuerySet.LIST_ORDER),
            "oldest": (
                "Letter date, oldest first",
                ("letter__date_latest", "letter_id", "position", "pk"),
            ),
            "status": (
                "Status, then most recently set",
                ("status__position", "-status_changed_at", "pk"),
            ),
            "recently-reviewed": ("Status most recently set", ("-status_changed_at", "pk")),
        }
    )

    class Meta:
        model = Claim
        fields = []
        form = DateRangeForm

    def search(self, queryset, name, value):
        return queryset.search(value, headlines=self.show_headlines)

    def filter_status(self, queryset, name, statuses):
        return queryset.filter(status__in=statuses) if statuses else queryset

    def filter_about(self, queryset, name, actor):
        return queryset.about(actor)

    def filter_responses(self, queryset, name, value):
        # Party and stance describe the same response, so both go into one subquery, once.
        actor, stance = (
            self.form.cleaned_data.get("responder"),
            self.form.cleaned_data.get("stance"),
        )
        if name == "stance" and actor:
            return queryset
        stances = None
        if stance:
            stances = Response.Stance.opposing() if stance == OPPOSES else [stance]
        return queryset.responded_to_by(actor, stances)


class ResponseFilter(django_filters.FilterSet):
    """Parties' responses, for the read API: by party, stance, claim or letter."""

    party = django_filters.ModelChoiceFilter(
        field_name="actor",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        error_messages=NOT_IN_MENU,
        label="Responding party",
    )
    stance = django_filters.ChoiceFilter(choices=Response.Stance.choices)
    claim = django_filters.ModelChoiceFilter(
        queryset=Claim.objects.published(),
        error_messages={"invalid_choice": "There is no such claim; give a claim's number."},
        label="To the claim (its number)",
    )
    letter = django_filters.ModelChoiceFilter(
        queryset=Letter.objects.published(),
        to_field_name="slug",
        method="to_letter",
        error_messages={"invalid_choice": "There is no such letter; give a letter's address name."},
        label="To the letter or one of its claims",
    )

    class Meta:
        model = Response
        fields = []

    def to_letter(self, queryset, name, letter):
        return queryset.filter(models.Q(letter=letter) | models.Q(claim__letter=letter))
