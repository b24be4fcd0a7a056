from django.db import migrations

# The vocabulary DESIGN.md agrees on. ClaimReview ratingValue: 1 (worst) to 5 (best);
# statuses that are not verdicts carry none.
STATUSES = [
    (
        "unassessed",
        "Not yet assessed",
        None,
        False,
        "The editors have not yet assessed this claim. It is recorded as the letter states it.",
    ),
    (
        "unverified",
        "Could not be independently verified",
        3,
        False,
        "The claim was checked but could not be confirmed or refuted from independent sources.",
    ),
    (
        "disputed",
        "Disputed",
        3,
        True,
        "A named party rejects, denies or disputes the claim; its response is recorded beside it.",
    ),
    (
        "corroborated",
        "Corroborated",
        5,
        False,
        "Independent sources support the claim; the evidence is listed beside it.",
    ),
    (
        "contradicted",
        "Contradicted",
        1,
        False,
        "Independent sources contradict the claim; the evidence is listed beside it.",
    ),
    (
        "not-checkable",
        "Not checkable",
        None,
        False,
        "An opinion, characterisation, appeal, warning or prediction: not a statement of fact that can be checked.",
    ),
]


def seed(apps, schema_editor):
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    for position, (slug, label, rating, requires_dispute, description) in enumerate(
        STATUSES, start=1
    ):
        VerificationStatus.objects.update_or_create(
            slug=slug,
            defaults={
                "label": label,
                "rating_value": rating,
                "requires_dispute": requires_dispute,
                "description": description,
                "position": position * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("claims", "VerificationStatus").objects.filter(
        slug__in=[s[0] for s in STATUSES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
