"""No applicant-written text goes to an address nobody has confirmed.

The account's confirmed address gets the workflow's mails in full. The leader and
employee-representative addresses typed into the form get a fixed notice: the reference,
the account's confirmed address and how to object, and nothing the applicant wrote.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from initiatives import workflow
from initiatives.models import ApplicationTransition, SupportApplication

Status = SupportApplication.Status
APPLY = reverse("initiatives:apply")
ACCOUNT = "ansoeger@example.dk"
TYPED = {"lone.leder@example.dk", "mads.tr@example.dk"}

# Applicant-written text that must never reach a typed address.
HOSTILE = {
    "initiative_title": 'Vind en iPad <a href="https://snyd.example/x">klik her</a> <b>nu</b>',
    "initiative_description": "Besøg https://snyd.example/login og log ind <script>x()</script>",
    "institution": "Snydehospitalet https://snyd.example",
    "department": "<i>Afdeling for klik</i>",
    "leader_name": "Lone https://snyd.example Leder",
    "employee_rep_name": "Mads <b>Medarbejder</b>",
    "own_resources": "Se https://snyd.example/ressourcer",
}
FORBIDDEN = ["snyd.example", "klik", "<", ">", "iPad", "Snydehospitalet", "Lone", "Mads"]


@pytest.fixture
def logged_in(client, applicant, open_round):
    client.force_login(applicant)
    return client


def to_account(outbox, account=ACCOUNT):
    return [mail for mail in outbox if mail.to == [account]]


def to_typed(outbox):
    return [mail for mail in outbox if set(mail.to) & TYPED]


def assert_only_fixed_notices(mails, application, account=ACCOUNT):
    assert sorted(address for mail in mails for address in mail.to) == sorted(TYPED)
    for mail in mails:
        assert len(mail.to) == 1 and not mail.cc and not mail.bcc
        text = f"{mail.subject}\n{mail.body}"
        for forbidden in FORBIDDEN:
            assert forbidden not in text, (forbidden, text)
        assert application.reference in text
        assert account in mail.body
        assert "svar på denne e-mail" in mail.body
        assert mail.reply_to


def test_a_title_with_a_link_reaches_only_the_confirmed_account(
    logged_in, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(APPLY, form_data(submit="1", **HOSTILE))

    application = SupportApplication.objects.get()
    assert application.status == Status.SUBMITTED
    (receipt,) = to_account(mailoutbox)
    assert HOSTILE["initiative_title"] in receipt.body
    assert_only_fixed_notices(to_typed(mailoutbox), application)
    assert len(mailoutbox) == 3

    message = " ".join(m.message for m in get_messages(response.wsgi_request))
    assert f"kvittering til {ACCOUNT}" in message
    assert "lone.leder@example.dk" not in message and "mads.tr@example.dk" not in message
    assert "uden ansøgningens indhold" in message


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (Status.IN_REVIEW, Status.NEEDS_INFO),
        (Status.IN_REVIEW, Status.GRANTED),
        (Status.IN_REVIEW, Status.REJECTED),
        (Status.NEEDS_INFO, Status.IN_REVIEW),
    ],
)
def test_more_info_decisions_and_resubmissions_send_only_the_notice_to_typed_addresses(
    make_application, secretariat, mailoutbox, django_capture_on_commit_callbacks, status, target
):
    application = make_application(status, **HOSTILE)
    mailoutbox.clear()
    actor = application.applicant if status == Status.NEEDS_INFO else secretariat

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(application, target, actor, "Besked fra sekretariatet.")

    (full,) = to_account(mailoutbox)
    assert HOSTILE["initiative_title"] in full.body or target == Status.NEEDS_INFO
    assert_only_fixed_notices(to_typed(mailoutbox), application)


def test_an_unconfirmed_account_address_gets_nothing_and_nor_does_anyone_else(
    make_user, make_application, mailoutbox, django_capture_on_commit_callbacks
):
    unconfirmed = make_user("ubekraeftet@example.dk", verified=False)
    application = make_application(owner=unconfirmed)

    with django_capture_on_commit_callbacks(execute=True):
        record = workflow.submit(application, unconfirmed)

    # Only the secretariat hears of it (tests/initiatives/test_review_desk.py).
    assert [mail.to for mail in mailoutbox] == [["konsulent@example.dk"]]
    record.refresh_from_db()
    assert record.email_sent_at is None and record.email_error == ""


def test_a_typed_address_that_is_the_confirmed_account_gets_the_full_mail_once(
    make_application, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(leader_email=ACCOUNT.upper())

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, applicant)

    applicants = [mail for mail in mailoutbox if mail.to != ["konsulent@example.dk"]]
    assert [mail.to for mail in applicants] == [[ACCOUNT], ["mads.tr@example.dk"]]
    assert application.initiative_title in mailoutbox[0].body


def test_the_review_step_says_who_gets_what(client, secretariat, make_application):
    application = make_application(Status.IN_REVIEW)
    client.force_login(secretariat)
    url = reverse("admin:initiatives_supportapplication_review", args=[application.pk])
    text = client.get(url, follow=True).content.decode()
    assert f"bekræftede adresse ({ACCOUNT})" in text
    assert "får kun en kort besked" in text


def test_an_application_without_an_account_sends_no_mail(
    make_application, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.IN_REVIEW)
    SupportApplication.objects.filter(pk=application.pk).update(applicant=None)
    application.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide(application, secretariat, Status.GRANTED, "Tillykke.")

    assert mailoutbox == []


# The number of submissions per account and day


@pytest.fixture
def limit_of_two(settings):
    settings.APPLICATION_SUBMISSIONS_PER_DAY = 2


def test_submissions_beyond_the_daily_limit_are_refused_and_kept_as_a_draft(
    limit_of_two, logged_in, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("Første", "Anden"):
            logged_in.post(APPLY, form_data(submit="1", initiative_title=title))
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(APPLY, form_data(submit="1", initiative_title="Tredje"))

    third = SupportApplication.objects.get(initiative_title="Tredje")
    assert third.status == Status.DRAFT
    assert third.leader_email == "lone.leder@example.dk"
    assert not third.transitions.exists()
    assert len(mailoutbox) == sent
    assert response["Location"] == reverse("initiatives:application_edit", args=[third.pk])
    page = logged_in.get(response["Location"]).content.decode()
    assert "Der kan højst indsendes 2 ansøgninger fra samme konto i løbet af et døgn" in page
    assert 'value="Tredje"' in page


def test_the_limit_counts_the_last_24_hours_of_one_account(
    limit_of_two, make_application, applicant, make_user
):
    for _ in range(2):
        workflow.submit(make_application(), applicant)
    with pytest.raises(workflow.SubmissionLimitReached):
        workflow.submit(make_application(), applicant)

    other = make_user("anden@example.dk")
    workflow.submit(make_application(owner=other), other)

    for application in SupportApplication.objects.filter(applicant=applicant).exclude(
        status=Status.DRAFT
    ):
        workflow.backdate_submission(application, timezone.now() - datetime.timedelta(hours=25))
    workflow.submit(make_application(), applicant)
    assert ApplicationTransition.objects.filter(actor=applicant).count() == 3


def test_the_limit_is_a_setting_with_a_default():
    assert isinstance(django_settings.APPLICATION_SUBMISSIONS_PER_DAY, int)
    assert django_settings.APPLICATION_SUBMISSIONS_PER_DAY >= 1
