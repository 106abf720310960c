"""The "Sekretariat" group moderates contributions ("Del en erfaring"): it may see and
change the cases in the moderation queue (the `Contribution` proxy), publish them or send
them back. The rest of the case library stays with the editors."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"
CODENAMES = ["view_contribution", "change_contribution"]


def permissions(apps):
    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(
            content_type__app_label="cases",
            content_type__model="contribution",
            codename=codename,
        )
        for codename in CODENAMES
    ]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_contributions"),
        ("initiatives", "0002_sekretariat_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
