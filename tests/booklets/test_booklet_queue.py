"""Booklets through the task queue: the web request orders, a worker lays out, the
storage keeps, the view sends.

The other booklet tests run the queue's task at once (Celery's eager mode, the test
settings' default). These hold the orders on kombu's in-memory broker instead, with no
worker, so a test can count what was sent, see the pages that wait, and then do the
worker's part with the task itself. tests/booklets/test_queue_worker.py does it all with a
real worker on a real Redis.
"""

import io
import socket
import threading
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse
from pypdf import PdfReader

from booklets.tasks import render_booklet
from portal.celery import app

from .pdfs import pdf_text_pages


class HeldQueue:
    """The default queue on the in-memory broker, read by the test instead of a worker."""

    QUEUE = "celery"

    def __len__(self):
        with app.connection_for_write() as connection:
            return connection.default_channel.queue_declare(
                queue=self.QUEUE, passive=True
            ).message_count

    def run_all(self):
        """Do what a worker does: take each order and run its task. Returns the number run."""
        done = 0
        with app.connection_for_read() as connection:
            orders = connection.SimpleQueue(self.QUEUE)
            while len(self):
                message = orders.get(timeout=1)
                assert message.headers["task"] == render_booklet.name
                args, kwargs, _embed = message.payload
                message.ack()
                render_booklet.apply(args=args, kwargs=kwargs)
                done += 1
        return done


def _reset_producers():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def held_queue(settings):
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="memory://", task_always_eager=False)
    _reset_producers()
    queue = HeldQueue()
    yield queue
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(HeldQueue.QUEUE)
    app.conf.update(saved)
    _reset_producers()


@pytest.fixture
def cases(make_case, make_theme):
    theme = make_theme("Fastholdelse", slug="fastholdelse")
    return [
        make_case(
            f"Kø-case {n}", themes=[theme], body=f"Tekst til hæftet (markør-{n}).", slug=f"koe-{n}"
        )
        for n in range(3)
    ]


def is_pdf(response):
    return response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_booklet_not_ready_gets_a_danish_waiting_page_that_reloads_without_script(
    client, cases, held_queue, settings
):
    settings.BOOKLET_WAIT_SECONDS = 0.2
    url = f"{reverse('booklets:booklet')}?theme=fastholdelse"

    response = client.get(url)

    assert response.status_code == 202
    html = response.content.decode()
    assert "<h1>Dit hæfte bliver lavet</h1>" in html
    assert f'<meta http-equiv="refresh" content="{settings.BOOKLET_REFRESH_SECONDS}">' in html
    assert 'role="status"' in html
    assert "opdaterer sig selv" in html
    assert f'href="{url.replace("&", "&amp;")}"' in html  # a plain link to try again
    assert "<script" not in html.split("</main>")[0].split("<main")[1]
    assert response["Cache-Control"] == "no-store"


def test_two_requests_for_the_same_booklet_send_one_order_and_then_get_the_pdf(
    client, cases, held_queue, settings, booklet_cache
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    url = reverse("booklets:folder_pdf")
    for case in cases:
        client.post(reverse("booklets:folder_add"), {"case": case.pk})
    other = type(client)()  # another visitor, same folder: the same booklet
    other.cookies = client.cookies

    assert client.get(url).status_code == 202
    assert other.get(url).status_code == 202  # a double click, or a second app server
    assert len(held_queue) == 1
    assert not booklet_cache.exists() or not list(booklet_cache.iterdir())

    assert held_queue.run_all() == 1

    stored = list(booklet_cache.glob("*.pdf"))
    assert len(stored) == 1  # in the configured storage
    response = client.get(url)
    assert is_pdf(response)
    assert response.content == stored[0].read_bytes()
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2
    assert "markør-2" in "\n".join(pdf_text_pages(response.content))
    assert is_pdf(other.get(url))
    assert len(held_queue) == 0  # a ready booklet is never ordered again


def test_a_booklet_that_failed_says_so_and_offers_a_retry_instead_of_reloading(
    client, cases, held_queue, settings
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    case = cases[0]
    url = reverse("booklets:case_pdf", args=[case.slug])
    assert client.get(url).status_code == 202
    # Off the portal while a worker gets to it (and back, unchanged): the task fails.
    type(case).objects.filter(pk=case.pk).update(status=case.Status.DRAFT)
    held_queue.run_all()
    type(case).objects.filter(pk=case.pk).update(status=case.Status.PUBLISHED)

    failed = client.get(url)

    assert failed.status_code == 500
    html = failed.content.decode()
    assert "<h1>Hæftet kunne ikke laves</h1>" in html
    assert 'http-equiv="refresh"' not in html
    assert f'href="{url}?igen=1"' in html
    assert len(held_queue) == 0  # nothing ordered again by itself

    case.lead = "Et nyt resumé."
    case.save()
    # The booklet of the case as it is now has another key: it is simply ordered.
    assert client.get(url).status_code == 202
    assert len(held_queue) == 1


def test_the_retry_link_forgets_the_failure_and_orders_the_booklet_again(
    client, cases, held_queue, settings
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    case = cases[1]
    url = reverse("booklets:case_pdf", args=[case.slug])
    client.get(url)
    # The case disappears and comes back unchanged (its version too): the same booklet.
    case_pk = case.pk
    updated_at = type(case).objects.get(pk=case_pk).updated_at
    type(case).objects.filter(pk=case_pk).update(status=case.Status.DRAFT)
    held_queue.run_all()
    type(case).objects.filter(pk=case_pk).update(status=case.Status.PUBLISHED)
    assert type(case).objects.get(pk=case_pk).updated_at == updated_at
    assert client.get(url).status_code == 500  # still the same key, still failed

    retry = client.get(f"{url}?igen=1")

    assert retry.status_code == 302 and retry["Location"] == url
    assert client.get(url).status_code == 202
    assert held_queue.run_all() == 1
    assert is_pdf(client.get(url))


def test_fresh_orders_count_against_the_client_limit_but_waiting_for_one_does_not(
    client, cases, held_queue, settings
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    settings.PDF_RENDERS_PER_CLIENT = 1
    first = reverse("booklets:case_pdf", args=[cases[0].slug])
    second = reverse("booklets:case_pdf", args=[cases[1].slug])

    assert client.get(first).status_code == 202
    for _reload in range(3):
        assert client.get(first).status_code == 202  # the waiting page reloading
    too_busy = client.get(second)

    assert too_busy.status_code == 429
    assert "Prøv igen om" in too_busy.content.decode()
    assert len(held_queue) == 1


def test_only_a_small_booklet_is_waited_for_a_large_one_answers_at_once(
    client, cases, held_queue, settings
):
    """A booklet too large to be ready in a moment must not hold a web worker waiting."""
    url = f"{reverse('booklets:booklet')}?theme=fastholdelse"  # three cases
    settings.BOOKLET_WAIT_SECONDS = 5
    settings.BOOKLET_WAIT_MAX_CASES = 2

    started = time.monotonic()
    response = client.get(url)
    large_took = time.monotonic() - started

    assert response.status_code == 202
    assert large_took < 4  # did not sit out the five seconds

    held_queue.run_all()
    client.get(url)  # the stored booklet
    settings.BOOKLET_WAIT_SECONDS = 0.5
    settings.BOOKLET_WAIT_MAX_CASES = 3
    other = f"{url}&sort=title"  # the same cases in another order: a new booklet
    started = time.monotonic()
    response = client.get(other)
    small_took = time.monotonic() - started

    assert response.status_code == 202
    assert small_took >= 0.5  # a small booklet is waited for


def test_the_waiting_page_offers_to_stop_reloading_and_the_stopped_page_does_not_reload(
    client, cases, held_queue, settings
):
    """WCAG 2.2.1 (F41): the user can turn the page's automatic reload off."""
    settings.BOOKLET_WAIT_SECONDS = 0.1
    url = f"{reverse('booklets:booklet')}?theme=fastholdelse"
    stopped_url = f"{url}&stop=1"

    waiting = client.get(url).content.decode()
    assert '<meta http-equiv="refresh"' in waiting
    assert f'<a href="{stopped_url.replace("&", "&amp;")}">Stop den automatiske opdatering</a>' in (
        waiting
    )
    # First thing after the heading: reachable before the page reloads.
    main = waiting[waiting.index("<h1>") :]
    assert main.index("Stop den automatiske opdatering") < main.index('role="status"')

    stopped = client.get(stopped_url)

    assert stopped.status_code == 202
    assert stopped["Cache-Control"] == "no-store"
    html = stopped.content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "Stop den automatiske opdatering" not in html
    status = html.split('<div role="status">', 1)[1].split("</div>", 1)[0]
    assert "Den automatiske opdatering er slået fra" in status
    check = f'href="{stopped_url.replace("&", "&amp;")}">Se om hæftet er klar</a>'
    assert check in html
    assert f'href="{url.replace("&", "&amp;")}">slå den automatiske opdatering til igen' in html
    assert len(held_queue) == 1  # the parameter is no new booklet: not ordered again

    assert held_queue.run_all() == 1
    ready = client.get(stopped_url)  # the user checks by hand

    assert is_pdf(ready)
    assert ready.content == client.get(url).content
    assert len(held_queue) == 0


def test_the_retry_link_of_a_stopped_page_leads_to_a_page_that_reloads_again(
    client, cases, held_queue, settings
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    case = cases[2]
    url = reverse("booklets:case_pdf", args=[case.slug])
    client.get(f"{url}?stop=1")
    type(case).objects.filter(pk=case.pk).update(status=case.Status.DRAFT)
    held_queue.run_all()
    type(case).objects.filter(pk=case.pk).update(status=case.Status.PUBLISHED)

    failed = client.get(f"{url}?stop=1")
    assert failed.status_code == 500
    assert f'href="{url}?stop=1&amp;igen=1"' in failed.content.decode()

    retry = client.get(f"{url}?stop=1&igen=1")

    assert retry.status_code == 302 and retry["Location"] == url


@contextmanager
def broker_at(url):
    """Orders go to the broker at `url` for a while (a real connection, no stand-in)."""
    saved = app.conf.broker_url
    app.conf.update(broker_url=url)
    _reset_producers()
    try:
        yield
    finally:
        app.conf.update(broker_url=saved)
        _reset_producers()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_booklet_ordered_while_the_queue_is_down_gets_a_danish_503_and_can_be_ordered_later(
    client, cases, held_queue, settings, caplog
):
    settings.BOOKLET_WAIT_SECONDS = 0.1
    settings.PDF_RENDERS_PER_CLIENT = 1
    url = reverse("booklets:case_pdf", args=[cases[0].slug])

    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        down = client.get(url)

    assert down.status_code == 503
    assert down["Retry-After"] == "120"
    assert down["Cache-Control"] == "no-store"
    html = down.content.decode()
    assert "<h1>Hæfter kan ikke laves lige nu</h1>" in html
    assert "Prøv igen om et par minutter" in html
    assert f'href="{url}">Prøv igen</a>' in html
    assert 'http-equiv="refresh"' not in html
    assert "could not be put on the task queue" in caplog.text
    assert "Connection refused" in caplog.text
    # The queue is back: no "being made" mark left to wait on, and the order that failed
    # did not count against the client's one fresh render.
    back = client.get(url)
    assert back.status_code == 202
    assert len(held_queue) == 1
    held_queue.run_all()
    assert is_pdf(client.get(url))


def test_ordering_gives_up_on_a_broker_that_never_answers_within_seconds(
    client, cases, held_queue, settings
):
    """A Redis that takes the connection and says nothing must not hold the web request
    (the socket timeouts in settings.CELERY_BROKER_TRANSPORT_OPTIONS)."""
    mute = socket.create_server(("127.0.0.1", 0))  # the kernel accepts; nobody answers
    # Without the timeouts the request would wait for ever; this makes it fail instead.
    give_up = threading.Timer(10, mute.close)
    give_up.start()
    url = reverse("booklets:case_pdf", args=[cases[1].slug])

    try:
        with broker_at(f"redis://127.0.0.1:{mute.getsockname()[1]}/0"):
            started = time.monotonic()
            response = client.get(url)
            took = time.monotonic() - started
    finally:
        give_up.cancel()
        mute.close()

    assert response.status_code == 503
    assert took < 4


def test_a_booklet_ordered_while_the_shared_cache_is_down_gets_the_same_503(
    client, cases, held_queue, settings, caplog
):
    """With REDIS_URL the render marks live in the queue's Redis: down, it is the same 503."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/1",
            "OPTIONS": settings.REDIS_SOCKET_TIMEOUTS,
        },
    }
    url = reverse("booklets:case_pdf", args=[cases[2].slug])

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "<h1>Hæfter kan ikke laves lige nu</h1>" in response.content.decode()
    assert "the shared cache cannot be reached" in caplog.text
    assert len(held_queue) == 0
