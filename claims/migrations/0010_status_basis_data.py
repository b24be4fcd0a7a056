"""Every status says whose it is (its basis): the data (columns in 0009, guards in 0011).

- The seeded statuses get their basis, and their descriptions (where an editor has not
  reworded them) say whose each is; no seeded rating was the editors' choice, so none
  stays. Their past versions get the same basis, so a past page says whose it was.
- A claim keeps its status only if it can show the basis: a reported status takes the
  source's words from the report's caveat that the shipped archive kept as "context"
  evidence; an editors' assessment takes as reviewer whoever last set that status, if
  supporting or contradicting evidence is listed; "not checkable" stays on
  characterisations and predictions. Any other claim is set to "Not yet assessed", with a
  note saying what it was.
- Requested actions were worded to follow "The letter asks for …"; pages now say "The
  letter asks …", so each summary not beginning "that" or "for" is given its "for".

Every row changed gets a history row with its reason, as a save would write, and the
archive's revision moves on so that no cached page shows the old words.
"""

import re

from django.db import migrations
from django.db.models import F
from django.utils import timezone

SEED_DESCRIPTIONS = {
    "unassessed": "The editors have not yet assessed this claim. It is recorded as the letter states it.",
    "unverified": "The claim was checked but could not be confirmed or refuted from independent sources.",
    "disputed": "A named party rejects, denies or disputes the claim; its response is recorded beside it.",
    "corroborated": "Independent sources support the claim; the evidence is listed beside it.",
    "contradicted": "Independent sources contradict the claim; the evidence is listed beside it.",
    "not-checkable": "An opinion, characterisation, appeal, warning or prediction: not a statement of fact that can be checked.",
}
VOCABULARY = {  # slug: (basis, description)
    "unassessed": (
        "none",
        "No source, party or editor has assessed this claim in the archive. It is recorded "
        "as the letter makes it, attributed to the letter.",
    ),
    "unverified": (
        "source",
        "A source reports that the claim could not be independently verified; the source "
        "and its words are shown with the status. The archive itself has not checked the claim.",
    ),
    "disputed": (
        "response",
        "A party rejects, denies or disputes the claim; its response, and the source that "
        "reports it, are shown with the status. The archive takes no side.",
    ),
    "corroborated": (
        "editors",
        "The editors' own assessment: evidence the editors list with the claim supports "
        "it. The reviewing editor is named.",
    ),
    "contradicted": (
        "editors",
        "The editors' own assessment: evidence the editors list with the claim "
        "contradicts it. The reviewing editor is named.",
    ),
    "not-checkable": (
        "classification",
        "The editors classify the claim as a characterisation or a prediction "
        "(a judgement, label, motive, warning or promise), which no record could settle, by the "
        "rule on this page. It says nothing of whether the claim is right.",
    ),
}
LABELS = {
    "unassessed": "Not yet assessed",
    "unverified": "Could not be independently verified",
    "disputed": "Disputed",
    "corroborated": "Corroborated",
    "contradicted": "Contradicted",
    "not-checkable": "Not checkable",
}


def seed(apps, schema_editor):
    """The vocabulary as this migration leaves it, for a database flushed by transactional tests."""
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    for position, (slug, (basis, description)) in enumerate(VOCABULARY.items(), start=1):
        VerificationStatus.objects.update_or_create(
            slug=slug,
            defaults={
                "label": LABELS[slug],
                "basis": basis,
                "description": description,
                "position": position * 10,
            },
        )


ASSESSING = ("supports", "contradicts")
NOT_CHECKABLE_KINDS = ("characterisation", "prediction")
CAVEAT = re.compile(r"verif", re.IGNORECASE)  # "These claims could not be independently verified."


def record(apps, app_label, model_name, obj, reason, history_type="~"):
    """A history row for a change this migration makes, as a save (or a deletion) would write it."""
    historical = apps.get_model(app_label, f"Historical{model_name}")
    names = {field.attname for field in historical._meta.concrete_fields}
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname in names and field.attname != "history_id"
    }
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
    )


def give_statuses_a_basis(apps):
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    HistoricalVerificationStatus = apps.get_model("claims", "HistoricalVerificationStatus")
    for status in VerificationStatus.objects.all():
        if status.slug in VOCABULARY:
            status.basis, description = VOCABULARY[status.slug]
            if status.description == SEED_DESCRIPTIONS[status.slug]:
                status.description = description
        else:  # an editors' own status: a dispute if it needed one, else their assessment
            status.basis = "response" if status.requires_dispute else "editors"
        status.rating_value = None
        status.save()
        HistoricalVerificationStatus.objects.filter(id=status.pk).update(basis=status.basis)
        record(
            apps,
            "claims",
            "VerificationStatus",
            status,
            "Every status says whose it is (its basis)",
        )


def last_set_by(apps, claim):
    """Who last set the claim's current status: the user of the latest version that changed it to this."""
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    previous, setter = None, None
    for status_id, user_id in (
        HistoricalClaim.objects.filter(id=claim.pk)
        .order_by("history_date", "history_id")
        .values_list("status_id", "history_user_id")
    ):
        if status_id != previous and status_id == claim.status_id:
            setter = user_id
        previous = status_id
    return setter


def give_claims_their_basis(apps):
    Claim = apps.get_model("claims", "Claim")
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    unassessed = VerificationStatus.objects.filter(slug="unassessed").first()
    for claim in Claim.objects.select_related("status").exclude(
        status__basis__in=["none", "response"]
    ):
        basis, reason = claim.status.basis, None
        if basis == "source":
            caveat = next(
                (
                    row
                    for row in claim.evidence.filter(relation="context").order_by("pk")
                    if CAVEAT.search(row.quote_exact)
                ),
                None,
            )
            if caveat is not None:
                claim.status_source_id, claim.status_quote = caveat.source_id, caveat.quote_exact
                record(
                    apps,
                    "claims",
                    "Evidence",
                    caveat,
                    "The source's words the status rests on, not evidence",
                    history_type="-",
                )
                caveat.delete()
                reason = "The source's words the status rests on, moved from its evidence"
        elif basis == "editors":
            editor = last_set_by(apps, claim)
            if editor is not None and claim.evidence.filter(relation__in=ASSESSING).exists():
                claim.reviewed_by_id = editor
                reason = "The reviewing editor: whoever set the status"
        elif claim.kind in NOT_CHECKABLE_KINDS:  # "classification"
            continue
        if reason is None:
            if unassessed is None:
                raise RuntimeError("No 'unassessed' status to give claims without a basis.")
            claim.status_note = (
                f"Was “{claim.status.label}” until every status had to say whose it is; no basis for it was "
                f"recorded. {claim.status_note}"
            ).strip()
            claim.status = unassessed
            claim.status_changed_at = timezone.now()
            reason = "Status without a recorded basis: set to not yet assessed"
        claim.save()
        record(apps, "claims", "Claim", claim, reason)


def word_requests_to_follow_asks(apps):
    RequestedAction = apps.get_model("archive", "RequestedAction")
    for action in RequestedAction.objects.all():
        if not action.summary.startswith(("that ", "for ")):
            action.summary = f"for {action.summary}"
            action.save()
            record(
                apps, "archive", "RequestedAction", action, "Worded to follow “The letter asks …”"
            )


def forwards(apps, schema_editor):
    give_statuses_a_basis(apps)
    give_claims_their_basis(apps)
    word_requests_to_follow_asks(apps)
    Revision = apps.get_model("archive", "Revision")
    Revision.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})
    Revision.objects.filter(pk=1).update(number=F("number") + 1)


def backwards(apps, schema_editor):
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    VerificationStatus.objects.filter(basis="response").update(requires_dispute=True)


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_status_basis"), ("archive", "0008_unknown_date_parts")]
    operations = [migrations.RunPython(forwards, backwards)]
