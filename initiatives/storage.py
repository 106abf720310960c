"""Private storage for application attachments.

Attachments hold people's data, so they live outside MEDIA_ROOT (which `make run`
serves publicly in DEBUG) and are only handed out by a view that checks who asks.
Location: the PRIVATE_MEDIA_ROOT setting if present, else <BASE_DIR>/var/private-media.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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


private_storage = PrivateFileSystemStorage()


def get_private_storage():
    return private_storage
