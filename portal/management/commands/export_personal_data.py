import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email

from portal import privacy


class Command(BaseCommand):
    help = (
        "Skriver alt, hvad portalen har om en e-mailadresse (konto, adresser, ansøgninger, "
        "statusskift, historik og hvad appsene ellers har registreret), som JSON på stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mailadressen, der spørges om.")

    def handle(self, *args, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(f"„{email}“ er ikke en gyldig e-mailadresse.") from error
        data = privacy.export(privacy.Subject.find(email))
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
