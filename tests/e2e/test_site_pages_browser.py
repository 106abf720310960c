"""The pages about the portal (contact, privacy policy, accessibility statement) and the
error pages (404, 500, 400, a failed CSRF check) in a real browser: no WCAG 2.1 A/AA
violations found by axe-core, no sideways scrolling on a phone, the footer links
reachable, and the favicon served."""

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from .test_csp_browser import csp_page, violations, visit  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "kontakt": "/kontakt/",
    "privatlivspolitik": "/privatlivspolitik/",
    "tilgaengelighed": "/tilgaengelighed/",
    "404": "/findes-slet-ikke/",
}
WIDTHS = (1280, 390)
FOOTER_LINKS = ("Kontakt", "Privatlivspolitik", "Tilgængelighedserklæring")


def fits_the_width(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def check_page(page, axe_violations, shots, name):
    assert axe_violations(page) == []
    footer = page.get_by_role("navigation", name="Om portalen")
    for text in FOOTER_LINKS:
        expect(footer.get_by_role("link", name=text, exact=True)).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fits_the_width(page), f"{name} scrolls sideways at {width} px"
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("name", PAGES)
def test_site_pages_pass_axe_and_fit_a_phone(live_server, page, axe_violations, tmp_path, name):
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == (404 if name == "404" else 200)
    expect(page.locator("html")).to_have_attribute("lang", "da")
    check_page(page, axe_violations, tmp_path, name)


@pytest.mark.parametrize(
    ("template", "status", "heading"),
    [
        ("500.html", 500, "Der skete en fejl"),
        ("400.html", 400, "Forespørgslen kan ikke bruges"),
        ("403_csrf.html", 403, "Formularen kunne ikke sendes"),
    ],
)
def test_error_pages_without_a_request_pass_axe_and_fit_a_phone(
    live_server, page, axe_violations, tmp_path, template, status, heading
):
    """Django renders these without a request context; served as Django would send them."""
    url = live_server.url + "/fejl/"
    html = render_to_string(template)
    page.route(url, lambda route: route.fulfill(status=status, body=html, content_type="text/html"))
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, axe_violations, tmp_path, template.removesuffix(".html"))


def test_the_footer_leads_to_the_accessibility_statement(live_server, page):
    page.goto(live_server.url + "/")
    footer = page.get_by_role("navigation", name="Om portalen")
    footer.get_by_role("link", name="Tilgængelighedserklæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgængelighedserklæring")
    expect(page.get_by_role("heading", name="Håndhævelsesprocedure")).to_be_visible()


def test_the_browser_gets_the_linked_favicon(live_server, page):
    page.goto(live_server.url + "/")
    for selector, content_type in (
        (
            'link[rel="icon"][type="image/svg+xml"]',
            "image/svg+xml",
        ),
        ('link[rel="icon"][type="image/png"]', "image/png"),
    ):
        href = page.locator(selector).get_attribute("href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200
        assert response.headers["content-type"].startswith(content_type)
    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.status == 200 and response.body()[:4] == b"\x00\x00\x01\x00"


def test_site_pages_keep_the_content_security_policy(live_server, csp_page):  # noqa: F811
    for name in ("kontakt", "privatlivspolitik", "tilgaengelighed"):
        assert visit(csp_page, live_server.url + PAGES[name]) == [], name
    response = csp_page.goto(live_server.url + PAGES["404"])
    assert response.status == 404
    csp_page.wait_for_load_state("load")
    assert violations(csp_page) == []
