from django.conf import settings
from django.core.management.base import BaseCommand

from portal import privacy


class Command(BaseCommand):
    help = (
        "Anonymiserer afgjorte ansøgninger, hvis afgørelse er ældre end RETENTION_YEARS år, "
        "sletter deres ældre historik, filer i det private filområde, som intet refererer "
        "til, og udløbne sessioner. Kan køres igen og igen (fx hver nat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vis, hvad der ville ske, uden at ændre noget.",
        )

    def handle(self, *args, dry_run=False, **options):
        years = settings.RETENTION_YEARS
        if years:
            self.stdout.write(f"Opbevaringsperiode: {years} år efter afgørelsen.")
        else:
            self.stdout.write("RETENTION_YEARS er 0: afgjorte ansøgninger anonymiseres ikke.")
        if dry_run:
            self.stdout.write("Prøvekørsel: intet ændres eller slettes.")
        report = privacy.apply_retention(dry_run=dry_run)
        for line in report.lines:
            self.stdout.write(line)
