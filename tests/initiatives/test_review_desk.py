"""The secretariat's review desk: answers go back to the consultant, the secretariat hears of
new applications and answers, the review step on the application's page, the full CSV."""

import pytest
from django.urls import reverse

from initiatives import workflow
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
