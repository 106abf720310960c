from django.core.management.base import BaseCommand

from cases.search import is_postgresql, update_search_vector


class Command(BaseCommand):
    help = "Genberegner søgeindekset for alle cases (kun PostgreSQL)."

    def handle(self, *args, **options):
        if not is_postgresql():
            self.stdout.write("Databasen er ikke PostgreSQL; der er intet søgeindeks at bygge.")
            return
        update_search_vector(None)
        self.stdout.write(self.style.SUCCESS("Søgeindekset er genberegnet."))
