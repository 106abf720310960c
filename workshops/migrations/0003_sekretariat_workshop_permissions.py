"""The "Sekretariat" group gets what running workshops needs.

- workshops and their record points: add, change, view (and delete points),
- udviklingsrum courses: add, change, view,
- registrations: view and change (mark attended, correct a name; seats are handed out by
  the registration form, so no add), no deletion (personal data goes through
  delete_personal_data and apply_retention).
Deleting a workshop or an udviklingsrum stays with administrators.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"
PERMISSIONS = [
    ("workshop", "add_workshop"),
    ("workshop", "change_workshop"),
    ("workshop", "view_workshop"),
    ("workshoppoint", "add_workshoppoint"),
    ("workshoppoint", "change_workshoppoint"),
    ("workshoppoint", "delete_workshoppoint"),
    ("workshoppoint", "view_workshoppoint"),
    ("developmentroom", "add_developmentroom"),
    ("developmentroom", "change_developmentroom"),
    ("developmentroom", "view_developmentroom"),
    ("registration", "change_registration"),
    ("registration", "view_registration"),
]


def permissions(apps):
    app_config = apps.get_app_config("workshops")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(
            content_type__app_label="workshops", content_type__model=model, codename=codename
        )
        for model, codename in PERMISSIONS
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
        ("workshops", "0002_registration_form_token"),
        ("initiatives", "0002_sekretariat_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
