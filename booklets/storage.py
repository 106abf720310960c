"""Where rendered booklets are kept: the "booklets" storage (settings.STORAGES).

Every app server and queue worker must see the same storage: the local disk only serves
one machine (or a volume they all mount); S3 and the like through django-storages
(README, "Hæfter i en opgavekø"). A booklet's name is a hash of what decides its bytes,
so a name is never reused for other content.
"""

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage, storages

SUFFIX = ".pdf"
MAX_AGE_SECONDS = 7 * 24 * 3600
MAX_FILES = 500


class BookletFileStorage(FileSystemStorage):
    """The local disk, written atomically.

    A PDF appears under its name only when it is whole (written beside it, then renamed),
    so a web server that polls for it never sends half a file. Saving a name that exists
    replaces it: the same name means the same booklet.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        handle, temp_path = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as temp_file:
                for chunk in content.chunks():
                    temp_file.write(chunk)
            os.chmod(temp_path, self.file_permissions_mode or 0o644)
            os.replace(temp_path, full_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)
            raise
        return name


def booklet_storage():
    return storages["booklets"]


def name_for(key):
    return f"{key}{SUFFIX}"


def prune(storage, now):
    """Drop booklets older than a week, and the oldest beyond MAX_FILES.

    Only on the local disk, where listing is cheap; an object store expires them by its
    own lifecycle rule (README).
    """
    if not isinstance(storage, FileSystemStorage):
        return
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return
    entries = []
    for name in files:
        if not name.endswith(SUFFIX):
            continue
        try:
            modified = storage.get_modified_time(name).timestamp()
        except FileNotFoundError:
            continue
        if now - modified > MAX_AGE_SECONDS:
            storage.delete(name)
        else:
            entries.append((modified, name))
    entries.sort()
    for _modified, name in entries[: max(0, len(entries) - MAX_FILES)]:
        storage.delete(name)
