from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from portal import privacy

        from . import signals  # noqa: F401
        from .privacy import CaseContacts, CaseContributions

        privacy.register(CaseContacts())
        privacy.register(CaseContributions())
