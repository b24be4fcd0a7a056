from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors decide which claims make a recurring assertion, and which do not; reviewers read
# those decisions.
MODELS = ["recurringassertion", "recurrence", "rejectedmatch"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are normally created after migrations
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(
        content_type__app_label="claims", content_type__model__in=MODELS
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*mine)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.add(*mine.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(
        content_type__app_label="claims", content_type__model__in=MODELS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_rejected_matches")]
    operations = [migrations.RunPython(grant, revoke)]
