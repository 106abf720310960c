"""What more than one app server must agree on: version counters in the database, and
rate-limit counts in the shared cache (Redis when configured, else the database)."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from portal.models import VersionCounter
from portal.ratelimit import Limit

PROJECT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database is one connection's at a time",
)
NEEDS_REDIS = "needs a Redis server: set REDIS_URL (.ci/run starts one)"


@pytest.mark.django_db
def test_a_version_counter_counts_in_the_changes_transaction():
    before = VersionCounter.read("test")
    VersionCounter.bump("test")
    first = VersionCounter.read("test")
    with pytest.raises(RuntimeError), transaction.atomic():
        VersionCounter.bump("test")
        assert VersionCounter.read("test") != first
        raise RuntimeError("the change fails")
    assert before == "0"
    assert first != before
    assert VersionCounter.read("test") == first
    VersionCounter.bump("test")
    assert VersionCounter.read("test") not in (before, first)


@pytest.mark.django_db
def test_a_loaded_counter_starts_a_new_series_so_no_version_repeats(tmp_path):
    VersionCounter.bump("test")
    seen = VersionCounter.read("test")
    fixture = tmp_path / "counter.json"
    call_command("dumpdata", "portal.versioncounter", output=str(fixture), verbosity=0)
    VersionCounter.bump("test")

    call_command("loaddata", str(fixture), verbosity=0)

    loaded = VersionCounter.read("test")
    assert loaded.split(".")[1] == seen.split(".")[1]
    assert loaded != seen


def hit_from_threads(limit, key, threads, hits):
    """Each thread counts `hits` events with its own database connection."""
    failures = []

    def work():
        try:
            for _ in range(hits):
                limit.hit(key)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_database_cache_loses_no_concurrent_event(settings):
    settings.CACHES = {
        **settings.CACHES,
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        },
    }
    call_command("createcachetable", database="default", verbosity=0)
    limit = Limit("test-concurrent", 1000, 600, cache_alias="database")
    hit_from_threads(limit, "10.0.0.1", threads=8, hits=15)
    assert limit.events("10.0.0.1") == 120


def test_a_window_opens_with_the_first_event_and_locks_at_the_limit(settings):
    settings.CACHES = {
        **settings.CACHES,
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    limit = Limit("test-window", 3, 300, cache_alias="memory")
    assert [limit.hit("a") for _ in range(3)] == [1, 2, 3]
    assert limit.retry_after("b") == 0
    assert 295 <= limit.retry_after("a") <= 300
    limit.clear("a")
    assert limit.retry_after("a") == 0


@pytest.fixture
def two_servers(settings):
    """Two cache aliases on the same Redis server: two app servers' own clients."""
    from django.core.cache import caches

    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {**settings.CACHES, "server_a": redis, "server_b": dict(redis)}
    keys = [key for name in ("test-servers", "test-redis") for key in _keys(name)]
    caches["server_a"].delete_many(keys)
    yield "server_a", "server_b"
    caches["server_a"].delete_many(keys)


def _keys(name):
    return Limit(name, 1, 1)._cache_keys("10.0.0.2")


HIT_IN_ANOTHER_PROCESS = """
import django
django.setup()
from portal.ratelimit import Limit
for _ in range(3):
    Limit("test-servers", 5, 600).hit("10.0.0.2")
print("ok")
"""


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason=NEEDS_REDIS)
def test_two_servers_and_another_process_see_the_same_limiter_counts(two_servers):
    server_a, server_b = two_servers
    on_a = Limit("test-servers", 5, 600, cache_alias=server_a)
    on_b = Limit("test-servers", 5, 600, cache_alias=server_b)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "CACHE_URL": REDIS_URL}
    result = subprocess.run(
        [sys.executable, "-c", HIT_IN_ANOTHER_PROCESS],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    assert on_a.events("10.0.0.2") == on_b.events("10.0.0.2") == 3
    on_a.hit("10.0.0.2")
    on_b.hit("10.0.0.2")
    assert on_a.retry_after("10.0.0.2") > 0
    assert on_b.retry_after("10.0.0.2") > 0


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason=NEEDS_REDIS)
def test_the_limiter_is_exact_under_concurrent_events_on_redis(two_servers):
    server_a, server_b = two_servers
    on_a = Limit("test-redis", 10_000, 600, cache_alias=server_a)
    on_b = Limit("test-redis", 10_000, 600, cache_alias=server_b)
    threads = [
        threading.Thread(target=lambda limit=limit: [limit.hit("10.0.0.2") for _ in range(50)])
        for limit in (on_a, on_b) * 4
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert on_a.events("10.0.0.2") == 400
