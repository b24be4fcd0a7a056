from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors break letters into claims and tag them: they change all content, and may
# only look at the status vocabulary, which superusers manage.
EDITABLE = {
    "archive": ["actor", "actoridentifier", "source", "letter", "recipient", "requestedaction"],
    "claims": ["claim", "response", "evidence"],
}
VIEW_ONLY = {"claims": ["verificationstatus"]}


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        (app, f"{action}_{model}")
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ] + [(app, f"view_{model}") for app, models in VIEW_ONLY.items() for model in models]
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=code)
        for app, code in codenames
    ]
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_database_guards"),
        ("archive", "0002_quote_guards"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editors, remove_editors)]
