from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Reserved for workshop records and udviklingsrum meetings (a later issue)."""

    name = "workshops"
    verbose_name = "Workshops"
