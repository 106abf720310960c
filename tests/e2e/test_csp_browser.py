"""The Content-Security-Policy holds in a real browser: no page the public, an applicant or
the Sekretariat sees breaks it (no inline script or style anywhere, the admin included).

The other browser tests run with `bypass_csp`; these use a context of their own that
enforces the policy, and record every `securitypolicyviolation` and console report.
"""

import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from cases.models import Case
from initiatives.models import Initiative, SupportApplication
from portal.models import Theme
from workshops.models import DevelopmentRoom, Workshop

pytestmark = pytest.mark.django_db(transaction=True)
sekretariat_group = importlib.import_module("initiatives.migrations.0002_sekretariat_group")

APPLICANT = ("ansoeger@example.dk", "Demo-Ansoeger-2026")
SECRETARIAT = ("sekretariat@example.dk", "Demo-Sekretariat-2026")

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `in ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""


@pytest.fixture
def demo_content(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fixtures = sorted(str(path) for path in (settings.BASE_DIR / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    # A transactional test's flush removed the group its data migration made.
    group, _ = Group.objects.get_or_create(name=sekretariat_group.GROUP_NAME)
    group.permissions.set(
        Permission.objects.get(content_type__app_label="initiatives", codename=codename)
        for _model, codename in sekretariat_group.PERMISSIONS
    )
    call_command("create_demo_accounts", verbosity=0)


@pytest.fixture
def csp_page(browser):
    """A page in a context that enforces CSP, and the violations it has seen."""
    context = browser.new_context(locale="da-DK")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.console_reports = console
    yield page
    context.close()


def violations(page):
    return page.evaluate("window.__cspViolations") + page.console_reports


def visit(page, url):
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    assert "Content-Security-Policy" in {name.title() for name in response.headers}
    page.wait_for_load_state("load")
    found = violations(page)
    page.console_reports.clear()
    return found


def log_in(page, live_server, path, credentials, fields):
    page.goto(live_server.url + path)
    page.locator(fields[0]).fill(credentials[0])
    page.locator(fields[1]).fill(credentials[1])
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state("load")


def test_the_listener_sees_a_violation(live_server, csp_page):
    """An inline script is refused and reported: the checks below can fail."""
    csp_page.goto(live_server.url + "/")
    csp_page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.ranInline = true"; document.body.append(s); }"""
    )
    csp_page.wait_for_timeout(200)
    assert csp_page.evaluate("window.ranInline") is None
    assert any("script-src" in report for report in violations(csp_page))


def test_public_pages_keep_the_policy(live_server, csp_page, demo_content):
    case = Case.objects.published().first()
    theme = Theme.objects.first()
    initiative = Initiative.objects.filter(is_published=True).first()
    paths = [
        "/",
        "/temaer/",
        f"/temaer/{theme.slug}/",
        "/cases/",
        f"/cases/?q=vagtplan&theme={theme.slug}",
        case.get_absolute_url(),
        "/cases/mappe/",
        "/initiativer/",
        initiative.get_absolute_url(),
        "/workshops/",
        "/workshops/?when=past",
        *(workshop.get_absolute_url() for workshop in Workshop.objects.published()),
        *(room.get_absolute_url() for room in DevelopmentRoom.objects.published()),
        *(
            f"{workshop.get_absolute_url()}tilmeld/"
            for workshop in Workshop.objects.published()
            if workshop.takes_registrations
        ),
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/admin/login/",
    ]
    assert any(path.startswith("/workshops/udviklingsrum/") for path in paths)
    found = {path: visit(csp_page, live_server.url + path) for path in paths}
    broken = {path: reports for path, reports in found.items() if reports}
    assert not broken, "\n".join(f"{path}: {reports}" for path, reports in broken.items())


def test_an_applicants_pages_keep_the_policy(live_server, csp_page, demo_content):
    log_in(csp_page, live_server, "/konto/login/", APPLICANT, ("#id_login", "#id_password"))
    application = SupportApplication.objects.filter(applicant__email=APPLICANT[0]).first()
    paths = [
        "/initiativer/mine-ansoegninger/",
        f"/initiativer/mine-ansoegninger/{application.pk}/",
        "/initiativer/ansoeg/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/slet/",
    ]
    found = {path: visit(csp_page, live_server.url + path) for path in paths}
    broken = {path: reports for path, reports in found.items() if reports}
    assert not broken, "\n".join(f"{path}: {reports}" for path, reports in broken.items())


def test_the_secretariats_admin_keeps_the_policy(live_server, csp_page, demo_content):
    log_in(csp_page, live_server, "/admin/login/", SECRETARIAT, ("#id_username", "#id_password"))
    assert re.search(r"/admin/$", csp_page.url), csp_page.url
    base = "/admin/initiatives/supportapplication/"
    submitted = SupportApplication.objects.exclude(status="draft").order_by("submitted_at")
    paths = ["/admin/", base, f"{base}?status__exact=submitted"]
    for application in submitted[:3]:
        paths += [
            f"{base}{application.pk}/change/",
            f"{base}{application.pk}/behandl/",
            f"{base}{application.pk}/history/",
        ]
    found = {path: visit(csp_page, live_server.url + path) for path in paths}
    broken = {path: reports for path, reports in found.items() if reports}
    assert not broken, "\n".join(f"{path}: {reports}" for path, reports in broken.items())


def test_the_case_editors_admin_keeps_the_policy(live_server, csp_page, demo_content):
    """The case library's admin (its widgets: tags, many-to-many, dates) as a superuser."""
    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.dk", "Redaktoer-2026")
    log_in(
        csp_page,
        live_server,
        "/admin/login/",
        ("redaktoer", "Redaktoer-2026"),
        ("#id_username", "#id_password"),
    )
    case = Case.objects.first()
    paths = [
        "/admin/cases/case/",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/cases/case/add/",
        "/admin/portal/theme/",
        "/admin/initiatives/initiative/add/",
        "/admin/auth/user/",
    ]
    found = {path: visit(csp_page, live_server.url + path) for path in paths}
    broken = {path: reports for path, reports in found.items() if reports}
    assert not broken, "\n".join(f"{path}: {reports}" for path, reports in broken.items())

    # The admin's own scripts at work: the calendar and clock of a date field, and the
    # changelist's select-all box.
    visit(csp_page, live_server.url + f"/admin/cases/case/{case.pk}/change/")
    csp_page.locator(".datetimeshortcuts a").first.click()
    csp_page.locator(".datetimeshortcuts a").nth(1).click()
    visit(csp_page, live_server.url + "/admin/cases/case/")
    csp_page.locator("#action-toggle").check()
    csp_page.wait_for_timeout(200)
    assert violations(csp_page) == []
