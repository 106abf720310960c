"""Attachments: who may download them, and that a replaced one leaves the disk."""

import pytest
from django.contrib.auth.models import Permission
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
