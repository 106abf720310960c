"""Booklets are laid out by the task queue's workers; the web request only asks for one.

A request describes its booklet as a `BookletOrder` (the cases in order, the texts, the
date) and names it by a key: a hash of the order, the cases' versions and what else
decides the PDF's bytes. Then:

1. the PDF is in the booklet storage under that name: it is sent;
2. else the key is marked "being made" in the shared cache. `cache.add` sets the mark only
   when it is not there, so of two clicks, or of two app servers, exactly one sends the
   order to the queue (booklets.tasks.render_booklet); the mark expires after
   BOOKLET_RENDER_TIMEOUT, should a worker die;
3. the request waits a moment (BOOKLET_WAIT_SECONDS) for the PDF to appear, and otherwise
   answers with a page that reloads itself until it does.

The worker lays the booklet out (booklets.pdf), saves it in the storage and takes the mark
away; if it fails, it leaves a "failed" mark instead, so the page says so rather than
reloading for ever. Everything that several servers must agree on is in the storage or in
the "default" cache, never in a process.
"""

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cases.models import Case
from portal import ratelimit
from portal.models import Theme, ThemeGroup

from .booklet import build_booklet, case_booklet
from .pdf import render_pdf, renderer_fingerprint
from .storage import booklet_storage, name_for, prune

POLL_SECONDS = 0.1
#: What sending an order raises when the queue cannot take it: kombu's OperationalError
#: for Redis (connection refused, connect or read timeout, a wrong server; each seen
#: against a real closed port or mute socket), a plain OSError from the filesystem
#: transport of `make run` (its folder missing or not writable).
QUEUE_ERRORS = (OperationalError, OSError)
#: What the shared cache (the marks, the render limit) raises when its Redis cannot be
#: reached: Django's RedisCache lets redis-py's errors through.
CACHE_ERRORS = (RedisConnectionError, RedisTimeoutError)

logger = logging.getLogger(__name__)


class NothingToPrint(Exception):
    """None of an order's cases is published any more."""


class QueueUnavailable(Exception):
    """The order could not be put on the queue: its broker cannot be reached."""


@dataclass(frozen=True)
class BookletOrder:
    """What a booklet is made of, in plain values a queue message can carry."""

    #: "selection" (a filtered list or a folder) or "case" (one case, no cover).
    kind: str
    case_ids: tuple
    #: The date printed on it, ISO format.
    day: str
    title: str = ""
    subtitle: str = ""
    intro: str = ""
    chosen_theme_ids: tuple = field(default_factory=tuple)
    section_order: str = "themes"
    selection_label: str | None = None

    def as_message(self):
        return asdict(self)

    @classmethod
    def from_message(cls, message):
        return cls(
            **{
                **message,
                "case_ids": tuple(message["case_ids"]),
                "chosen_theme_ids": tuple(message["chosen_theme_ids"]),
            }
        )

    def booklet(self):
        """The booklet, built from the database as it is now (a case unpublished since
        the order drops out)."""
        queryset = (
            Case.objects.published()
            .with_list_relations()
            .prefetch_related("themes__group")
            .filter(pk__in=self.case_ids)
        )
        by_id = {case.pk: case for case in queryset}
        cases = [by_id[pk] for pk in self.case_ids if pk in by_id]
        if not cases:
            raise NothingToPrint(f"None of the cases {self.case_ids} is published.")
        if self.kind == "case":
            return case_booklet(cases[0], day=self.day)
        themes = Theme.objects.in_bulk(self.chosen_theme_ids)
        return build_booklet(
            cases,
            title=self.title,
            subtitle=self.subtitle,
            intro=self.intro,
            chosen_themes=[themes[pk] for pk in self.chosen_theme_ids if pk in themes],
            section_order=self.section_order,
            kind=self.kind,
            selection_label=self.selection_label,
            day=self.day,
        )

    def key(self, versions):
        """The booklet's name: a hash of the order, `versions` (each case's `updated_at`,
        in the order's order), the theme groups (their names and order are printed; a
        change of a theme, region, sector or professional group touches its cases), the
        portal's address (printed as links) and the renderer (booklets' code, templates,
        fonts, library versions)."""
        taxonomy = list(ThemeGroup.objects.order_by("pk").values_list())
        text = json.dumps(
            [
                self.as_message(),
                [str(version) for version in versions],
                [list(map(str, row)) for row in taxonomy],
                settings.SITE_URL,
                renderer_fingerprint(),
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


# -- the marks in the shared cache -------------------------------------------------------


def _rendering_mark(key):
    return f"booklet:rendering:{key}"


def _failed_mark(key):
    return f"booklet:failed:{key}"


def _cache():
    return caches["default"]


def has_failed(key):
    return bool(_cache().get(_failed_mark(key)))


def forget_failure(key):
    _cache().delete(_failed_mark(key))


def stored_pdf(key):
    """The PDF's bytes from the booklet storage, or None."""
    storage = booklet_storage()
    try:
        with storage.open(name_for(key), "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


# -- the web side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Requested:
    """What asking for a booklet came to: `retry_after` seconds when this client may not
    start another fresh render yet, else 0 (sent to the queue now, or already on it)."""

    retry_after: int = 0
    sent: bool = False


def request_render(order, key, client):
    """Put the order on the queue unless it is there already or the client has had its
    share of fresh renders (portal.ratelimit, counted in the shared cache)."""
    # Imported here: the task module imports this one.
    from .tasks import render_booklet

    cache = _cache()
    if cache.get(_rendering_mark(key)) is not None:
        return Requested()
    limit = ratelimit.render_limit()
    retry_after = limit.retry_after(client)
    if retry_after:
        return Requested(retry_after=retry_after)
    if not cache.add(_rendering_mark(key), time.time(), settings.BOOKLET_RENDER_TIMEOUT):
        return Requested()  # another request sent it a moment ago
    try:
        render_booklet.delay(order.as_message(), key)
    except Exception as error:
        # Not sent: without the mark the next request orders it, instead of waiting for a
        # render nobody does until BOOKLET_RENDER_TIMEOUT.
        cache.delete(_rendering_mark(key))
        if isinstance(error, QUEUE_ERRORS):
            logger.exception("Booklet %s could not be put on the task queue", key)
            raise QueueUnavailable(str(error)) from error
        raise
    # Counted once sent: an order the queue could not take costs the client nothing.
    limit.hit(client)
    return Requested(sent=True)


def wait_for(key, seconds):
    """The PDF's bytes if it is ready within `seconds`, else None (also when it failed:
    see `has_failed`)."""
    deadline = time.monotonic() + seconds
    while True:
        pdf = stored_pdf(key)
        if pdf is not None or has_failed(key):
            return pdf
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


# -- the worker side ---------------------------------------------------------------------


def render(order, key):
    """Lay the order's booklet out and save it under `key` (in a queue worker)."""
    cache = _cache()
    try:
        pdf = render_pdf(order.booklet())
        storage = booklet_storage()
        storage.save(name_for(key), ContentFile(pdf))
        prune(storage, time.time())
    except Exception:
        # Before the "being made" mark goes: a page that polls never sees neither.
        cache.set(_failed_mark(key), True, settings.BOOKLET_FAILURE_SECONDS)
        raise
    finally:
        cache.delete(_rendering_mark(key))
