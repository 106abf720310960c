from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiativer og ansøgninger"

    def ready(self):
        from django.db.models.signals import post_delete

        from portal import privacy

        from .privacy import (
            InitiativeContacts,
            SupportApplications,
            forget_deleted_references,
            history_references,
        )

        privacy.register(SupportApplications())
        privacy.register(InitiativeContacts())
        for model in {field.related_model for field in history_references()}:
            post_delete.connect(
                forget_deleted_references,
                sender=model,
                dispatch_uid=f"history-references-{model._meta.label}",
            )
