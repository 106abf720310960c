from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiativer og ansøgninger"

    def ready(self):
        from portal import privacy

        from .privacy import InitiativeContacts, SupportApplications

        privacy.register(SupportApplications())
        privacy.register(InitiativeContacts())
