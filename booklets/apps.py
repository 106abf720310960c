from django.apps import AppConfig


class BookletsConfig(AppConfig):
    name = "booklets"
    verbose_name = "Inspirationshæfter"
