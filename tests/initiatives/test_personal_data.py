"""Personal data under control: deleting an account, exporting and erasing what the portal
holds on an address, and anonymising what has been kept long enough."""

import csv
import datetime
import io
import json
import os

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.models import SupportApplication

from .conftest import pdf_upload

Status = SupportApplication.Status
History = SupportApplication.history.model
ADDRESS = "ansoeger@example.dk"  # the `applicant` fixture's account


def delete_url():
    return reverse("portal:account_delete")


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def everything_stored():
    """Every row of every table as one lower-cased text, to look for traces in."""
    return repr(
        [serializers.serialize("python", model._base_manager.all()) for model in apps.get_models()]
    ).lower()


def decided_years_ago(application, years, days=0):
    """Move the decision back in time (the workflow only ever writes 'now')."""
    moment = timezone.now() - datetime.timedelta(days=365 * years + days)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_supportapplication SET decided_at = %s WHERE id = %s",
            [moment, application.pk],
        )


@pytest.fixture
def colleague(make_user):
    return make_user("kollega@example.dk", first_name="Karl")


@pytest.fixture
def names_the_applicant(make_application, colleague):
    """A colleague's application that names the applicant's address as employee rep."""
    return make_application(
        Status.SUBMITTED,
        owner=colleague,
        leader_name="Lis Anden",
        leader_email="lis.anden@example.dk",
        leader_phone="98 76 54 32",
        employee_rep_name="Anne Ansøger",
        employee_rep_title="Arbejdsmiljørepræsentant",
        employee_rep_email="ANSOEGER@example.dk",
        employee_rep_phone="11 22 33 44",
    )


# Deleting an account


def test_an_account_with_applications_can_be_deleted(applicant, make_application):
    """Applications and transitions used to PROTECT their account: no deletion at all."""
    application = make_application(Status.GRANTED)

    applicant.delete()

    application.refresh_from_db()
    assert application.applicant is None
    assert application.status == Status.GRANTED
    submitted = application.transitions.get(to_status=Status.SUBMITTED)
    assert submitted.actor is None


def test_the_desk_copes_with_an_application_whose_account_is_deleted(
    client, secretariat, applicant, make_application
):
    application = make_application(Status.SUBMITTED)
    applicant.delete()
    client.force_login(secretariat)

    page = client.get(reverse("admin:initiatives_supportapplication_change", args=[application.pk]))
    exported = client.post(
        reverse("admin:initiatives_supportapplication_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk]},
    )
    listed = client.get(reverse("admin:initiatives_supportapplication_changelist"))

    assert page.status_code == 200
    assert "Kontoen er slettet" in page.content.decode()
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert table[1][0] == application.reference
    assert listed.status_code == 200


def test_the_secretariat_can_still_decide_when_the_account_is_gone(
    client, secretariat, applicant, make_application, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.IN_REVIEW)
    mailoutbox.clear()
    applicant.delete()
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:initiatives_supportapplication_review", args=[application.pk]),
            {"target": Status.GRANTED, "message": "Tillykke."},
        )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Status.GRANTED
    assert not any(ADDRESS in message.to for message in mailoutbox)


# export_personal_data


def test_export_lists_everything_held_on_the_address(
    applicant, make_application, names_the_applicant, colleague
):
    granted = make_application(Status.GRANTED)
    draft = make_application(Status.DRAFT)
    make_application(
        Status.SUBMITTED,
        owner=colleague,
        leader_email="lis.anden@example.dk",
        employee_rep_email="per.tr@example.dk",
    )

    data = json.loads(run("export_personal_data", ADDRESS))

    assert data["e_mail"] == ADDRESS
    assert data["konto"]["fields"]["email"] == ADDRESS
    assert data["konto"]["fields"]["first_name"] == "Anne"
    assert "password" not in data["konto"]["fields"]
    assert [row["fields"]["email"] for row in data["e_mailadresser"]] == [ADDRESS]
    applications = {entry["sagsnr"]: entry for entry in data["ansoegninger"] if "sagsnr" in entry}
    assert set(applications) == {granted.reference, draft.reference, names_the_applicant.reference}
    assert applications[names_the_applicant.reference]["roller"] == ["medarbejderrepræsentant"]
    assert applications[granted.reference]["roller"] == ["ansøger (konto)"]
    assert applications[granted.reference]["ansoegning"]["fields"]["leader_name"] == "Lone Leder"
    assert [t["fields"]["to_status"] for t in applications[granted.reference]["statusskift"]] == [
        "submitted",
        "in_review",
        "granted",
    ]
    assert applications[granted.reference]["historik"]
    made = next(e for e in data["ansoegninger"] if "statusskift_udfoert_af_kontoen" in e)
    assert {row["fields"]["application"] for row in made["statusskift_udfoert_af_kontoen"]} == {
        granted.pk
    }


def test_export_of_an_address_without_account_finds_where_it_was_typed(
    make_application, names_the_applicant
):
    data = json.loads(run("export_personal_data", "Lis.Anden@example.dk"))

    assert data["konto"] is None
    assert [entry["roller"] for entry in data["ansoegninger"]] == [["leder"]]


def test_export_refuses_what_is_not_an_address(db):
    with pytest.raises(CommandError, match="ikke en gyldig e-mailadresse"):
        run("export_personal_data", "ikke-en-adresse")


# delete_personal_data


def test_deleting_personal_data_leaves_no_trace_of_the_person(
    applicant,
    make_application,
    names_the_applicant,
    private_media,
    django_capture_on_commit_callbacks,
):
    granted = make_application(
        Status.GRANTED,
        attachment=pdf_upload(),
        attachment_name="Annes projektplan.pdf",
        internal_notes="Anne ringede og fortalte om afdelingen.",
    )
    draft = make_application(Status.DRAFT, attachment=pdf_upload())
    files = {
        "granted": private_media / granted.attachment.name,
        "draft": private_media / draft.attachment.name,
        "other": private_media / names_the_applicant.attachment.name
        if names_the_applicant.attachment
        else None,
    }
    assert files["granted"].exists() and files["draft"].exists()

    with django_capture_on_commit_callbacks(execute=True):
        output = run("delete_personal_data", ADDRESS, interactive=False)

    assert not get_user_model().objects.filter(email__iexact=ADDRESS).exists()
    assert not SupportApplication.objects.filter(pk=draft.pk).exists()
    assert not History.objects.filter(id=draft.pk).exists()
    assert not files["granted"].exists() and not files["draft"].exists()

    granted.refresh_from_db()
    assert granted.status == Status.GRANTED and granted.decided_at is not None
    assert granted.anonymised_at is not None
    assert granted.applicant is None
    assert granted.initiative_title == "Tværfaglige tavlemøder i akutmodtagelsen"
    assert granted.transitions.count() == 3

    names_the_applicant.refresh_from_db()
    assert names_the_applicant.employee_rep_email == ""
    assert names_the_applicant.employee_rep_name == ""
    assert names_the_applicant.leader_name == "Lis Anden"  # not hers
    assert names_the_applicant.anonymised_at is None

    stored = everything_stored()
    for trace in [
        ADDRESS,
        "Anne Ansøger",
        "Arbejdsmiljørepræsentant",
        "11 22 33 44",
        "Lone Leder",
        "lone.leder@example.dk",
        "Mads Medarbejder",
        "12 34 56 78",
        "Anne ringede",
        "Annes projektplan",
        "Besked: Bevilget",
    ]:
        assert trace.lower() not in stored, trace
    assert "Kontoen ansoeger@example.dk er slettet." in output
    assert "1 kladde(r) slettet med bilag." in output


def test_deleting_personal_data_of_an_unknown_address_says_so(db):
    output = run("delete_personal_data", "ingen@example.dk", interactive=False)
    assert "Portalen har ingen persondata om ingen@example.dk." in output


def test_a_registered_holder_takes_part_in_export_and_erasure(applicant):
    """The coming workshops app adds its registrations by registering one holder."""
    from portal import privacy

    class Registrations(privacy.PersonalDataHolder):
        key = "tilmeldinger"
        erased = []

        def export(self, subject):
            return [{"workshop": "Trivsel i nattevagten", "e_mail": subject.email}]

        def erase(self, subject, report):
            self.erased.append(subject.email)
            report.add("1 tilmelding slettet.")

    holder = privacy.register(Registrations())
    try:
        exported = json.loads(run("export_personal_data", ADDRESS))
        output = run("delete_personal_data", ADDRESS, interactive=False)
    finally:
        privacy.unregister(holder)

    assert exported["tilmeldinger"][0]["e_mail"] == ADDRESS
    assert holder.erased == [ADDRESS]
    assert "1 tilmelding slettet." in output


# apply_retention


def test_retention_anonymises_old_decisions_and_clears_orphans_once(
    settings, make_application, private_media, django_capture_on_commit_callbacks
):
    settings.RETENTION_YEARS = 5
    old = make_application(Status.REJECTED, attachment=pdf_upload())
    recent = make_application(Status.GRANTED, attachment=pdf_upload())
    waiting = make_application(Status.IN_REVIEW)
    decided_years_ago(old, 5, days=2)
    decided_years_ago(recent, 4)
    old_file = private_media / old.attachment.name
    recent_file = private_media / recent.attachment.name
    orphan = private_media / "ansoegninger/2020/01/erstattet.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4 gammelt bilag")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(orphan, (two_days_ago, two_days_ago))
    uploading = private_media / "ansoegninger/2026/12/under-upload.pdf"
    uploading.parent.mkdir(parents=True, exist_ok=True)
    uploading.write_bytes(b"%PDF-1.4 lige uploadet")
    expired = Session.objects.create(
        session_key="udloebet" * 4, session_data="", expire_date=timezone.now()
    )
    live = Session.objects.create(
        session_key="levende0" * 4,
        session_data="",
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )
    assert History.objects.filter(id=old.pk).count() > 1

    with django_capture_on_commit_callbacks(execute=True):
        output = run("apply_retention")

    old.refresh_from_db()
    assert old.anonymised_at is not None and old.status == Status.REJECTED
    assert old.leader_name == "" and old.employee_rep_email == "" and not old.attachment
    assert not old_file.exists()
    kept_history = History.objects.filter(id=old.pk)
    assert kept_history.count() == 1
    assert kept_history.get().leader_email == ""
    for untouched in (recent, waiting):
        untouched.refresh_from_db()
        assert untouched.anonymised_at is None and untouched.leader_name == "Lone Leder"
    assert recent_file.exists()
    assert not orphan.exists()
    assert uploading.exists()
    assert not Session.objects.filter(pk=expired.pk).exists()
    assert Session.objects.filter(pk=live.pk).exists()
    assert "1 ansøgning(er) anonymiseret (afgjort før" in output
    assert old.reference in output
    assert "1 fil(er) slettet fra det private filområde" in output

    with django_capture_on_commit_callbacks(execute=True):
        again = run("apply_retention")

    assert "Intet at gøre" in again
    recent.refresh_from_db()
    assert recent.anonymised_at is None


def test_retention_dry_run_changes_nothing(
    settings, make_application, private_media, django_capture_on_commit_callbacks
):
    settings.RETENTION_YEARS = 1
    old = make_application(Status.GRANTED, attachment=pdf_upload())
    decided_years_ago(old, 2)

    with django_capture_on_commit_callbacks(execute=True):
        output = run("apply_retention", dry_run=True)

    old.refresh_from_db()
    assert "Prøvekørsel" in output and old.reference in output
    assert old.anonymised_at is None and old.leader_name == "Lone Leder"
    assert (private_media / old.attachment.name).exists()


# The applicant deletes their own account


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def test_the_applicants_pages_link_to_account_deletion(logged_in, open_round):
    page = logged_in.get(reverse("initiatives:my_applications")).content.decode()
    assert f'href="{delete_url()}"' in page


def test_account_deletion_asks_first_and_get_deletes_nothing(logged_in, applicant):
    response = logged_in.get(delete_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Slet din konto" in content
    assert 'name="password"' in content
    assert 'method="post"' in content
    assert get_user_model().objects.filter(pk=applicant.pk).exists()


def test_a_wrong_password_deletes_nothing(logged_in, applicant):
    response = logged_in.post(delete_url(), {"password": "forkert-kodeord", "confirm": "on"})

    assert response.status_code == 200
    assert "Adgangskoden er forkert" in response.content.decode()
    assert get_user_model().objects.filter(pk=applicant.pk).exists()


def test_wrong_passwords_here_count_as_failed_logins(logged_in, applicant, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        logged_in.post(delete_url(), {"password": "gaet-igen", "confirm": "on"})

    response = logged_in.post(delete_url(), {"password": "hemmeligt-kodeord-42", "confirm": "on"})

    assert "For mange mislykkede loginforsøg" in response.content.decode()
    assert get_user_model().objects.filter(pk=applicant.pk).exists()


def test_the_applicant_deletes_their_account_and_is_logged_out(
    logged_in, applicant, make_application, django_capture_on_commit_callbacks
):
    granted = make_application(Status.GRANTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            delete_url(), {"password": "hemmeligt-kodeord-42", "confirm": "on"}, follow=True
        )

    assert not get_user_model().objects.filter(pk=applicant.pk).exists()
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Din konto er slettet" in response.content.decode()
    assert not response.context["user"].is_authenticated
    granted.refresh_from_db()
    assert granted.anonymised_at is not None
    mine = logged_in.get(reverse("initiatives:my_applications"))
    assert mine.status_code == 302 and reverse("account_login") in mine["Location"]


def test_account_deletion_needs_the_csrf_token(applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    response = client.post(delete_url(), {"password": "hemmeligt-kodeord-42", "confirm": "on"})

    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=applicant.pk).exists()


def test_staff_cannot_delete_their_own_account_here(client, secretariat):
    client.force_login(secretariat)

    page = client.get(delete_url())
    response = client.post(
        delete_url(), {"password": "hemmeligt-kodeord-42", "confirm": "on"}, follow=True
    )

    assert "kan ikke slette" in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert "kan ikke slette" in response.content.decode()
    assert get_user_model().objects.filter(pk=secretariat.pk).exists()


def test_an_anonymous_visitor_is_asked_to_log_in(client, db):
    response = client.get(delete_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deleted_account_leaves_no_reference_that_stops_dumpdata(
    applicant, make_application, tmp_path
):
    """The history keeps plain ids; `dumpdata --natural-foreign` looked the deleted account
    up and stopped ("Unable to serialize database")."""
    application = make_application(Status.SUBMITTED)
    applicant.delete()

    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions"],
        output=str(tmp_path / "dump.json"),
        verbosity=0,
    )

    assert History.objects.filter(id=application.pk, applicant__isnull=True).exists()
    assert not History.objects.filter(id=application.pk, applicant__isnull=False).exists()
