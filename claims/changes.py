"""The public record of changes, read from django-simple-history's tables.

Editors are named by their full name when they have one, never by their login.
"""
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.urls import reverse

from archive.models import Actor, Letter, Recipient, RequestedAction, Source

from .models import Claim, Evidence, Response, VerificationStatus

ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
COMMON = ["history_id", "history_date", "history_type", "history_change_reason",
          "history_user__first_name", "history_user__last_name", "id"]


@dataclass(frozen=True)
class Change:
    key: str
    when: datetime
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


def letter_url(letters, letter_id, anchor=""):
    letter = letters.get(letter_id)
    return f"{letter.get_absolute_url()}{anchor}" if letter else ""


# Per model: the fields read, and how a row becomes a label and a link.
# `names` maps actor ids to names and `letters` letter ids to letters (one query each).
DESCRIBED = [
    (Letter, ["title", "slug"],
     lambda r, names, letters: r["title"],
     lambda r, names, letters: reverse("archive:letter-detail", args=[r["slug"]])),
    (Claim, ["statement"],
     lambda r, names, letters: shorten(f"The letter claims that {r['statement']}"),
     lambda r, names, letters: reverse("claims:claim-detail", args=[r["id"]])),
    (Response, ["claim_id", "letter_id", "actor_id", "stance"],
     lambda r, names, letters: f"{names.get(r['actor_id'], 'A party')}: "
                               f"{Response.Stance(r['stance']).label if r['stance'] in Response.Stance.values else r['stance']}",
     lambda r, names, letters: reverse("claims:claim-detail", args=[r["claim_id"]]) if r["claim_id"]
     else letter_url(letters, r["letter_id"])),
    (Evidence, ["claim_id", "relation"],
     lambda r, names, letters: f"Evidence on claim {r['claim_id']}",
     lambda r, names, letters: reverse("claims:claim-detail", args=[r["claim_id"]])),
    (RequestedAction, ["letter_id", "position", "summary"],
     lambda r, names, letters: shorten(f"Request {r['position']}: {r['summary']}"),
     lambda r, names, letters: letter_url(letters, r["letter_id"], f"#action-{r['position']}")),
    (Recipient, ["letter_id", "actor_id", "role"],
     lambda r, names, letters: f"Recipient: {names.get(r['actor_id'], 'a party')}",
     lambda r, names, letters: letter_url(letters, r["letter_id"])),
    (Actor, ["name", "slug"],
     lambda r, names, letters: r["name"],
     lambda r, names, letters: reverse("archive:actor-detail", args=[r["slug"]])),
    (Source, ["title"],
     lambda r, names, letters: r["title"],
     lambda r, names, letters: ""),
    (VerificationStatus, ["label", "slug"],
     lambda r, names, letters: f"Status “{r['label']}”",
     lambda r, names, letters: reverse("claims:status-list") + f"#{r['slug']}"),
]


def recent_changes(limit=50, before=None):
    """The newest `limit` changes across the archive, optionally older than `before`."""
    rows = []
    for model, fields, _, _ in DESCRIBED:
        history = model.history.model.objects.all()
        if before is not None:
            history = history.filter(history_date__lt=before)
        for row in history.order_by("-history_date", "-history_id").values(*COMMON, *fields)[:limit]:
            rows.append((model, row))
    rows.sort(key=lambda item: (item[1]["history_date"], item[1]["history_id"]), reverse=True)
    rows = rows[:limit]

    actor_ids = {row[key] for _, row in rows for key in ("actor_id",) if row.get(key)}
    letter_ids = {row["letter_id"] for _, row in rows if row.get("letter_id")}
    names = dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name")) if actor_ids else {}
    letters = Letter.objects.in_bulk(letter_ids) if letter_ids else {}

    changes = []
    for model, row in rows:
        _, _, label, url = next(entry for entry in DESCRIBED if entry[0] is model)
        deleted = row["history_type"] == "-"
        changes.append(Change(
            key=f"{model._meta.model_name}-{row['history_id']}",
            when=row["history_date"],
            action=ACTIONS.get(row["history_type"], "Changed"),
            kind=model._meta.verbose_name.capitalize(),
            label=label(row, names, letters),
            url="" if deleted else url(row, names, letters),
            reason=row["history_change_reason"] or "",
            editor=editor_name(row),
        ))
    return changes


def status_timeline(claim):
    """When the claim's status was set, from what to what, and why: oldest first."""
    labels = dict(VerificationStatus.objects.values_list("pk", "label"))
    entries, previous = [], None
    for row in claim.history.order_by("history_date", "history_id").values(
        "history_date", "history_type", "status_id", "history_change_reason",
        "history_user__first_name", "history_user__last_name",
    ):
        if row["status_id"] == previous:
            continue
        entries.append({
            "when": row["history_date"],
            "before": labels.get(previous, "") if previous is not None else "",
            "after": labels.get(row["status_id"], "a status since removed"),
            "reason": row["history_change_reason"] or "",
            "editor": editor_name(row),
        })
        previous = row["status_id"]
    return entries


class ChangesForm(forms.Form):
    before = forms.DateTimeField(required=False, label="Changes before", help_text="A date and time in ISO 8601.")
