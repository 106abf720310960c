"""The portal's backup: the database's content and the private attachments in one file.

A backup is a zip file, readable only by its owner (it holds personal data):

    manifest.json    format, when, the migrations applied, rows per table, SHA-256 sums
    data.json        every table as a Django fixture: ids as they are, times to the
                     microsecond (Django's own JSON keeps milliseconds)
    private/<name>   each attachment that an application refers to, read from and
                     restored to the "private" storage (settings.STORAGES)

Sessions (logins) and the derived search data (the lexeme table) are left out; the
restore rebuilds the search data. The database is read in one REPEATABLE READ
transaction on PostgreSQL, so the tables agree with each other even while the portal runs.

`restore` loads a backup into an empty, migrated database in one transaction: nothing
is half-restored.
"""

import datetime
import hashlib
import io
import json
import os
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.cache import caches
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cases.models import SearchLexeme
from cases.search import update_search_vector

from . import privacy
from .models import VersionCounter

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
FILES = "private/"
# Not content: logins, what the restore derives from the cases again, and the counts of
# changes (the restore's own loading counts anew, in a new series).
LEFT_OUT = {Session, SearchLexeme, VersionCounter}
# What `migrate` itself creates in an empty database, and the counts of changes; anything
# else means it is in use.
MADE_BY_MIGRATE = {ContentType, Permission, Group, Session, SearchLexeme, VersionCounter}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Danish."""


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: DjangoJSONEncoder cuts them to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def content_models():
    """The models to back up, in an order that loads (dependencies first)."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.managed and not model._meta.proxy and model not in LEFT_OUT
    ]


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _consistent_read():
    """One snapshot of the whole database while it is read."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test); its snapshot is what we get
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup(path):
    """Write a backup to `path` (which must not exist); returns the manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"Filen {path} findes allerede; vælg et nyt navn.")
    if not path.parent.is_dir():
        raise BackupError(f"Mappen {path.parent} findes ikke.")
    # mkstemp makes the file readable by its owner only.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".portal-backup-")
    try:
        with os.fdopen(handle, "wb") as raw, _consistent_read():
            manifest = _write(raw)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest


def _write(raw):
    models = content_models()
    data = io.StringIO()
    serializers.serialize(
        "json",
        (obj for model in models for obj in model._base_manager.order_by("pk").iterator()),
        stream=data,
        cls=PreciseJSONEncoder,
    )
    data = data.getvalue().encode()
    storage = privacy.private_storage()
    names = set()
    for holder in privacy.holders():
        names.update(holder.private_files())
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
        "rows": {model._meta.label: model._base_manager.count() for model in models},
        "data_sha256": _sha256(data),
        "files": {},
        "missing_files": [],
    }
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA, data)
        for name in sorted(names):
            try:
                with storage.open(name, "rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                manifest["missing_files"].append(name)
                continue
            manifest["files"][name] = _sha256(content)
            archive.writestr(FILES + name, content)
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _safe_name(name):
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts or "\\" in name:
        raise BackupError(f"Sikkerhedskopien indeholder et ugyldigt filnavn: {name!r}.")
    return name


def read_manifest(archive):
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError("Filen er ikke en sikkerhedskopi fra portalen.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Ukendt format for sikkerhedskopien: {manifest.get('format')!r}.")
    return manifest


def rows_in_use():
    """{table label: rows} for the tables that an empty, migrated database has no rows in."""
    used = {}
    for model in content_models():
        if model in MADE_BY_MIGRATE:
            continue
        count = model._base_manager.count()
        if count:
            used[model._meta.label] = count
    return used


def restore(path):
    """Load the backup at `path` into this (empty, migrated) database and the private
    folder. Returns (manifest, notes): notes are Danish lines worth telling."""
    notes = []
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Kan ikke læse {path}: {error}") from error
    with archive:
        manifest = read_manifest(archive)
        applied = {tuple(m) for m in MigrationRecorder(connection).applied_migrations()}
        needed = {tuple(m) for m in manifest["migrations"]}
        if needed - applied:
            missing = ", ".join(f"{app}.{name}" for app, name in sorted(needed - applied))
            raise BackupError(
                "Databasen mangler migreringer, som sikkerhedskopien er lavet med: "
                f"{missing}. Kør `manage.py migrate` (med samme eller nyere version af "
                "portalen) og prøv igen."
            )
        if applied - needed:
            notes.append(
                "Databasen har nyere migreringer end sikkerhedskopien; indholdet indlæses "
                "i den nyere struktur."
            )
        used = rows_in_use()
        if used:
            listed = ", ".join(f"{label}: {count}" for label, count in sorted(used.items()))
            raise BackupError(
                "Databasen er ikke tom, så intet er gendannet. Gendan kun i en tom, migreret "
                f"database. Rækker fundet: {listed}."
            )
        data = archive.read(DATA)
        if _sha256(data) != manifest["data_sha256"]:
            raise BackupError("Sikkerhedskopiens data er beskadiget (kontrolsummen passer ikke).")
        files = {_safe_name(name): digest for name, digest in manifest["files"].items()}
        contents = {name: archive.read(FILES + name) for name in files}
        for name, digest in files.items():
            if _sha256(contents[name]) != digest:
                raise BackupError(f"Bilaget {name} i sikkerhedskopien er beskadiget.")
        with transaction.atomic():
            _load(data)
            _check_rows(manifest)
            update_search_vector(None)
            # Last, so a failure before leaves no files behind.
            written = _write_files(contents)
        if written:
            notes.append(f"{written} bilag lagt i {privacy.describe_private_storage()}.")
        if manifest.get("missing_files"):
            notes.append(
                f"{len(manifest['missing_files'])} bilag manglede allerede, da kopien blev "
                "taget: " + ", ".join(manifest["missing_files"])
            )
    for alias in caches:
        try:
            caches[alias].clear()
        except Exception as error:  # noqa: BLE001 - the restore itself is done and committed
            notes.append(f"Cachen „{alias}“ kunne ikke tømmes ({error}); tøm den selv.")
    return manifest, notes


def _load(data):
    # Django's own rows (content types, permissions) come back with their ids, so every
    # reference to them in the backup still points right.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / DATA
        fixture.write_bytes(data)
        call_command("loaddata", str(fixture), verbosity=0)
    ContentType.objects.clear_cache()
    # Models newer than the backup get their content types and permissions now.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)


def _check_rows(manifest):
    for label, expected in manifest["rows"].items():
        try:
            model = apps.get_model(label)
        except LookupError:
            raise BackupError(f"Tabellen {label} findes ikke i denne version.") from None
        found = model._base_manager.count()
        if found < expected:
            raise BackupError(f"{label}: {expected} rækker i kopien, men {found} gendannet.")


def _write_files(contents):
    storage = privacy.private_storage()
    written = 0
    for name, content in sorted(contents.items()):
        try:
            if storage.exists(name):
                with storage.open(name, "rb") as handle:
                    if handle.read() == content:
                        continue
                raise BackupError(f"Filen {name} findes allerede med et andet indhold.")
            # The storage refuses a name that leaves its location.
            saved = storage.save(name, ContentFile(content))
        except SuspiciousFileOperation as error:
            raise BackupError(
                f"Sikkerhedskopien indeholder et ugyldigt filnavn: {name!r}."
            ) from error
        if saved != name:
            raise BackupError(f"Bilaget {name} blev gemt som {saved}; navnet var optaget.")
        written += 1
    return written
