"""Personal data held by the portal: export it, erase it, and let it expire.

Every app that stores personal data registers a `PersonalDataHolder` from its
`AppConfig.ready()`. The commands `export_personal_data`, `delete_personal_data` and
`apply_retention` and the applicant's own account deletion go through all registered
holders, so a new app (the workshops and their registrations) only adds a holder. The
account itself (user, e-mail addresses) is handled here, after the holders.

Files are deleted only after the transaction commits: a rollback never leaves rows that
point at missing files. Private files are reached only through the "private" storage
(settings.STORAGES), so they may live on a shared volume or in an object store.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A private file that no row refers to is left alone this long: an upload
# is written to disk before the row that refers to it is committed.
ORPHAN_GRACE = datetime.timedelta(days=1)


class PersonalDataHolder:
    """What one app holds on people. Subclass, override what applies, and `register()`."""

    # The key of this holder's part of an export.
    key = ""

    def export(self, subject):
        """Everything held on `subject`, as JSON-ready values."""
        return []

    def erase(self, subject, report):
        """Remove or anonymise what is held on `subject`; note it in `report`."""

    def apply_retention(self, now, report):
        """Anonymise or delete what has been kept past this holder's retention period at
        `now` (each holder has its own period); note it in `report`."""

    def private_files(self):
        """Names (in the "private" storage) of the private files still in use."""
        return set()


_holders = []


def register(holder):
    """Add a holder (an instance) once; returns it."""
    if not any(type(existing) is type(holder) for existing in _holders):
        _holders.append(holder)
    return holder


def unregister(holder):
    if holder in _holders:
        _holders.remove(holder)


def holders():
    return list(_holders)


@dataclass
class Subject:
    """The person asked about: an e-mail address and the account it belongs to, if any."""

    email: str
    user: object = None

    @classmethod
    def find(cls, email):
        email = email.strip()
        user = (
            get_user_model()
            .objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
            .distinct()
            .first()
        )
        return cls(email=email, user=user)

    @property
    def emails(self):
        """The address asked about and every address of the account, lower-cased."""
        found = {self.email.lower()}
        if self.user is not None:
            if self.user.email:
                found.add(self.user.email.lower())
            found.update(
                e.lower() for e in self.user.emailaddress_set.values_list("email", flat=True)
            )
        return sorted(found)

    def email_q(self, *fields):
        """Q matching rows where any of `fields` holds one of the subject's addresses."""
        query = Q(pk__in=[])
        for name in fields:
            for email in self.emails:
                query |= Q(**{f"{name}__iexact": email})
        return query


@dataclass
class Report:
    """What an erase or a retention run did, in Danish lines, and files to delete."""

    lines: list = field(default_factory=list)
    files: set = field(default_factory=set)

    def add(self, line):
        self.lines.append(line)

    def delete_files_later(self, names):
        self.files.update(name for name in names if name)

    def delete_files(self):
        deleted = 0
        storage = private_storage()
        for name in sorted(self.files):
            try:
                if not storage.exists(name):
                    continue
                storage.delete(name)
                deleted += 1
            except SuspiciousFileOperation:
                # Never outside the private folder, whatever a row says: the storage
                # refuses a name that leaves its location.
                logger.warning("Filnavnet %r peger uden for det private filområde", name)
            except OSError:
                logger.exception("Kunne ikke slette filen %s", name)
        return deleted


def private_storage():
    """Where applicants' attachments are kept: STORAGES["private"]."""
    return storages["private"]


def describe_private_storage():
    """Where the private files are, in words for a person: a folder or a backend."""
    storage = private_storage()
    if isinstance(storage, FileSystemStorage):
        return str(Path(storage.location))
    return f"lageret „private“ ({type(storage).__name__})"


def rows(queryset, exclude=()):
    """Rows as plain dicts (`model`, `pk`, `fields`) for a JSON export."""
    data = serializers.serialize("python", queryset)
    for row in data:
        for name in exclude:
            row["fields"].pop(name, None)
    return data


def export(subject):
    """Everything the portal holds on `subject`, as one JSON-ready dict."""
    data = {
        "e_mail": subject.email,
        "eksporteret": timezone.now(),
        "konto": None,
        "e_mailadresser": [],
    }
    if subject.user is not None:
        user = subject.user
        # The password is kept only as a one-way hash; it is no use to anyone and stays out.
        data["konto"] = rows([user], exclude=["password", "user_permissions"])[0]
        data["konto"]["fields"]["groups"] = list(user.groups.values_list("name", flat=True))
        data["e_mailadresser"] = rows(user.emailaddress_set.order_by("pk"))
    for holder in holders():
        data[holder.key] = holder.export(subject)
    return data


def erase(subject):
    """Remove the account of `subject` and anonymise everything else held on them.

    One transaction; the files go after it commits. Returns the Report.
    """
    report = Report()
    with transaction.atomic():
        for holder in holders():
            holder.erase(subject, report)
        if subject.user is not None:
            subject.user.delete()
            report.add(f"Kontoen {subject.user.email or subject.email} er slettet.")
        transaction.on_commit(report.delete_files)
    if not report.lines:
        report.add(f"Portalen har ingen persondata om {subject.email}.")
    return report


def retention_cutoff(now=None):
    """The moment before which kept data expires, or None when expiry is turned off."""
    years = settings.RETENTION_YEARS
    if not years:
        return None
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def apply_retention(now=None, dry_run=False):
    """Anonymise what is older than the retention period, delete orphaned private files
    and expired sessions. Running it again changes nothing more."""
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    report = Report()
    with transaction.atomic():
        for holder in holders():
            holder.apply_retention(now, report)
        orphans = orphaned_files(now)
        report.delete_files_later(orphans)
        if orphans:
            report.add(
                f"{len(orphans)} fil(er) slettet fra det private filområde "
                "(intet henviser til dem)."
            )
        expired = Session.objects.filter(expire_date__lt=now)
        sessions = expired.count()
        expired.delete()
        if sessions:
            report.add(f"{sessions} udløbne session(er) slettet.")
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(report.delete_files)
            transaction.on_commit(remove_empty_folders)
    if not report.lines:
        report.add("Intet at gøre: intet er ældre end opbevaringsperioden.")
    return report


def orphaned_files(now=None):
    """Private files that no holder refers to and that are not brand new."""
    storage = private_storage()
    in_use = set()
    for holder in holders():
        in_use.update(holder.private_files())
    newest_allowed = (now or timezone.now()) - ORPHAN_GRACE
    found = set()
    for name in stored_files(storage):
        if name in in_use:
            continue
        try:
            modified = storage.get_modified_time(name)
        except FileNotFoundError:
            continue  # deleted meanwhile
        if modified < newest_allowed:
            found.add(name)
    return found


def stored_files(storage, folder=""):
    """Names of every file in `storage` under `folder`, through the storage's listdir."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        yield f"{folder}{filename}"
    for name in folders:
        yield from stored_files(storage, f"{folder}{name}/")


def remove_empty_folders():
    """Remove the folders that deleting files left empty, on a local disk only: an object
    store has no folders."""
    storage = private_storage()
    if not isinstance(storage, FileSystemStorage):
        return
    root = Path(storage.location)
    if not root.is_dir():
        return
    for folder, _dirs, _files in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        path = Path(folder)
        if path != root and not any(path.iterdir()):
            path.rmdir()
