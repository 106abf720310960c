""" "Min inspirationsmappe": a hand-picked, ordered selection of cases kept in the session.

Works without an account and without JavaScript: every change is a plain POST handled
by a view in `booklets.views`, which calls the methods here and redirects back. The
session holds only case ids, a title and an introduction; cases that are unpublished or
deleted after they were added silently drop out when the folder is read.
"""

import unicodedata

from django.utils.functional import cached_property

from cases.models import Case

SESSION_KEY = "inspiration_folder"
MAX_CASES = 100
TITLE_MAX_LENGTH = 150
INTRO_MAX_LENGTH = 3000
DEFAULT_TITLE = "Min inspirationsmappe"


# Ids of bigint range at most: a longer number is no case, and must not reach the database.
MAX_ID_DIGITS = 18


def parse_case_id(value):
    """The case id in a form's text, or None.

    ASCII digits only: `str.isdigit()` also accepts "²" (which `int()` refuses) and "١"
    (which `int()` reads as 1).
    """
    value = str(value)
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def _printable(text, keep):
    """`text` without control characters (NUL, escape codes; line breaks only where kept),
    which the booklet's fonts would print as empty boxes."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(
        char for char in text if char in keep or unicodedata.category(char) not in ("Cc", "Cs")
    )


class FolderFull(Exception):
    """Raised when a case is added to a folder that already holds MAX_CASES."""


class Folder:
    """The folder of one session. Read the session once; write back on every change."""

    def __init__(self, session):
        self.session = session
        data = session.get(SESSION_KEY) or {}
        ids = (parse_case_id(pk) for pk in data.get("ids", []))
        self.ids = [pk for pk in ids if pk is not None]
        self.title = data.get("title", "")
        self.intro = data.get("intro", "")

    @classmethod
    def for_request(cls, request):
        """The request's folder, read from the session at most once per request."""
        folder = getattr(request, "_inspiration_folder", None)
        if folder is None:
            folder = cls(request.session)
            request._inspiration_folder = folder
        return folder

    def __len__(self):
        return len(self.ids)

    def __contains__(self, case):
        return getattr(case, "pk", case) in self.id_set

    @cached_property
    def id_set(self):
        return frozenset(self.ids)

    @property
    def is_full(self):
        return len(self.ids) >= MAX_CASES

    @property
    def display_title(self):
        return self.title or DEFAULT_TITLE

    def _save(self):
        self.__dict__.pop("id_set", None)
        self.session[SESSION_KEY] = {"ids": self.ids, "title": self.title, "intro": self.intro}
        self.session.modified = True

    def add(self, case_id):
        """Add a case at the end. Returns False when it was already there."""
        if case_id in self.ids:
            return False
        if self.is_full:
            raise FolderFull
        self.ids.append(case_id)
        self._save()
        return True

    def remove(self, case_id):
        """Remove a case. Returns False when it was not there."""
        if case_id not in self.ids:
            return False
        self.ids.remove(case_id)
        self._save()
        return True

    def move(self, case_id, direction):
        """Move a case one place "up" or "down". Returns False when it could not move."""
        if case_id not in self.ids or direction not in ("up", "down"):
            return False
        index = self.ids.index(case_id)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(self.ids):
            return False
        self.ids[index], self.ids[target] = self.ids[target], self.ids[index]
        self._save()
        return True

    def set_texts(self, title, intro):
        self.title = _printable(title, keep="").strip()[:TITLE_MAX_LENGTH]
        self.intro = _printable(intro, keep="\n").strip()[:INTRO_MAX_LENGTH]
        self._save()

    def clear(self):
        self.ids = []
        self.title = ""
        self.intro = ""
        self._save()

    def cases(self, queryset=None):
        """The folder's published cases in the folder's order (one query plus prefetches).

        Ids of cases that are no longer published are pruned from the session.
        """
        if not self.ids:
            return []
        queryset = queryset if queryset is not None else Case.objects.published()
        by_id = {case.pk: case for case in queryset.filter(pk__in=self.ids)}
        cases = [by_id[pk] for pk in self.ids if pk in by_id]
        if len(cases) != len(self.ids):
            self.ids = [pk for pk in self.ids if pk in by_id]
            self._save()
        return cases
