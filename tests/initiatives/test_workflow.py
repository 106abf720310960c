"""The status workflow: which changes are allowed, by whom, and what they record."""

import datetime

import pytest
from django.utils import timezone

from initiatives import workflow
from initiatives.models import ApplicationTransition, SupportApplication

Status = SupportApplication.Status


def test_applicant_submits_a_complete_draft_and_the_transition_is_logged(
    make_application, applicant
):
    application = make_application()

    record = workflow.submit(application, applicant)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.first_submitted_at == application.submitted_at
    assert (record.from_status, record.to_status, record.actor) == (
        Status.DRAFT,
        Status.SUBMITTED,
        applicant,
    )
    assert record.at == application.submitted_at


def test_full_path_records_who_and_when_for_every_transition(make_application, secretariat):
    application = make_application(Status.NEEDS_INFO)
    workflow.submit(application, application.applicant, "Her er budgettet.")
    workflow.decide(application, secretariat, Status.GRANTED, "Velkommen!")

    steps = list(application.transitions.values_list("from_status", "to_status", "actor__email"))
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, "ansoeger@example.dk"),
        (Status.SUBMITTED, Status.IN_REVIEW, "konsulent@example.dk"),
        (Status.IN_REVIEW, Status.NEEDS_INFO, "konsulent@example.dk"),
        (Status.NEEDS_INFO, Status.IN_REVIEW, "ansoeger@example.dk"),
        (Status.IN_REVIEW, Status.GRANTED, "konsulent@example.dk"),
    ]
    application.refresh_from_db()
    assert application.decided_at is not None
    assert application.submitted_at > application.first_submitted_at


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.IN_REVIEW),
        (Status.DRAFT, Status.GRANTED),
        (Status.SUBMITTED, Status.GRANTED),
        (Status.SUBMITTED, Status.NEEDS_INFO),
        (Status.SUBMITTED, Status.SUBMITTED),
        (Status.NEEDS_INFO, Status.GRANTED),
        (Status.NEEDS_INFO, Status.IN_REVIEW),
        (Status.GRANTED, Status.REJECTED),
        (Status.REJECTED, Status.GRANTED),
        (Status.GRANTED, Status.SUBMITTED),
        (Status.REJECTED, Status.IN_REVIEW),
    ],
)
def test_invalid_transitions_raise_and_change_nothing(make_application, secretariat, start, target):
    application = make_application(start)
    before = application.transitions.count()
    actor = application.applicant if target == Status.SUBMITTED else secretariat

    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(application, target, actor, message="Forsøg")

    application.refresh_from_db()
    assert application.status == start
    assert application.transitions.count() == before


def test_applicant_cannot_review_their_own_application(make_application, applicant):
    application = make_application(Status.SUBMITTED)
    with pytest.raises(workflow.InvalidTransition):
        workflow.start_review(application, applicant)


def test_secretariat_cannot_submit_on_behalf_of_the_applicant(make_application, secretariat):
    application = make_application()
    with pytest.raises(workflow.InvalidTransition):
        workflow.submit(application, secretariat)


def test_staff_outside_the_secretariat_cannot_decide(make_application, make_user):
    application = make_application(Status.IN_REVIEW)
    other_staff = make_user("it@example.dk", is_staff=True)
    with pytest.raises(workflow.InvalidTransition):
        workflow.decide(application, other_staff, Status.GRANTED)


def test_draft_cannot_be_submitted_after_the_deadline(make_application, make_round, applicant):
    closed = make_round("Rette kompetencer 2024", is_open=False)
    application = make_application(application_round=closed)

    with pytest.raises(workflow.DeadlinePassed):
        workflow.submit(application, applicant)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_deadline_day_itself_is_still_open(make_application, make_round, applicant):
    today = timezone.localdate()
    last_day = make_round(opens=today - datetime.timedelta(days=10), closes=today)
    application = make_application(application_round=last_day)

    workflow.submit(application, applicant)
    assert application.status == Status.SUBMITTED


def test_resubmission_after_request_for_information_is_allowed_after_the_deadline(
    make_application, open_round, applicant
):
    application = make_application(Status.NEEDS_INFO)
    open_round.closes = open_round.opens = timezone.localdate() - datetime.timedelta(days=2)
    open_round.save()

    workflow.submit(application, applicant, "Nu med budget.")
    assert application.status == Status.IN_REVIEW


def test_incomplete_draft_cannot_be_submitted(make_application, applicant):
    application = make_application(
        leader_email="", confirms_sharing=False, wants_starthjaelp=False, wants_evaluering=False
    )
    with pytest.raises(workflow.IncompleteApplication) as raised:
        workflow.submit(application, applicant)
    assert set(raised.value.problems) == {"leader_email", "confirms_sharing", "support_forms"}


@pytest.mark.parametrize("target", [Status.NEEDS_INFO, Status.REJECTED])
def test_request_for_information_and_rejection_need_a_message(
    make_application, secretariat, target
):
    application = make_application(Status.IN_REVIEW)
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(application, target, secretariat, message="  ")


def test_status_cannot_be_changed_around_the_workflow(make_application):
    application = make_application(Status.SUBMITTED)
    application.status = Status.GRANTED
    with pytest.raises(workflow.InvalidTransition):
        application.save()
    assert SupportApplication.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_new_application_must_start_as_draft(applicant, open_round):
    with pytest.raises(workflow.InvalidTransition):
        SupportApplication.objects.create(
            round=open_round, applicant=applicant, form_token="a" * 32, status=Status.GRANTED
        )


def test_a_stale_copy_cannot_decide_twice(make_application, secretariat):
    application = make_application(Status.IN_REVIEW)
    stale = SupportApplication.objects.get(pk=application.pk)
    workflow.decide(application, secretariat, Status.GRANTED)

    with pytest.raises(workflow.InvalidTransition):
        workflow.decide(stale, secretariat, Status.REJECTED, "Alligevel ikke")
    assert SupportApplication.objects.get(pk=application.pk).status == Status.GRANTED
    assert ApplicationTransition.objects.filter(to_status=Status.REJECTED).count() == 0


def test_assign_only_to_secretariat_members(make_application, secretariat, make_user):
    application = make_application(Status.SUBMITTED)
    with pytest.raises(workflow.InvalidTransition):
        workflow.assign(application, make_user("udenfor@example.dk", is_staff=True), secretariat)
    workflow.assign(application, secretariat, secretariat)
    application.refresh_from_db()
    assert application.assigned_to == secretariat


def test_history_keeps_every_change_with_its_user(make_application, secretariat):
    application = make_application(Status.IN_REVIEW)
    application.internal_notes = "Ring til lederen."
    application.save()
    workflow.assign(application, secretariat, secretariat)

    history = list(application.history.order_by("history_date", "history_id"))
    statuses = [record.status for record in history]
    assert statuses[:3] == [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW]
    assert history[-1].assigned_to == secretariat
    assert history[-1].history_user == secretariat
    assert history[2].history_user == secretariat
    assert any(record.internal_notes == "Ring til lederen." for record in history)


def test_allowed_targets_depend_on_who_asks(make_application, secretariat, applicant):
    in_review = make_application(Status.IN_REVIEW)
    assert workflow.allowed_targets(in_review, secretariat) == [
        Status.NEEDS_INFO,
        Status.GRANTED,
        Status.REJECTED,
    ]
    assert workflow.allowed_targets(in_review, applicant) == []
    assert workflow.allowed_targets(make_application(), applicant) == [Status.SUBMITTED]
