"""The secretariat's review desk in a real browser at 1280 px: the list fits the screen, and
the review step is a clear part of the application's page."""

import importlib
import os
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from initiatives import workflow
from initiatives.models import SupportApplication
from tests.e2e.conftest import AXE_SCRIPT

pytestmark = pytest.mark.django_db(transaction=True)
sekretariat_group = importlib.import_module("initiatives.migrations.0002_sekretariat_group")

SECRETARIAT = ("sekretariat@example.dk", "Demo-Sekretariat-2026")
DESKTOP = {"width": 1280, "height": 800}
BASE = "/admin/initiatives/supportapplication/"
# Set REVIEW_DESK_SCREENSHOTS=/some/dir to keep the pages as PNGs to look at.
SCREENSHOTS = os.environ.get("REVIEW_DESK_SCREENSHOTS")


@pytest.fixture
def desk_content(db, settings, tmp_path):
    """The demo content, and an application with the long names real ones have."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fixtures = sorted(str(path) for path in (settings.BASE_DIR / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    group, _ = Group.objects.get_or_create(name=sekretariat_group.GROUP_NAME)
    group.permissions.set(
        Permission.objects.get(content_type__app_label="initiatives", codename=codename)
        for _model, codename in sekretariat_group.PERMISSIONS
    )
    call_command("create_demo_accounts", verbosity=0)
    template = SupportApplication.objects.exclude(status="draft").select_related("applicant")[0]
    long_one = SupportApplication.objects.create(
        round=template.round,
        applicant=template.applicant,
        form_token=uuid.uuid4(),
        region=template.region,
        initiative_title="Tværfaglige tavlemøder og fælles prioritering af opgaverne mellem "
        "sygeplejersker, læger og serviceassistenter i akutmodtagelsen",
        initiative_description="Daglige tavlemøder.",
        institution="Aarhus Universitetshospital, Skejby – Akutafdelingen",
        department="Akutmodtagelsen, Fælles Akutmodtagelse og Observationsafsnit",
        **{
            name: getattr(template, name)
            for name in [*workflow.REQUIRED_FOR_SUBMISSION, *workflow.CONFIRMATIONS]
            if name
            not in {"initiative_title", "initiative_description", "institution", "department"}
            and name != "region"
        },
        wants_starthjaelp=True,
        wants_udviklingsrum=True,
        wants_evaluering=True,
    )
    workflow.submit(long_one, long_one.applicant)
    return long_one


def log_in(page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(SECRETARIAT[0])
    page.locator("#id_password").fill(SECRETARIAT[1])
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state("load")


def axe_violations_in(page, selector):
    """axe-core's WCAG 2.1 A/AA violations inside `selector` (the admin around it is
    Django's own)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async (selector) => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
            const result = await axe.run(selector, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => [v.id, v.nodes.map(n => n.target)]);
        }""",
        selector,
    )


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_the_application_list_fits_1280_px(live_server, page, desk_content):
    log_in(page, live_server)
    page.goto(live_server.url + BASE)
    shoot(page, "desk-list-1280")

    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("#result_list")
    # The results table does not scroll sideways inside its box either.
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    for column in [
        "reference",
        "initiative_title",
        "workplace",
        "region_name",
        "support_forms_display",
        "status_badge",
        "days_since_submitted",
        "consultant",
    ]:
        box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
        assert box is not None, column
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (column, box, width)
    assert axe_violations_in(page, "#result_list") == []


def test_the_review_step_is_a_styled_part_of_the_applications_page(live_server, page, desk_content):
    application = desk_content
    log_in(page, live_server)
    page.goto(f"{live_server.url}{BASE}{application.pk}/change/")
    shoot(page, "desk-change-1280")

    step = page.locator("#behandl")
    assert step.is_visible()
    # Above what the applicants wrote, in view without scrolling.
    assert step.bounding_box()["y"] < DESKTOP["height"]
    assert step.bounding_box()["y"] < page.locator("fieldset.module").first.bounding_box()["y"]
    # Styled by the stylesheet: a framed panel, and choices as boxes, not bare radios.
    assert step.evaluate("e => getComputedStyle(e).borderLeftWidth") == "6px"
    choice = step.locator(".review-step__choices li").first
    assert choice.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert axe_violations_in(page, "#behandl") == []

    # The step works from the page: take it under review.
    step.get_by_label("Under vurdering").check()
    step.get_by_role("button", name="Gem og send").click()
    page.wait_for_load_state("load")
    assert "har nu status" in page.locator(".messagelist").inner_text()
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.IN_REVIEW

    # An error (a refusal needs a message) comes back on the same page, at the step.
    step = page.locator("#behandl")
    step.get_by_label("Afslået").check()
    step.get_by_role("button", name="Gem og send").click()
    page.wait_for_load_state("load")
    shoot(page, "desk-change-error-1280")
    assert "Skriv en besked til ansøgerne." in page.locator("#behandl").inner_text()
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.IN_REVIEW
