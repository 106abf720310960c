"""One limiter for what a client may repeat only so often: password guesses and fresh
PDF renders.

Counts live in the "default" cache, which every worker process shares (the database
cache unless CACHE_BACKEND says otherwise), so four gunicorn workers allow what one
would. Each count is the list of times of the recent events under one key; an event
older than the limit's window drops out. Reading and writing the list is not atomic on
the database cache: requests that arrive at the very same moment may each get one more
try, so the bound is the limit plus the number of workers, not unbounded.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


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

    def _cache_key(self, key):
        digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:40]
        return f"ratelimit:{self.name}:{digest}"

    def _recent(self, key, now):
        times = caches["default"].get(self._cache_key(key)) or []
        return [t for t in times if now - t < self.seconds]

    def retry_after(self, key):
        """Seconds until another event is allowed for `key`; 0 when it is allowed now."""
        now = time.time()
        times = self._recent(key, now)
        if len(times) < self.count:
            return 0
        if self.count <= 0:  # nothing allowed at all
            return self.seconds
        return max(1, int(times[-self.count] + self.seconds - now) + 1)

    def hit(self, key):
        """Count one event for `key`."""
        now = time.time()
        times = [*self._recent(key, now), now][-max(1, self.count) :]
        caches["default"].set(self._cache_key(key), times, self.seconds)

    def clear(self, key):
        caches["default"].delete(self._cache_key(key))


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
