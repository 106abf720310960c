"""One limiter for what a client may repeat only so often: password guesses and fresh
PDF renders.

Counts live in the "default" cache, which every app server and worker process shares
(Redis when CACHE_URL or REDIS_URL is set, else a table in the database), so four
gunicorn workers on two machines allow what one would. A key's window opens with its
first event and lasts the limit's `seconds`; the events in it are one counter, counted
with `cache.add` and `cache.incr`. On Redis the increment is atomic. The database cache
reads and writes instead, so there the increment runs in a transaction that first locks
the counter's row: concurrent events wait for each other, and none is lost.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
    address the outermost trusted proxy put in X-Forwarded-For."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",")]
    forwarded = [ip for ip in forwarded if ip]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `seconds` for each key."""

    name: str
    count: int
    seconds: int
    cache_alias: str = "default"

    @property
    def cache(self):
        return caches[self.cache_alias]

    def _cache_keys(self, key):
        digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:40]
        base = f"ratelimit:{self.name}:{digest}"
        return f"{base}:start", f"{base}:count"

    def events(self, key):
        """The events counted for `key` in its current window."""
        return self.cache.get(self._cache_keys(key)[1]) or 0

    def retry_after(self, key):
        """Seconds until another event is allowed for `key`; 0 when it is allowed now."""
        start_key, count_key = self._cache_keys(key)
        found = self.cache.get_many([start_key, count_key])
        if found.get(count_key, 0) < self.count:
            return 0
        started = found.get(start_key, time.time())
        return max(1, math.ceil(started + self.seconds - time.time()))

    def hit(self, key):
        """Count one event for `key`; the number of events in its window, this one included."""
        start_key, count_key = self._cache_keys(key)
        now = time.time()
        self.cache.add(start_key, now, self.seconds)
        self.cache.add(count_key, 0, self.seconds)
        return self._increment(start_key, count_key, now)

    def _increment(self, start_key, count_key, now):
        cache = self.cache
        if not isinstance(cache, DatabaseCache):
            try:
                return cache.incr(count_key)
            except ValueError:  # the window closed between add() and incr()
                cache.add(count_key, 0, self.seconds)
                return cache.incr(count_key)
        database = router.db_for_write(cache.cache_model_class)
        table = connections[database].ops.quote_name(cache._table)
        with transaction.atomic(using=database), connections[database].cursor() as cursor:
            # A write first: it holds the row (PostgreSQL) or the database (SQLite) until
            # the transaction ends, so the read below sees every earlier increment.
            cursor.execute(
                f"UPDATE {table} SET expires = expires WHERE cache_key = %s",
                [cache.make_and_validate_key(count_key)],
            )
            found = cache.get_many([start_key, count_key])
            events = found.get(count_key, 0) + 1
            left = found.get(start_key, now) + self.seconds - time.time()
            cache.set(count_key, events, max(1, math.ceil(left)))
            return events

    def clear(self, key):
        self.cache.delete_many(self._cache_keys(key))


def login_limits():
    """Failed logins, per account name and per client address; admin and applicant login
    count together."""
    return (
        Limit("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_LOCK_SECONDS),
        Limit("login-client", settings.LOGIN_FAILURES_PER_CLIENT, settings.LOGIN_LOCK_SECONDS),
    )


def _login_keys(request, identifier):
    return ((identifier or "").strip().lower(), client_ip(request))


def login_retry_after(request, identifier):
    """Seconds until `identifier` may try a password again from this client (0: now)."""
    return max(
        limit.retry_after(key)
        for limit, key in zip(login_limits(), _login_keys(request, identifier), strict=True)
    )


def login_failed(request, identifier):
    for limit, key in zip(login_limits(), _login_keys(request, identifier), strict=True):
        limit.hit(key)


def login_locked_message(seconds):
    minutes = max(1, round(seconds / 60))
    when = "om et minut" if minutes == 1 else f"om {minutes} minutter"
    return (
        "For mange mislykkede loginforsøg. Af hensyn til sikkerheden er login spærret "
        f"et stykke tid. Prøv igen {when}."
    )


def render_limit():
    return Limit("pdf-render", settings.PDF_RENDERS_PER_CLIENT, settings.PDF_RENDER_WINDOW_SECONDS)
