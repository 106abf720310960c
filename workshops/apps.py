from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Workshop records, udviklingsrum courses, registrations and the calendar."""

    name = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from portal import privacy

        from .privacy import Registrations

        privacy.register(Registrations())
