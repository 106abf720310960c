"""Attachments: who may download them, and that a replaced one leaves the disk."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from initiatives.models import SupportApplication

from .conftest import pdf_upload

Status = SupportApplication.Status


def attachment_url(application):
    return reverse("initiatives:application_attachment", args=[application.pk])


def test_the_secretariat_cannot_download_a_drafts_attachment(client, secretariat, make_application):
    """A draft is the applicants' unfinished work: the admin hides it, and so does this."""
    draft = make_application(attachment=pdf_upload())
    client.force_login(secretariat)
    assert client.get(attachment_url(draft)).status_code == 404


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO, Status.GRANTED]
)
def test_the_secretariat_downloads_the_attachment_once_submitted(
    client, secretariat, make_application, status
):
    application = make_application(status, attachment=pdf_upload())
    client.force_login(secretariat)
    response = client.get(attachment_url(application))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_applicant_downloads_their_own_draft_attachment(client, applicant, make_application):
    draft = make_application(attachment=pdf_upload())
    client.force_login(applicant)
    assert client.get(attachment_url(draft)).status_code == 200


def test_a_staff_member_with_only_the_view_permission_reads_like_the_desk(
    client, make_user, make_application
):
    """Whoever may open a submitted application in the admin may open its attachment."""
    reader = make_user("revisor@example.dk", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_supportapplication"))
    application = make_application(Status.SUBMITTED, attachment=pdf_upload())
    draft = make_application(attachment=pdf_upload())
    client.force_login(reader)
    assert client.get(attachment_url(application)).status_code == 200
    assert client.get(attachment_url(draft)).status_code == 404


def test_a_permission_without_staff_status_is_not_enough(client, make_user, make_application):
    outsider = make_user("ikke-staff@example.dk")
    outsider.user_permissions.add(Permission.objects.get(codename="view_supportapplication"))
    application = make_application(Status.SUBMITTED, attachment=pdf_upload())
    client.force_login(outsider)
    assert client.get(attachment_url(application)).status_code == 404


def test_an_attachment_missing_on_disk_is_a_404_not_a_500(
    client, secretariat, make_application, private_media
):
    application = make_application(Status.SUBMITTED, attachment=pdf_upload())
    (private_media / application.attachment.name).unlink()
    client.force_login(secretariat)
    assert client.get(attachment_url(application)).status_code == 404


# A replaced or removed attachment leaves the disk, once the change is stored.


def stored_files(private_media):
    return sorted(p.relative_to(private_media) for p in private_media.rglob("*") if p.is_file())


def test_replacing_the_attachment_in_the_form_deletes_the_old_file(
    client, applicant, open_round, form_data, private_media, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    data = form_data(save="1")
    client.post(reverse("initiatives:apply"), {**data, "attachment": pdf_upload("en.pdf")})
    application = SupportApplication.objects.get()
    old = private_media / application.attachment.name
    assert old.exists()

    edit = reverse("initiatives:application_edit", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**data, "attachment": pdf_upload("to.pdf")})

    application.refresh_from_db()
    assert application.attachment_name == "to.pdf"
    assert not old.exists()
    assert stored_files(private_media) == [
        (private_media / application.attachment.name).relative_to(private_media)
    ]


def test_the_old_file_stays_until_the_change_is_committed(
    make_application, private_media, django_capture_on_commit_callbacks
):
    application = make_application(attachment=pdf_upload())
    old = private_media / application.attachment.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application.attachment = pdf_upload("ny.pdf")
        application.save()
        assert old.exists()  # the row may still be rolled back
    assert old.exists()
    for callback in callbacks:
        callback()
    assert not old.exists()
    assert (private_media / application.attachment.name).exists()


def test_a_rolled_back_change_keeps_the_old_file(make_application, private_media):
    application = make_application(attachment=pdf_upload())
    old = private_media / application.attachment.name

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        application.attachment = ""
        application.save()
        raise Abort

    assert old.exists()
    application.refresh_from_db()
    assert (private_media / application.attachment.name) == old


def test_removing_the_attachment_deletes_the_file(
    make_application, private_media, django_capture_on_commit_callbacks
):
    application = make_application(attachment=pdf_upload())
    old = private_media / application.attachment.name

    with django_capture_on_commit_callbacks(execute=True):
        application.attachment = ""
        application.attachment_name = ""
        application.save()

    assert not old.exists()


def test_saving_other_fields_keeps_the_file(
    make_application, private_media, django_capture_on_commit_callbacks
):
    application = make_application(attachment=pdf_upload())
    kept = private_media / application.attachment.name

    with django_capture_on_commit_callbacks(execute=True):
        application.initiative_title = "Ny titel"
        application.save()
        SupportApplication.objects.get(pk=application.pk).save()

    assert kept.exists()


def test_deleting_an_application_deletes_its_file(
    make_application, private_media, django_capture_on_commit_callbacks
):
    application = make_application(attachment=pdf_upload())
    old = private_media / application.attachment.name

    with django_capture_on_commit_callbacks(execute=True):
        SupportApplication.objects.filter(pk=application.pk).delete()

    assert not old.exists()
