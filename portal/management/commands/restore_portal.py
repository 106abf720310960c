from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Gendanner en sikkerhedskopi fra backup_portal i en tom, migreret database: indhold, "
        "bilag og søgeindeks. Alt eller intet: ved en fejl gendannes intet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Sikkerhedskopien (zip-fil fra backup_portal).")

    def handle(self, *args, file, **options):
        try:
            manifest, notes = backup.restore(file)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Gendannet fra {file} (taget {manifest['created']}): {rows} rækker fra "
            f"{len(manifest['rows'])} tabeller og {len(manifest['files'])} bilag. "
            "Søgeindekset er bygget igen."
        )
        for note in notes:
            self.stdout.write(note)
