from django.contrib.auth.management import create_permissions
from django.db import migrations

# Reviewers assess claims: they set statuses and record responses, and read everything else.
# They change no letter, source, actor or claim text. Editors may set statuses too.
READABLE = {
    "archive": ["actor", "actoridentifier", "source", "letter", "recipient", "requestedaction"],
    "claims": ["claim", "response", "evidence", "verificationstatus"],
}
REVIEWER_CHANGES = [("claims", f"{action}_response") for action in ("add", "change", "delete")] + [
    ("claims", "set_claim_status")
]


def create_reviewers(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are normally created after migrations
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app, codename):
        return Permission.objects.get(content_type__app_label=app, codename=codename)

    codenames = [
        (app, f"view_{model}") for app, models in READABLE.items() for model in models
    ] + REVIEWER_CHANGES
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set([permission(app, code) for app, code in codenames])
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(permission("claims", "set_claim_status"))


def remove_reviewers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Reviewers").delete()
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*editors.permissions.filter(codename="set_claim_status"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_list_order_indexes")]
    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["letter", "position", "id"],
                "permissions": [("set_claim_status", "Can set the verification status of claims")],
            },
        ),
        migrations.RunPython(create_reviewers, remove_reviewers),
    ]
