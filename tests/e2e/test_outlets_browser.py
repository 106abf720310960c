"""Content flowing out, in a browser that enforces the Content-Security-Policy: an intranet on
another origin frames the embeddable list (and cannot frame the case list), and a case's
"Kopiér link" puts its address in the clipboard (issue 16)."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from .test_csp_browser import RECORD_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def outlet_library(make_case, make_theme, make_region, make_sector, settings, live_server):
    settings.SITE_URL = live_server.url
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    ledelse = make_theme("Ledelse", slug="ledelse")
    region, sector = make_region("Region Nordjylland"), make_sector("Sygehus")
    return {
        "flyvere": make_case(
            "Flyverkorps i hjemmeplejen", themes=[fuldtid], region=region, sector=sector
        ),
        "coaching": make_case(
            "Coaching for ledere", themes=[ledelse], region=region, sector=sector
        ),
    }


@pytest.fixture
def enforcing_context(browser):
    """A context that enforces CSP and frame policies (the shared one bypasses CSP)."""
    contexts = []

    def make(**kwargs):
        context = browser.new_context(locale="da-DK", **kwargs)
        context.add_init_script(RECORD_VIOLATIONS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def intranet():
    """An intranet page on another origin (127.0.0.1 on a port of its own; the live server
    is localhost) that frames `?src=`."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            src = html.escape(parse_qs(urlsplit(self.path).query)["src"][0])
            body = (
                '<!DOCTYPE html><html lang="da"><head><title>Intranet</title></head><body>'
                f'<h1>Vores intranet</h1><iframe src="{src}" title="Cases" '
                'width="600" height="500"></iframe></body></html>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/intranet/"
    server.shutdown()
    server.server_close()


def intranet_page(context, intranet, frame_src):
    page = context.new_page()
    page.goto(f"{intranet}?{urlencode({'src': frame_src})}")
    page.wait_for_load_state("load")
    return page


def test_an_intranet_on_another_origin_shows_the_embedded_list(
    live_server, enforcing_context, intranet, outlet_library
):
    embed = f"{live_server.url}/cases/indlejr/?theme=fuldtid"
    page = intranet_page(enforcing_context(), intranet, embed)

    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Flyverkorps i hjemmeplejen")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(frame.get_by_role("link", name="Coaching for ledere")).to_have_count(0)
    expect(frame.get_by_role("heading", level=1)).to_have_text("Cases fra Regionalt arbejdsliv")
    embedded = next(f for f in page.frames if "/cases/indlejr/" in f.url)
    assert embedded.evaluate("window.__cspViolations") == []


def test_an_intranet_cannot_frame_the_case_list(
    live_server, enforcing_context, intranet, outlet_library
):
    page = intranet_page(enforcing_context(), intranet, f"{live_server.url}/cases/")
    page.wait_for_timeout(500)

    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Gode erfaringer fra praksis")).to_have_count(0)
    expect(frame.get_by_role("link", name="Flyverkorps i hjemmeplejen")).to_have_count(0)


def test_the_embedded_list_passes_axe(live_server, page, outlet_library, axe_violations):
    page.goto(f"{live_server.url}/cases/indlejr/")
    expect(page.get_by_role("link", name="Coaching for ledere")).to_be_visible()
    assert axe_violations(page) == []


def test_copy_button_puts_the_case_address_in_the_clipboard(
    live_server, enforcing_context, outlet_library
):
    context = enforcing_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    case = outlet_library["flyvere"]
    address = live_server.url + case.get_absolute_url()
    page.goto(address)

    page.get_by_role("button", name="Kopiér link til casen").click()

    expect(page.locator("#share-status")).to_have_text("Linket er kopieret.")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert page.evaluate("window.__cspViolations") == []


def test_share_links_work_without_javascript(live_server, enforcing_context, outlet_library):
    page = enforcing_context(java_script_enabled=False).new_page()
    case = outlet_library["coaching"]
    address = live_server.url + case.get_absolute_url()
    page.goto(address)

    expect(page.get_by_role("link", name=address)).to_have_attribute("href", address)
    expect(page.get_by_role("button", name="Kopiér link til casen")).to_be_hidden()
    expect(page.get_by_role("link", name="Del på LinkedIn")).to_have_attribute(
        "href",
        "https://www.linkedin.com/sharing/share-offsite/?url="
        + address.replace(":", "%3A").replace("/", "%2F"),
    )
    mail = page.get_by_role("link", name="Send som e-mail").get_attribute("href")
    assert mail.startswith("mailto:?subject=Coaching%20for%20ledere&body=")


def test_embed_snippet_and_share_links_pass_axe_and_fit_a_phone(
    live_server, page, outlet_library, axe_violations
):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/cases/?theme=fuldtid")
    page.get_by_text("Indlejr på jeres intranet").click()
    snippet = page.get_by_label("HTML-kode til jeres intranet")
    expect(snippet).to_be_visible()
    assert f"{live_server.url}/cases/indlejr/?theme=fuldtid" in snippet.input_value()
    assert axe_violations(page) == []

    page.goto(live_server.url + outlet_library["flyvere"].get_absolute_url())
    expect(page.get_by_role("heading", name="Del casen")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(page) == []
