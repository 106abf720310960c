from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Tager en sikkerhedskopi af portalen: databasens indhold og ansøgningernes bilag i "
        "én zip-fil, som kun ejeren kan læse. Gendannes med restore_portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen, der skal skrives (må ikke findes i forvejen).")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.backup(file)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Sikkerhedskopi skrevet til {file}: {rows} rækker fra {len(manifest['rows'])} "
            f"tabeller og {len(manifest['files'])} bilag."
        )
        if manifest["missing_files"]:
            self.stderr.write(
                f"Advarsel: {len(manifest['missing_files'])} bilag, som ansøgninger henviser "
                "til, findes ikke på disken: " + ", ".join(manifest["missing_files"])
            )
