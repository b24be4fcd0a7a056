"""Changing claims' verification status: one write path, with history and a reason."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.page_cache import bump

from .models import Claim, Evidence, Response, VerificationStatus, basis_problems


def set_status(claims, status, reason, user, source=None, words=""):
    """Give every claim in the queryset the status, with its basis, or none of them if one cannot take it.

    A status a source reports takes `source` and its `words` for every claim; the editors'
    own assessment records `user` as the reviewing editor. Returns how many claims changed.
    Claims already at the status are left alone.
    """
    if not reason.strip():
        raise ValidationError("Give a reason for the status change.")
    Basis = VerificationStatus.Basis
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
        refused = []
        for claim in to_change:
            claim.status = status
            claim.status_source, claim.status_quote = (
                (source, words) if status.basis == Basis.SOURCE else (None, "")
            )
            claim.reviewed_by = user if status.basis == Basis.EDITORS else None
            problems = basis_problems(
                status, claim, stances.get(claim.pk, []), relations.get(claim.pk, [])
            )
            if problems:
                refused.append((claim, " ".join(problems.values())))
        if refused:
            listed = "; ".join(f"“{claim}” ({problem})" for claim, problem in refused[:10])
            raise ValidationError(
                f"Nothing was changed: {len(refused)} claim(s) cannot take “{status.label}”: {listed}"
            )
        now = timezone.now()
        for claim in to_change:
            claim.status_changed_at = now
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
    versions = dict(
        Claim.history.filter(id__in=[claim.pk for claim in claims])
        .latest_of_each()
        .values_list("id", "history_id")
    )
    snapshot = apps.get_model("claims", "HistoricalClaim_about")
    links = Claim.about.through.objects.filter(claim_id__in=versions).values_list(
        "id", "claim_id", "actor_id"
    )
    snapshot.objects.bulk_create(
        [
            snapshot(
                id=link_id, history_id=versions[claim_id], claim_id=claim_id, actor_id=actor_id
            )
            for link_id, claim_id, actor_id in links
        ]
    )
