"""The public record of changes, read from django-simple-history's tables.

Editors are named by their full name when they have one, never by their login.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import BooleanField, ExpressionWrapper
from django.urls import reverse

from archive.models import (
    Actor,
    Letter,
    Recipient,
    RequestedAction,
    Source,
    any_drafts,
    is_public_source,
)

from .basis import labelled
from .models import Claim, Evidence, Recurrence, Response, VerificationStatus, attribute

ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
COMMON = [
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user__first_name",
    "history_user__last_name",
    "id",
]


@dataclass(frozen=True)
class Change:
    key: str
    when: datetime.datetime
    action: str
    kind: str
    label: str
    url: str
    reason: str
    editor: str


def editor_name(row):
    name = f"{row['history_user__first_name'] or ''} {row['history_user__last_name'] or ''}".strip()
    return name or "an editor"


def shorten(text, length=140):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def stance_label(value):
    return Response.Stance(value).label if value in Response.Stance.values else value


class Described:
    """How one kind of history row reads on the changes page: the fields it needs, a label, a link.

    `names` maps actor ids to names and `letters` letter ids to letters, each loaded
    once for the whole page.
    """

    def __init__(self, model, fields, label, url, of_letters=(), of_claims=()):
        self.model, self.fields, self.label, self.url = model, fields, label, url
        # The fields naming the letter or claim a row belongs to: a draft's rows are withheld.
        self.of_letters, self.of_claims = of_letters, of_claims

    def public(self, history, withheld):
        """The history rows the public may read: none of a draft's, nor of one deleted as a draft."""
        for field in self.of_letters:
            if withheld.letters:
                history = history.exclude(**{f"{field}__in": withheld.letters})
        for field in self.of_claims:
            if withheld.claims:
                history = history.exclude(**{f"{field}__in": withheld.claims})
        return history


@dataclass(frozen=True)
class Withheld:
    """What the public record leaves out, as keys: drafts and letters deleted while drafts (their
    deletion row keeps the flag), and their claims. A handful of rows, read once a page; none
    at all in an archive without drafts."""

    letters: frozenset
    claims: frozenset

    @classmethod
    def now(cls):
        letters = (
            set(Letter.objects.filter(published=False).values_list("pk", flat=True))
            if any_drafts()
            else set()
        )
        letters |= set(
            Letter.history.filter(history_type="-", published=False).values_list("id", flat=True)
        )
        claims = (
            set(Claim.history.filter(letter_id__in=letters).values_list("id", flat=True))
            if letters
            else set()
        )
        return cls(frozenset(letters), frozenset(claims))


def readable_sources(rows):
    """The rows of sources the public may read now (archive.models.is_public_source), asked of the
    sources these rows name only; a deleted source's rows stay, as they always have."""
    ids = {row["id"] for _, row in rows}
    public = dict(
        Source.objects.filter(pk__in=ids)
        .annotate(public=ExpressionWrapper(is_public_source(), output_field=BooleanField()))
        .values_list("pk", "public")
    )
    return [(described, row) for described, row in rows if public.get(row["id"], True)]


def claim_url(claim_id):
    return reverse("claims:claim-detail", args=[claim_id])


def sender_of(letters, letter_id):
    letter = letters.get(letter_id)
    return letter.sender.name if letter else "a letter since deleted"


def letter_url(letters, letter_id, anchor=""):
    letter = letters.get(letter_id)
    return f"{letter.get_absolute_url()}{anchor}" if letter else ""


DESCRIBED = [
    Described(
        Letter,
        ["title", "slug"],
        label=lambda row, names, letters: row["title"],
        url=lambda row, names, letters: reverse("archive:letter-detail", args=[row["slug"]]),
        of_letters=["id"],
    ),
    Described(
        Claim,
        ["statement", "letter_id"],
        label=lambda row, names, letters: shorten(
            attribute(sender_of(letters, row["letter_id"]), row["statement"])
        ),
        url=lambda row, names, letters: claim_url(row["id"]),
        of_letters=["letter_id"],
    ),
    Described(
        Response,
        ["claim_id", "letter_id", "actor_id", "stance"],
        label=lambda row, names, letters: (
            f"{names.get(row['actor_id'], 'A party')}: {stance_label(row['stance'])}"
        ),
        url=lambda row, names, letters: (
            claim_url(row["claim_id"]) if row["claim_id"] else letter_url(letters, row["letter_id"])
        ),
        of_letters=["letter_id"],
        of_claims=["claim_id"],
    ),
    Described(
        Evidence,
        ["claim_id"],
        label=lambda row, names, letters: f"Evidence on claim {row['claim_id']}",
        url=lambda row, names, letters: claim_url(row["claim_id"]),
        of_claims=["claim_id"],
    ),
    Described(
        Recurrence,
        ["claim_id"],
        label=lambda row, names, letters: (
            f"Claim {row['claim_id']} linked to a recurring assertion"
        ),
        url=lambda row, names, letters: claim_url(row["claim_id"]),
        of_claims=["claim_id"],
    ),
    Described(
        RequestedAction,
        ["letter_id", "position", "summary"],
        label=lambda row, names, letters: shorten(f"Request {row['position']}: {row['summary']}"),
        url=lambda row, names, letters: letter_url(
            letters, row["letter_id"], f"#action-{row['position']}"
        ),
        of_letters=["letter_id"],
    ),
    Described(
        Recipient,
        ["letter_id", "actor_id"],
        label=lambda row, names, letters: f"Recipient: {names.get(row['actor_id'], 'a party')}",
        url=lambda row, names, letters: letter_url(letters, row["letter_id"]),
        of_letters=["letter_id"],
    ),
    Described(
        Actor,
        ["name", "slug"],
        label=lambda row, names, letters: row["name"],
        url=lambda row, names, letters: reverse("archive:actor-detail", args=[row["slug"]]),
    ),
    Described(
        Source,
        ["title"],
        label=lambda row, names, letters: row["title"],
        url=lambda row, names, letters: "",  # sources have no page of their own
    ),
    Described(
        VerificationStatus,
        ["label", "slug"],
        label=lambda row, names, letters: f"Status “{row['label']}”",
        url=lambda row, names, letters: reverse("claims:status-list") + f"#{row['slug']}",
    ),
]


def recent_changes(limit=50, before=None):
    """The newest `limit` changes across the archive, optionally older than `before`."""
    rows = []
    withheld = Withheld.now()
    for described in DESCRIBED:
        history = described.public(described.model.history.model.objects.all(), withheld)
        if before is not None:
            history = history.filter(history_date__lt=before)
        ordered = history.order_by("-history_date", "-history_id")
        found = [(described, row) for row in ordered.values(*COMMON, *described.fields)[:limit]]
        # A source is withheld by what uses it, asked of these rows' sources alone (a page may
        # then show fewer than `limit` changes; the next page still starts where it ends).
        rows += readable_sources(found) if described.model is Source else found
    rows.sort(key=lambda item: (item[1]["history_date"], item[1]["history_id"]), reverse=True)
    rows = rows[:limit]

    actor_ids = {row["actor_id"] for _, row in rows if row.get("actor_id")}
    letter_ids = {row["letter_id"] for _, row in rows if row.get("letter_id")}
    names = (
        dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name")) if actor_ids else {}
    )
    letters = Letter.objects.select_related("sender").in_bulk(letter_ids) if letter_ids else {}

    return [
        Change(
            key=f"{described.model._meta.model_name}-{row['history_id']}",
            when=row["history_date"],
            action=ACTIONS.get(row["history_type"], "Changed"),
            kind=described.model._meta.verbose_name.capitalize(),
            label=described.label(row, names, letters),
            url="" if row["history_type"] == "-" else described.url(row, names, letters),
            reason=row["history_change_reason"] or "",
            editor=editor_name(row),
        )
        for described, row in rows
    ]


def status_timeline(claim, until=None):
    """When the claim's status was set, from what to what (each with whose it is), and why: oldest first
    (and before `until`)."""
    history = claim.history.all() if until is None else claim.history.filter(history_date__lt=until)
    return status_timelines(history).get(claim.pk, [])


def status_timelines(history):
    """status_timeline for every claim in a queryset of claim versions: {claim id: entries}. Two
    queries, however many claims."""
    statuses = {status.pk: status for status in VerificationStatus.objects.all()}
    timelines, previous = {}, {}
    for row in history.order_by("id", "history_date", "history_id").values(
        "id",
        "history_date",
        "history_type",
        "status_id",
        "history_change_reason",
        "history_user__first_name",
        "history_user__last_name",
    ):
        claim, before = row["id"], previous.get(row["id"])
        if row["status_id"] == before:
            continue
        timelines.setdefault(claim, []).append(
            {
                "when": row["history_date"],
                "before": labelled(statuses[before]) if before in statuses else "",
                "after": (
                    labelled(statuses[row["status_id"]])
                    if row["status_id"] in statuses
                    else "a status since removed"
                ),
                "status_slug": statuses[row["status_id"]].slug
                if row["status_id"] in statuses
                else "",
                "reason": row["history_change_reason"] or "",
                "editor": editor_name(row),
            }
        )
        previous[claim] = row["status_id"]
    return timelines


class ChangesForm(forms.Form):
    before = forms.DateTimeField(
        required=False, label="Changes before", help_text="A date and time in ISO 8601."
    )

    def clean_before(self):
        before = self.cleaned_data["before"]
        try:
            if before is not None:
                before.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("That date and time is out of range.")
        return before
