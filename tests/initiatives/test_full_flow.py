"""The whole way through: applicant → secretariat → more info → decision, with the emails."""

from django.test import Client
from django.urls import reverse

from initiatives.models import SupportApplication

Status = SupportApplication.Status


def test_applicant_to_secretariat_to_decision_with_all_emails(
    applicant, secretariat, open_round, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    applicant_client, desk = Client(), Client()

    def to_account():
        return [mail for mail in mailoutbox if mail.to == [applicant.email]]

    applicant_client.force_login(applicant)
    desk.force_login(secretariat)
    run = django_capture_on_commit_callbacks

    # 1. The applicant saves a draft, then submits it: a receipt to the account, a notice
    #    without the application's text to each of the two senders.
    data = form_data()
    applicant_client.post(reverse("initiatives:apply"), {**data, "save": "1"})
    application = SupportApplication.objects.get()
    edit_url = reverse("initiatives:application_edit", args=[application.pk])
    with run(execute=True):
        applicant_client.post(edit_url, {**data, "submit": "1"})
    assert [m.subject.split(" (")[0] for m in to_account()] == [
        "Kvittering: Vi har modtaget jeres ansøgning"
    ]
    assert sorted(m.to for m in mailoutbox if m not in to_account()) == [
        ["konsulent@example.dk"],  # the secretariat hears of the new application
        ["lone.leder@example.dk"],
        ["mads.tr@example.dk"],
    ]

    # 2. The secretariat takes it: under vurdering, assigned to the consultant.
    changelist = reverse("admin:initiatives_supportapplication_changelist")
    for action in ("mark_in_review", "assign_to_me"):
        desk.post(changelist, {"action": action, "_selected_action": [application.pk]})
    application.refresh_from_db()
    assert (application.status, application.assigned_to) == (Status.IN_REVIEW, secretariat)

    # 3. It asks for more information: the applicants get the question by email.
    review = reverse("admin:initiatives_supportapplication_review", args=[application.pk])
    with run(execute=True):
        desk.post(review, {"target": "needs_info", "message": "Hvor mange timer har I?"})
    assert "Hvor mange timer har I?" in to_account()[-1].body
    page = applicant_client.get(application.get_absolute_url()).content.decode()
    assert "Mangler oplysninger" in page and "Hvor mange timer har I?" in page

    # 4. The applicant answers and resubmits: a new receipt; the application is back under
    #    review with its consultant, who is told.
    with run(execute=True):
        applicant_client.post(
            edit_url,
            {
                **data,
                "own_resources": "Projektleder 15 timer om ugen.",
                "message_to_secretariat": "15 timer om ugen.",
                "submit": "1",
            },
        )
    application.refresh_from_db()
    assert (application.status, application.assigned_to) == (Status.IN_REVIEW, secretariat)
    assert "supplerende oplysninger" in to_account()[-1].subject
    assert "Ansøgerne har svaret" in mailoutbox[-1].subject

    # 5. The decision: bevilget, with the decision email.
    with run(execute=True):
        desk.post(review, {"target": "granted", "message": "Vi glæder os til samarbejdet."})
    application.refresh_from_db()
    assert application.status == Status.GRANTED
    assert to_account()[-1].subject.startswith("I får støtte til")
    assert len(to_account()) == 4  # receipt, more info, receipt, decision
    # Each with a notice to the leader and the representative; two to the secretariat.
    to_secretariat = [mail for mail in mailoutbox if mail.to == [secretariat.email]]
    assert len(to_secretariat) == 2
    assert len(mailoutbox) == 4 * 3 + 2
    for mail in mailoutbox:
        if mail not in to_account() and mail not in to_secretariat:
            assert "Tværfaglige tavlemøder" not in mail.body

    # Every step is on record, with who did it.
    assert list(application.transitions.values_list("to_status", "actor")) == [
        (Status.SUBMITTED, applicant.pk),
        (Status.IN_REVIEW, secretariat.pk),
        (Status.NEEDS_INFO, secretariat.pk),
        (Status.IN_REVIEW, applicant.pk),
        (Status.GRANTED, secretariat.pk),
    ]
    my_list = applicant_client.get(reverse("initiatives:my_applications")).content.decode()
    assert "Bevilget" in my_list
