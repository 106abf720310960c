from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from portal import privacy


class Command(BaseCommand):
    help = (
        "Sletter kontoen med denne e-mailadresse og anonymiserer alt andet, portalen har om "
        "adressen: navne, adresser, telefonnumre og stillinger i ansøgninger, deres historik "
        "og statusskift. Kladder slettes med bilag; afgjorte ansøgninger bliver anonyme."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mailadressen, hvis data skal slettes.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Spørg ikke om bekræftelse.",
        )

    def handle(self, *args, email, interactive=True, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(f"„{email}“ er ikke en gyldig e-mailadresse.") from error
        subject = privacy.Subject.find(email)
        if interactive:
            account = "og kontoen " if subject.user is not None else ""
            answer = input(
                f"Slet {account}alle persondata om {subject.email}? Det kan ikke fortrydes. "
                "Skriv 'ja' for at fortsætte: "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Intet er slettet.")
        report = privacy.erase(subject)
        for line in report.lines:
            self.stdout.write(line)
