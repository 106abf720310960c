"""The secretariat's review desk: answers go back to the consultant, the secretariat hears of
new applications and answers, the review step on the application's page, the full CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from initiatives import sections, workflow
from initiatives.exports import CSV_COLUMNS
from initiatives.forms import SupportApplicationForm
from initiatives.models import SupportApplication

Status = SupportApplication.Status
CHANGELIST = reverse("admin:initiatives_supportapplication_changelist")


def change_url(application):
    return reverse("admin:initiatives_supportapplication_change", args=[application.pk])


def review_url(application):
    return reverse("admin:initiatives_supportapplication_review", args=[application.pk])


@pytest.fixture
def desk(client, secretariat):
    client.force_login(secretariat)
    return client


# Answers to a request for information


def test_an_answer_goes_back_under_review_with_its_consultant(
    make_application, applicant, secretariat
):
    application = make_application(Status.NEEDS_INFO)
    workflow.assign(application, secretariat, secretariat)

    record = workflow.submit(application, applicant, "Her er budgettet.")

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.assigned_to == secretariat
    # The log says what happened: the applicant answered, from "mangler oplysninger".
    assert (record.from_status, record.to_status, record.actor, record.message) == (
        Status.NEEDS_INFO,
        Status.IN_REVIEW,
        applicant,
        "Her er budgettet.",
    )
    # The consultant can decide at once, without taking it "under vurdering" again.
    assert workflow.allowed_targets(application, secretariat) == [
        Status.NEEDS_INFO,
        Status.GRANTED,
        Status.REJECTED,
    ]


def test_an_answer_is_checked_like_a_submission(make_application, applicant):
    application = make_application(Status.NEEDS_INFO)
    application.own_resources = ""
    application.save(update_fields=["own_resources"])

    with pytest.raises(workflow.IncompleteApplication):
        workflow.submit(application, applicant, "Svar")
    application.refresh_from_db()
    assert application.status == Status.NEEDS_INFO


def test_answers_count_against_the_daily_submission_limit(
    make_application, applicant, secretariat, settings
):
    settings.APPLICATION_SUBMISSIONS_PER_DAY = 2  # two first submissions made by the fixture
    application = make_application(Status.NEEDS_INFO)
    make_application(Status.SUBMITTED)

    with pytest.raises(workflow.SubmissionLimitReached):
        workflow.submit(application, applicant, "Svar")


# The secretariat is told


@pytest.fixture
def colleagues(make_secretariat_member, make_user):
    """Who hears of new applications: the verified, active members of the group only."""
    make_secretariat_member("kollega@example.dk")
    make_secretariat_member("ubekraeftet@example.dk", verified=False)
    make_secretariat_member("fratraadt@example.dk", is_active=False)
    make_user("redaktoer@example.dk", is_staff=True)


def secretariat_mails(outbox):
    return [mail for mail in outbox if mail.subject.startswith(("Ny ansøgning", "Ansøgerne"))]


def test_the_secretariat_is_told_of_a_new_application_after_commit(
    make_application,
    applicant,
    secretariat,
    colleagues,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://portal.example.dk"
    settings.SECRETARIAT_NOTIFY_EMAIL = "sekretariat@example.dk"
    application = make_application()

    with django_capture_on_commit_callbacks() as callbacks:
        workflow.submit(application, applicant)
    assert secretariat_mails(mailoutbox) == []  # nothing before the commit
    for callback in callbacks:
        callback()

    mails = secretariat_mails(mailoutbox)
    assert sorted(address for mail in mails for address in mail.to) == [
        "kollega@example.dk",
        "konsulent@example.dk",
        "sekretariat@example.dk",
    ]
    link = f"https://portal.example.dk{change_url(application)}"
    for mail in mails:
        assert len(mail.to) == 1
        assert mail.subject == f"Ny ansøgning: {application.reference}"
        assert link in mail.body
        # Fixed facts only; what the applicants wrote is read in the admin.
        assert application.initiative_title not in mail.body


def test_the_secretariat_is_told_when_applicants_answer(
    make_application, applicant, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.NEEDS_INFO)
    workflow.assign(application, secretariat, secretariat)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, applicant, "Her er budgettet.")

    (mail,) = secretariat_mails(mailoutbox)
    assert mail.to == ["konsulent@example.dk"]
    assert mail.subject == f"Ansøgerne har svaret: {application.reference}"
    assert "igen under vurdering hos Karen Konsulent" in mail.body
    assert "Her er budgettet." not in mail.body


def test_the_secretariat_is_not_told_of_its_own_steps(
    make_application, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.SUBMITTED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start_review(application, secretariat)
        workflow.request_information(application, secretariat, "Hvor mange timer?")
    assert secretariat_mails(mailoutbox) == []


def test_a_failing_mail_to_the_secretariat_leaves_the_submission_stored(
    make_application, applicant, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.initiatives.email_backends.FailingEmailBackend"
    application = make_application()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, applicant)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# The review step on the application's page


def test_the_review_step_is_on_the_applications_page_with_its_stylesheet(desk, make_application):
    application = make_application(Status.IN_REVIEW)

    response = desk.get(change_url(application))

    page = response.content.decode()
    assert 'id="behandl"' in page and "Behandl ansøgningen" in page
    assert f'action="{review_url(application)}"' in page
    assert "/static/initiatives/css/review-desk.css" in page
    assert "style=" not in page.split('id="behandl"')[1].split("</section>")[0]
    offered = response.context["review_form"].fields["target"].choices
    assert [value for value, _ in offered] == ["needs_info", "granted", "rejected"]


def test_a_review_step_with_an_error_keeps_what_was_written_on_the_page(desk, make_application):
    application = make_application(Status.IN_REVIEW)

    response = desk.post(review_url(application), {"target": "bogus", "message": "Kære Anne"})

    assert response.status_code == 200
    assert response.context["original"] == application
    page = response.content.decode()
    assert 'id="behandl"' in page and "Kære Anne</textarea>" in page
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_staff_who_may_only_read_get_no_review_step(client, make_user, make_application):
    reader = make_user("laeser@example.dk", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_supportapplication"))
    client.force_login(reader)
    application = make_application(Status.IN_REVIEW)

    page = client.get(change_url(application)).content.decode()

    assert application.initiative_title in page
    assert 'id="behandl"' not in page


# The sections, declared once: the form, the admin's fieldsets and the CSV


def test_the_form_asks_only_for_what_the_sections_declare():
    asked = set(SupportApplicationForm.base_fields) - {"form_token", "message_to_secretariat"}
    asked = (asked - {"support_forms"}) | set(workflow.SUPPORT_FORM_FIELDS)
    assert asked == set(sections.FIELDS)
    assert list(SupportApplicationForm._meta.fields) == sections.MODEL_FORM_FIELDS


def test_the_admin_shows_every_declared_field(desk, make_application):
    application = make_application(Status.IN_REVIEW)
    fieldsets = desk.get(change_url(application)).context["adminform"].fieldsets
    shown = {
        name
        for _title, options in fieldsets
        for row in options["fields"]
        for name in (row if isinstance(row, tuple) else (row,))
    }
    stand_ins = {"region": "region_name", "attachment": "attachment_link"}
    assert {stand_ins.get(name, name) for name in sections.FIELDS} <= shown


def test_the_csv_has_every_field_of_the_form(desk, make_application):
    application = make_application(
        Status.IN_REVIEW,
        initiative_description="Daglige tavlemøder med alle faggrupper.",
        own_resources="En projektleder 10 timer om ugen.",
    )

    response = desk.post(CHANGELIST, {"action": "export_csv", "_selected_action": [application.pk]})

    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    cells = dict(zip(header, row, strict=True))
    assert len(header) == len(CSV_COLUMNS) == 3 + len(sections.FIELDS) + 4
    assert cells["Beskrivelse"] == "Daglige tavlemøder med alle faggrupper."
    assert cells["Egne ressourcer"] == "En projektleder 10 timer om ugen."
    assert cells["Region"] == application.region.name
    assert cells["Kontaktperson"] == "Lederen"
    assert cells["Lokal opbakning"] == "Ja"
    assert cells["Bilag"] == ""
    for name in ("initiative_title", "leader_email", "employee_rep_phone", "institution"):
        assert getattr(application, name) in row


# The list fits a screen: the eight columns the secretariat works by


def test_the_list_has_the_eight_columns_the_desk_works_by(desk, make_application):
    make_application(Status.SUBMITTED)
    response = desk.get(CHANGELIST)
    _checkbox, *headers = [str(header["text"]) for header in response.context["result_headers"]]
    assert headers == [
        "sagsnr.",
        "initiativets titel",
        "arbejdsplads",
        "region",
        "støtte",
        "status",
        "alder (dage)",
        "konsulent",
    ]


# The applicants' mails link to the application


def test_the_applicants_mails_link_to_the_application_on_the_configured_site(
    make_application,
    applicant,
    secretariat,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://portal.example.dk/"
    application = make_application()
    link = f"https://portal.example.dk{application.get_absolute_url()}"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, applicant)
        workflow.start_review(application, secretariat)
        workflow.request_information(application, secretariat, "Hvor mange timer?")
        workflow.submit(application, applicant, "Ti timer.")
        workflow.decide(application, secretariat, Status.GRANTED, "Velkommen.")

    to_account = [mail for mail in mailoutbox if mail.to == [applicant.email]]
    assert len(to_account) == 4  # receipt, more info, receipt of the answer, decision
    for mail in to_account:
        assert link in mail.body, mail.subject


def test_the_applicants_page_reads_back_every_declared_field(client, applicant, make_application):
    """The applicant's own page is built from the same declaration: every section and field
    in the form's order, the criteria they confirmed included."""
    application = make_application(Status.SUBMITTED, own_resources="To timer om ugen.")
    client.force_login(applicant)

    response = client.get(application.get_absolute_url())

    page = response.content.decode()
    titles = [title for title, _rows in response.context["sections"]]
    assert titles == [section.title for section in sections.SECTIONS]
    labels = [label for _title, rows in response.context["sections"] for label, *_ in rows]
    assert len(labels) == len(sections.FIELDS)
    positions = [page.index(f"<dt>{label}</dt>") for label in labels]
    assert positions == sorted(positions)
    assert "<dt>Drøftet lokalt med opbakning fra ledelse og medarbejdere</dt>" in page
    assert "To timer om ugen." in page
    assert application.initiative_title in page.split("Det har I skrevet", 1)[1]
