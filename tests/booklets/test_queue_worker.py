"""A real Celery worker, on a real Redis, lays out a booklet ordered through the web.

Needs REDIS_URL (a Redis this test may empty the queue of) and PostgreSQL (the worker is
another process and must reach the test database). Skipped without them, except under
CI_REQUIRE_REDIS=1, which .ci/run sets: there a missing Redis is a failure.
"""

import io
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from portal.celery import app

from .pdfs import pdf_text_pages

QUEUE = "celery"
WORKER_STARTUP_AND_RENDER_SECONDS = 120


def require(condition, reason):
    if condition:
        return
    if os.environ.get("CI_REQUIRE_REDIS") == "1":
        pytest.fail(f"{reason} (CI_REQUIRE_REDIS=1: the queue test must run)")
    pytest.skip(reason)


def worker_database_url():
    """DATABASE_URL with the name of the database the tests run in."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def redis_queue(settings):
    """The test process sends its orders to the real Redis, as a web server does."""
    url = os.environ.get("REDIS_URL", "")
    require(url, "REDIS_URL is not set: no Redis to put booklet orders on")
    require(
        connection.vendor == "postgresql",
        "the worker must see the test database: needs PostgreSQL (DATABASE_URL)",
    )
    client = redis.Redis.from_url(url)
    client.delete(QUEUE)
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    yield client
    client.delete(QUEUE)
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def start_worker(booklet_dir, log_path):
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "BOOKLET_STORAGE_DIR": str(booklet_dir),
        "SITE_URL": django_settings.SITE_URL,
        # The parts of even this small booklet in the worker's own process pool.
        "BOOKLET_RENDER_PROCESSES": "2",
        "BOOKLET_MIN_CASES_PER_PART": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker"]
    command += ["--pool", "threads", "--concurrency", "2", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command, cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def stop(worker):
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.mark.queue
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_lays_out_a_booklet_ordered_through_the_web(
    client, make_case, make_theme, redis_queue, booklet_cache, tmp_path, settings
):
    started = time.monotonic()
    settings.BOOKLET_WAIT_SECONDS = 0.5
    theme = make_theme("Kø", slug="koe")
    titles = [f"Rigtig kø {n}" for n in range(3)]
    for n, title in enumerate(titles):
        make_case(title, themes=[theme], body=f"Lagt op af en rigtig worker (markør-{n}).")
    url = f"{reverse('booklets:booklet')}?theme=koe"

    # No worker yet: both requests wait, and only one order is on the queue.
    first, second = client.get(url), client.get(url)
    assert (first.status_code, second.status_code) == (202, 202)
    assert "Dit hæfte bliver lavet" in first.content.decode()
    assert redis_queue.llen(QUEUE) == 1

    log_path = tmp_path / "worker.log"
    worker = start_worker(booklet_cache, log_path)
    try:
        deadline = time.monotonic() + WORKER_STARTUP_AND_RENDER_SECONDS
        while True:
            response = client.get(url)  # the waiting page reloading itself
            if response["Content-Type"] == "application/pdf":
                break
            assert response.status_code == 202, response.content.decode()[:500]
            assert worker.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
    finally:
        stop(worker)

    assert response.status_code == 200
    text = "\n".join(pdf_text_pages(response.content))
    assert all(title in text for title in titles)
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 3
    assert [path.read_bytes() for path in booklet_cache.glob("*.pdf")] == [response.content]
    assert redis_queue.llen(QUEUE) == 0
    assert "booklets.render" in log_path.read_text()
    print(f"real queue test: {time.monotonic() - started:.1f} s")
