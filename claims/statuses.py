"""Changing claims' verification status: `change_status`, the one place a claim's status and its
basis change, and `set_status`, the bulk action, with history and a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.page_cache import bump
from history.bulk import record_links

from .models import Claim, Evidence, Response, basis_problems


def change_status(
    claim,
    status,
    *,
    source=None,
    words="",
    reviewer=None,
    at=None,
    stances=None,
    evidence=None,
    letter_sources=None,
    checked=False,
):
    """Give the claim `status` and the basis it rests on, unsaved; ValidationError if it lacks it.

    The one path by which a claim's status changes: the claim form and the letter page
    (claims.admin), the bulk action (`set_status`) and the importer all come here, and the fields
    are written by `Claim.take_status` alone. The claim keeps only the basis its status uses:
    `source` and its `words` for a status a source reports, the reviewing editor `reviewer` for the
    editors' own assessment. `at` is when the status was set: a file restoring a status says when,
    and the bulk action gives all its claims one moment. Without it, a claim whose saved status
    differs changes it now, and any other (a new claim too) keeps its time.

    `basis_problems` decides whether the claim has its basis: `stances`, `evidence` and
    `letter_sources` as there, for rows written along with the claim. `checked` says the caller's
    form asked it already, with the rows as submitted (the admin's forms).
    """
    if at is None and claim.pk is not None:
        # Against the row as saved: a form reverting to an old version carries that version's time.
        saved = Claim.objects.filter(pk=claim.pk).values_list("status_id", flat=True).first()
        if saved is not None and saved != status.pk:
            at = timezone.now()
    claim.take_status(status, source=source, words=words, reviewer=reviewer, at=at)
    if not checked:
        problems = basis_problems(status, claim, stances, evidence, letter_sources)
        if problems:
            raise ValidationError(problems)


def set_status(claims, status, reason, user, source=None, words=""):
    """Give every claim in the queryset the status, with its basis, or none of them if one cannot take it.

    A status a source reports takes `source` and its `words` for every claim; the editors'
    own assessment records `user` as the reviewing editor. Returns how many claims changed.
    Claims already at the status are left alone.
    """
    if not reason.strip():
        raise ValidationError("Give a reason for the status change.")
    with transaction.atomic():
        to_change = list(claims.exclude(status=status).select_for_update().order_by("pk"))
        ids = [claim.pk for claim in to_change]
        stances, relations = {}, {}
        for claim_id, stance in Response.objects.filter(claim__in=ids).values_list(
            "claim_id", "stance"
        ):
            stances.setdefault(claim_id, []).append(stance)
        for claim_id, relation in Evidence.objects.filter(claim__in=ids).values_list(
            "claim_id", "relation"
        ):
            relations.setdefault(claim_id, []).append(relation)
        now = timezone.now()
        refused = []
        for claim in to_change:
            try:
                change_status(
                    claim,
                    status,
                    source=source,
                    words=words,
                    reviewer=user,
                    at=now,
                    stances=stances.get(claim.pk, []),
                    evidence=relations.get(claim.pk, []),
                )
            except ValidationError as error:
                refused.append((claim, " ".join(error.messages)))
        if refused:
            listed = "; ".join(f"“{claim}” ({problem})" for claim, problem in refused[:10])
            raise ValidationError(
                f"Nothing was changed: {len(refused)} claim(s) cannot take “{status.label}”: {listed}"
            )
        bulk_update_with_history(
            to_change,
            Claim,
            ["status", "status_changed_at", "status_source", "status_quote", "reviewed_by"],
            default_user=user,
            default_change_reason=reason,
        )
        snapshot_parties(to_change)
        bump()  # a bulk update sends no signals
    return len(to_change)


def snapshot_parties(claims):
    """Copy each claim's parties into the versions a bulk update wrote, as a save would.

    simple-history's bulk update writes no many-to-many rows, and a version without them
    would read as a claim about nobody in its past versions.
    """
    # In this transaction, each claim's latest version is the one the bulk update just wrote.
    versions = (
        Claim.history.filter(id__in=[claim.pk for claim in claims])
        .latest_of_each()
        .values_list("id", "history_id")
    )
    record_links(Claim, "about", dict(versions))
