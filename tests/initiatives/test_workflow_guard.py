"""An application's status and the workflow's timestamps change through the workflow only.

Every other path is refused, whatever copy of the application it starts from: the admin's
history page, a stale or deferred copy, a fresh instance in a shell, `QuerySet.update()`,
`bulk_update()` and `bulk_create()`.
"""

import uuid

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from initiatives import exceptions, workflow
from initiatives.models import SupportApplication

Status = SupportApplication.Status
WORKFLOW_FIELDS = ("status", "submitted_at", "first_submitted_at", "decided_at")


@pytest.fixture
def desk(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def granted(make_application):
    return make_application(Status.GRANTED)


def stored(application):
    return SupportApplication.objects.values(*WORKFLOW_FIELDS).get(pk=application.pk)


def assert_decision_stands(application, before, transitions=3):
    assert stored(application) == before
    assert stored(application)["status"] == Status.GRANTED
    assert application.transitions.count() == transitions


def history_form_url(application, version):
    return reverse(
        "admin:initiatives_supportapplication_simple_history",
        args=[application.pk, version.history_id],
    )


def test_posting_an_old_version_on_the_history_page_does_not_undo_a_decision(desk, granted):
    before = stored(granted)
    in_review = granted.history.filter(status=Status.IN_REVIEW).earliest("history_date")

    response = desk.post(
        history_form_url(granted, in_review),
        {
            "internal_notes": "tilbagerullet",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 405
    assert_decision_stands(granted, before)
    granted.refresh_from_db()
    assert granted.internal_notes == ""


def test_the_history_page_still_shows_an_old_version(desk, granted):
    in_review = granted.history.filter(status=Status.IN_REVIEW).earliest("history_date")
    response = desk.get(history_form_url(granted, in_review))
    assert response.status_code == 200
    assert "Tidligere version" in response.content.decode()


def test_saving_a_historical_copy_is_refused_by_the_model(granted):
    before = stored(granted)
    old = granted.history.filter(status=Status.IN_REVIEW).earliest("history_date").instance
    old._state.adding = False  # as simple_history's history page prepares it

    with pytest.raises(exceptions.InvalidTransition):
        old.save()

    assert_decision_stands(granted, before)


def test_a_fresh_instance_with_the_same_id_cannot_overwrite_a_decision(granted):
    before = stored(granted)
    fresh = SupportApplication(
        pk=granted.pk,
        round=granted.round,
        applicant=granted.applicant,
        form_token=granted.form_token,
        initiative_title=granted.initiative_title,
    )

    with pytest.raises(exceptions.InvalidTransition):
        fresh.save()

    assert_decision_stands(granted, before)


def test_a_copy_loaded_without_the_status_cannot_change_it(granted):
    before = stored(granted)
    copy = SupportApplication.objects.defer("status").get(pk=granted.pk)
    copy.status = Status.IN_REVIEW

    with pytest.raises(exceptions.InvalidTransition):
        copy.save()

    assert_decision_stands(granted, before)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decided_at", None),
        ("submitted_at", None),
        ("first_submitted_at", timezone.now()),
    ],
)
def test_the_workflow_timestamps_cannot_be_changed_by_a_save(granted, field, value):
    before = stored(granted)
    setattr(granted, field, value)

    with pytest.raises(exceptions.InvalidTransition):
        granted.save()

    assert_decision_stands(granted, before)


def test_a_stale_copy_cannot_write_its_old_status_back_over_a_decision(
    make_application, secretariat
):
    application = make_application(Status.IN_REVIEW)
    stale = SupportApplication.objects.get(pk=application.pk)
    workflow.decide(application, secretariat, Status.GRANTED, "Velkommen")
    before = stored(application)

    stale.internal_notes = "Ring til lederen."
    with pytest.raises(exceptions.InvalidTransition):
        stale.save()

    assert_decision_stands(application, before)


def test_a_save_that_leaves_the_status_alone_still_works(granted, secretariat):
    before = stored(granted)
    granted.internal_notes = "Opfølgning i marts."
    granted.save()
    workflow.assign(granted, secretariat, secretariat)

    granted.refresh_from_db()
    assert granted.internal_notes == "Opfølgning i marts."
    assert granted.assigned_to == secretariat
    assert_decision_stands(granted, before)


@pytest.mark.parametrize(
    "values",
    [
        {"status": Status.IN_REVIEW},
        {"decided_at": None},
        {"submitted_at": None, "internal_notes": "x"},
    ],
)
def test_queryset_update_of_workflow_fields_is_refused(granted, values):
    before = stored(granted)

    with pytest.raises(exceptions.InvalidTransition):
        SupportApplication.objects.filter(pk=granted.pk).update(**values)

    assert_decision_stands(granted, before)


def test_queryset_update_of_other_fields_works(granted):
    SupportApplication.objects.filter(pk=granted.pk).update(internal_notes="Noteret")
    granted.refresh_from_db()
    assert granted.internal_notes == "Noteret"


def test_bulk_update_of_the_status_is_refused(granted):
    before = stored(granted)
    granted.status = Status.IN_REVIEW
    granted.decided_at = None

    with pytest.raises(exceptions.InvalidTransition):
        SupportApplication.objects.bulk_update([granted], ["status", "decided_at"])

    assert_decision_stands(granted, before)


def test_bulk_create_cannot_make_a_decided_application(granted):
    with pytest.raises(exceptions.InvalidTransition):
        SupportApplication.objects.bulk_create(
            [
                SupportApplication(
                    round=granted.round,
                    applicant=granted.applicant,
                    form_token=uuid.uuid4(),
                    status=Status.GRANTED,
                    decided_at=timezone.now(),
                )
            ]
        )
    assert SupportApplication.objects.count() == 1


def test_a_new_application_starts_as_a_draft_without_timestamps(granted):
    with pytest.raises(exceptions.InvalidTransition):
        SupportApplication.objects.create(
            round=granted.round,
            applicant=granted.applicant,
            form_token=uuid.uuid4(),
            submitted_at=timezone.now(),
        )
    assert SupportApplication.objects.count() == 1


def test_the_change_form_cannot_change_the_status(desk, granted):
    before = stored(granted)
    response = desk.post(
        reverse("admin:initiatives_supportapplication_change", args=[granted.pk]),
        {
            "status": Status.IN_REVIEW,
            "decided_at": "",
            "internal_notes": "Noteret",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.internal_notes == "Noteret"
    assert_decision_stands(granted, before)


def test_no_one_deletes_an_application_in_the_admin(client, make_user, granted):
    """Deleting a decided application would undo the decision too. Removing personal data
    is the job of the personal-data and retention commands, not of the review desk."""
    superuser = make_user("admin@example.dk", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    delete = reverse("admin:initiatives_supportapplication_delete", args=[granted.pk])

    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:initiatives_supportapplication_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [granted.pk], "post": "yes"}
    )
    assert SupportApplication.objects.filter(pk=granted.pk).exists()
    assert response.status_code in (200, 302)


def test_the_workflow_itself_still_moves_and_records_the_status(make_application, secretariat):
    application = make_application(Status.IN_REVIEW)
    workflow.decide(application, secretariat, Status.REJECTED, "Ikke denne gang.")
    assert stored(application)["status"] == Status.REJECTED
    assert stored(application)["decided_at"] is not None
    assert application.history.latest("history_date").status == Status.REJECTED


def test_the_change_form_saved_on_a_stale_copy_keeps_a_decision_made_meanwhile(
    rf, secretariat, make_application
):
    """The desk opens an application, a colleague decides it, then the desk saves its note:
    the note is saved, and the decision stands (no error, nothing written back)."""
    application = make_application(Status.IN_REVIEW)
    model_admin = site._registry[SupportApplication]
    request = rf.post("/")
    request.user = secretariat
    stale = model_admin.get_object(request, str(application.pk))
    form = model_admin.get_form(request, stale, change=True)(
        {"internal_notes": "Ring til lederen."}, instance=stale
    )
    assert form.is_valid(), form.errors
    workflow.decide(application, secretariat, Status.GRANTED, "Velkommen")
    before = stored(application)

    model_admin.save_model(request, form.save(commit=False), form, change=True)

    assert_decision_stands(application, before)
    application.refresh_from_db()
    assert application.internal_notes == "Ring til lederen."
    latest = application.history.latest("history_date")
    assert (latest.status, latest.internal_notes) == (Status.GRANTED, "Ring til lederen.")


def test_assigning_a_stale_copy_keeps_the_decision_in_the_row_and_the_history(
    make_application, secretariat
):
    application = make_application(Status.IN_REVIEW)
    stale = SupportApplication.objects.get(pk=application.pk)
    workflow.decide(application, secretariat, Status.REJECTED, "Ikke denne gang.")

    workflow.assign(stale, secretariat, secretariat)

    assert stored(application)["status"] == Status.REJECTED
    assert application.history.latest("history_date").status == Status.REJECTED
    assert stale.status == Status.REJECTED
