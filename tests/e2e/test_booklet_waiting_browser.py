"""The page that waits for a booklet, in a real browser: its automatic reload can be
turned off (WCAG 2.2.1), and the page without it has no WCAG 2.1 A/AA violations; nor has
the page that says booklets cannot be made while the queue is down."""

import socket

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_orders(settings, tmp_path):
    """Orders go to kombu's in-memory broker and no worker takes them: the booklet stays
    "being made" for as long as the test looks at its page."""
    settings.STORAGES = {
        **settings.STORAGES,
        "booklets": {**settings.STORAGES["booklets"], "OPTIONS": {"location": tmp_path}},
    }
    settings.BOOKLET_WAIT_SECONDS = 0
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="memory://", task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def test_the_user_stops_the_reloading_and_checks_by_hand(
    live_server, page, make_case, held_orders, axe_violations, settings
):
    settings.BOOKLET_REFRESH_SECONDS = 1
    case = make_case("Seniorsamtaler om livsfaser")
    page.goto(live_server.url + reverse("booklets:case_pdf", args=[case.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit hæfte bliver lavet")

    page.get_by_role("link", name="Stop den automatiske opdatering").click()

    expect(page.get_by_role("status")).to_contain_text("Den automatiske opdatering er slået fra")
    page.evaluate("() => { window.notReloaded = true; }")
    page.wait_for_timeout(2500)  # longer than the refresh interval
    assert page.evaluate("() => window.notReloaded === true")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Se om hæftet er klar").click()
    expect(page.get_by_role("link", name="Se om hæftet er klar")).to_be_visible()
    assert "stop=1" in page.url


def test_the_queue_down_page_has_no_wcag_violations(
    live_server, page, make_case, held_orders, axe_violations
):
    case = make_case("Seniorsamtaler om livsfaser")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.conf.update(broker_url=f"redis://127.0.0.1:{closed}/0")
    app._pool = None
    app.amqp._producer_pool = None

    response = page.goto(live_server.url + reverse("booklets:case_pdf", args=[case.slug]))

    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Hæfter kan ikke laves lige nu")
    assert axe_violations(page) == []
