"""Private storage for application attachments: the "private" storage (settings.STORAGES).

Attachments hold people's data, so they live outside MEDIA_ROOT (which `make run`
serves publicly in DEBUG) and are only handed out by a view that checks who asks.
By default they are files under the PRIVATE_MEDIA_ROOT setting (else
<BASE_DIR>/var/private-media). With more than one app server every server must reach the
same files: a volume they all mount, or an object store set as STORAGES["private"]
(README). Code reaches the files only through this storage, never by their paths.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose location is read from the settings on every use."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        default = Path(settings.BASE_DIR) / "var" / "private-media"
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", default))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private filer har ingen offentlig adresse.")


class PrivateStorage(LazyObject):
    """storages["private"], looked up when first used rather than when the model is
    imported (a FileField calls its storage callable at import), so the setting decides."""

    def _setup(self):
        self._wrapped = storages[ALIAS]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    """Follow a changed STORAGES setting, as Django does for its default_storage."""
    if setting == "STORAGES":
        private_storage._wrapped = empty


def get_private_storage():
    return private_storage
