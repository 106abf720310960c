"""Attachments go through the "private" storage (settings.STORAGES), never by their paths,
so several app servers can share them in an object store.

Django's own InMemoryStorage stands in for such a store: a real backend without folders
on this machine's disk.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from initiatives.models import SupportApplication
from portal import privacy

from .conftest import pdf_upload
from .test_personal_data import decided_years_ago

Status = SupportApplication.Status
IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def object_store(settings, private_media):
    """STORAGES["private"] is a backend without a local folder."""
    settings.STORAGES = {**settings.STORAGES, "private": IN_MEMORY}
    return storages["private"]


def files_on_disk(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


def read(storage, name):
    with storage.open(name, "rb") as handle:
        return handle.read()


def test_an_uploaded_attachment_is_stored_and_sent_through_the_storage(
    client, applicant, secretariat, open_round, form_data, object_store, private_media
):
    content = b"%PDF-1.4\n% projektbeskrivelse i lageret\n%%EOF\n"
    client.force_login(applicant)
    client.post(
        reverse("initiatives:apply"),
        {**form_data(submit="1"), "attachment": pdf_upload("plan.pdf", content)},
    )
    application = SupportApplication.objects.get()
    assert application.status == Status.SUBMITTED
    assert read(object_store, application.attachment.name) == content
    assert files_on_disk(private_media) == []

    url = reverse("initiatives:application_attachment", args=[application.pk])
    for user in (applicant, secretariat):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content


def test_an_attachment_missing_from_the_storage_is_a_404(
    client, secretariat, make_application, object_store
):
    application = make_application(Status.SUBMITTED, attachment=pdf_upload())
    object_store.delete(application.attachment.name)
    client.force_login(secretariat)
    url = reverse("initiatives:application_attachment", args=[application.pk])
    assert client.get(url).status_code == 404


def test_retention_finds_and_deletes_files_in_the_storage(
    settings, make_application, object_store, django_capture_on_commit_callbacks
):
    """Anonymised applications lose their attachment, and a file no row refers to goes
    once it is a day old, all through the storage's listdir, times and delete."""
    settings.RETENTION_YEARS = 5
    old = make_application(Status.REJECTED, attachment=pdf_upload())
    recent = make_application(Status.GRANTED, attachment=pdf_upload())
    old_name, recent_name = old.attachment.name, recent.attachment.name
    decided_years_ago(old, 5, days=2)
    orphan = object_store.save("ansoegninger/2020/01/erstattet.pdf", ContentFile(b"%PDF-1.4"))
    assert object_store.exists(old_name) and object_store.exists(recent_name)

    in_two_days = timezone.now() + datetime.timedelta(days=2)
    assert privacy.orphaned_files(now=timezone.now()) == set()
    assert privacy.orphaned_files(now=in_two_days) == {orphan}

    with django_capture_on_commit_callbacks(execute=True):
        report = privacy.apply_retention(now=in_two_days)

    old.refresh_from_db()
    assert old.anonymised_at is not None and not old.attachment
    assert not object_store.exists(old_name)
    assert not object_store.exists(orphan)
    assert object_store.exists(recent_name)
    # The anonymised application's file and the orphan, both older than a day by then.
    assert "2 fil(er) slettet fra det private filområde (intet henviser til dem)." in (report.lines)


def test_deleting_files_never_leaves_the_private_folder(private_media, tmp_path):
    """Whatever a row says, the local storage refuses names outside its folder."""
    outside = tmp_path / "udenfor.pdf"
    outside.write_bytes(b"%PDF-1.4 ikke et bilag")
    inside = private_media / "ansoegninger" / "bilag.pdf"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"%PDF-1.4 et bilag")
    report = privacy.Report()
    report.delete_files_later(["../udenfor.pdf", str(outside), "ansoegninger/bilag.pdf"])

    assert report.delete_files() == 1

    assert outside.exists()
    assert not inside.exists()


def test_the_local_storage_follows_private_media_root_and_has_no_url(settings, tmp_path):
    storage = storages["private"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "andet-sted"
    name = storage.save("ansoegninger/bilag.pdf", ContentFile(b"%PDF-1.4"))
    assert (tmp_path / "andet-sted" / name).read_bytes() == b"%PDF-1.4"
    with pytest.raises(ValueError, match="ingen offentlig adresse"):
        storage.url(name)
