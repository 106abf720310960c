"""The history's copies of foreign keys are plain ids: empty those whose row is gone.

From now on a signal does this when a row is deleted (initiatives.privacy); this catches
what was deleted before. A dangling id stops `dumpdata --natural-foreign` (issue 12).
"""

from django.db import migrations


def forget_dangling_references(apps, schema_editor):
    History = apps.get_model("initiatives", "HistoricalSupportApplication")
    for field in History._meta.concrete_fields:
        if not field.is_relation or field.db_constraint:
            continue
        existing = field.related_model._base_manager.values("pk")
        History._base_manager.exclude(**{f"{field.attname}__isnull": True}).exclude(
            **{f"{field.attname}__in": existing}
        ).update(**{field.attname: None})


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0004_personal_data_removable")]

    operations = [migrations.RunPython(forget_dangling_references, migrations.RunPython.noop)]
