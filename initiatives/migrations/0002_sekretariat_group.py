"""The "Sekretariat" group with exactly what the review desk needs.

- view + change support applications (read everything, assign, write internal notes),
- review support applications (move them through the workflow and decide),
- view transitions (the who/when log shown on each application),
- view application rounds (the round filter and the link on each application).
Nothing to add or delete applications, and nothing outside this app.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"
PERMISSIONS = [
    ("supportapplication", "view_supportapplication"),
    ("supportapplication", "change_supportapplication"),
    ("supportapplication", "review_supportapplication"),
    ("applicationtransition", "view_applicationtransition"),
    ("applicationround", "view_applicationround"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = [
        Permission.objects.get(content_type__app_label="initiatives", content_type__model=model, codename=codename)
        for model, codename in PERMISSIONS
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
