"""The applicant's side: drafts, submitting, the deadline, amending, and privacy."""

import datetime
import io
import threading
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.models import SupportApplication

from .conftest import PDF_BYTES, pdf_upload

Status = SupportApplication.Status
APPLY = reverse("initiatives:apply")


@pytest.fixture
def logged_in(client, applicant, open_round):
    client.force_login(applicant)
    return client


def test_anonymous_visitor_is_asked_to_log_in_before_applying(client, open_round):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_after_the_deadline_the_apply_page_says_so_plainly(client, make_round):
    make_round(
        "Rette kompetencer til rette opgaver",
        opens=datetime.date(2024, 1, 15),
        closes=datetime.date(2024, 4, 10),
    )
    response = client.get(APPLY)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Der er ikke åbent for ansøgninger lige nu" in content
    assert "onsdag 10. april 2024" in content
    assert '<form method="post"' not in content


def test_applicant_saves_an_incomplete_draft_and_comes_back_to_it(logged_in, form_data):
    data = form_data(leader_email="", support_forms=[], confirms_sharing=None, save="1")

    response = logged_in.post(APPLY, data)

    application = SupportApplication.objects.get()
    assert application.status == Status.DRAFT
    assert response["Location"] == reverse("initiatives:application_edit", args=[application.pk])
    page = logged_in.get(response["Location"]).content.decode()
    assert "Tværfaglige tavlemøder i akutmodtagelsen" in page
    assert 'value="12 34 56 78"' in page


def receipts(outbox):
    """The mails to the account's confirmed address (the typed addresses get a notice)."""
    return [mail for mail in outbox if mail.to == ["ansoeger@example.dk"]]


def test_submitting_sends_a_receipt_to_the_account_and_a_notice_to_both_senders(
    logged_in, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(APPLY, form_data(submit="1"))

    application = SupportApplication.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert application.status == Status.SUBMITTED
    assert application.wants_starthjaelp and application.wants_evaluering
    assert not application.wants_udviklingsrum
    (receipt,) = receipts(mailoutbox)
    notices = [mail for mail in mailoutbox if mail is not receipt]
    assert sorted(mail.to for mail in notices) == [
        ["lone.leder@example.dk"],
        ["mads.tr@example.dk"],
    ]
    assert receipt.subject.startswith("Kvittering: Vi har modtaget jeres ansøgning")
    assert "Starthjælp, Evaluering" in receipt.body
    assert application.reference in receipt.body
    assert application.transitions.get().email_sent_at is not None


def test_double_submit_creates_one_application_and_one_receipt(
    logged_in, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    data = form_data(submit="1")
    with django_capture_on_commit_callbacks(execute=True):
        first = logged_in.post(APPLY, data)
        second = logged_in.post(APPLY, data)

    application = SupportApplication.objects.get()
    assert first["Location"] == second["Location"] == application.get_absolute_url()
    assert application.transitions.count() == 1
    assert len(receipts(mailoutbox)) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database file; the race needs PostgreSQL's row locks",
)
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_instant_gives_one_application(
    applicant, open_round, form_data, mailoutbox
):
    """A double click that reaches two web workers at once: one application, one receipt,
    and both requests end on it."""
    data = form_data(submit="1")
    start = threading.Barrier(2)
    responses = []

    def send():
        client = Client()
        client.force_login(applicant)
        start.wait()
        try:
            responses.append(client.post(APPLY, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    application = SupportApplication.objects.get()
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {application.get_absolute_url()}
    assert application.status == Status.SUBMITTED
    assert application.transitions.count() == 1
    assert len(receipts(mailoutbox)) == 1


def test_saving_the_same_draft_form_twice_keeps_one_draft(logged_in, form_data):
    data = form_data(save="1")
    logged_in.post(APPLY, data)
    logged_in.post(APPLY, {**data, "initiative_title": "Ny titel"})

    application = SupportApplication.objects.get()
    assert application.initiative_title == "Ny titel"


def test_a_saved_draft_can_be_submitted_later(
    logged_in, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    data = form_data(save="1")
    logged_in.post(APPLY, data)
    application = SupportApplication.objects.get()
    edit_url = reverse("initiatives:application_edit", args=[application.pk])

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(edit_url, {**data, "submit": "1"})

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert len(receipts(mailoutbox)) == 1
    # Once submitted, the form is closed: the applicant is shown the application.
    response = logged_in.get(edit_url)
    assert response["Location"] == application.get_absolute_url()


def test_missing_information_is_listed_in_danish_and_what_was_typed_is_kept(logged_in, form_data):
    data = form_data(leader_email="", support_forms=[], confirms_timing=None, submit="1")

    response = logged_in.post(APPLY, data)

    assert response.status_code == 200
    assert not SupportApplication.objects.exists()
    content = response.content.decode()
    assert "Skriv lederens e-mailadresse." in content
    assert "Vælg mindst én form for støtte." in content
    assert "Initiativet skal være i gang eller kunne sættes i gang" in content
    assert 'value="Tværfaglige tavlemøder i akutmodtagelsen"' in content
    assert "Vi vil prøve daglige tavlemøder" in content
    assert 'aria-invalid="true"' in content


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("initiative_title", "Skriv initiativets titel."),
        ("initiative_description", "Beskriv kort det initiativ, I søger støtte til."),
        ("institution", "Skriv navnet på jeres sygehus eller institution."),
        ("department", "Skriv navnet på jeres afdeling."),
        ("region", "Vælg region."),
        ("leader_name", "Skriv lederens navn."),
        ("leader_title", "Skriv lederens stilling."),
        ("leader_email", "Skriv lederens e-mailadresse."),
        ("leader_phone", "Skriv lederens telefonnummer."),
        ("employee_rep_name", "Skriv medarbejderrepræsentantens navn."),
        ("employee_rep_title", "Skriv medarbejderrepræsentantens stilling."),
        ("employee_rep_email", "Skriv medarbejderrepræsentantens e-mailadresse."),
        ("employee_rep_phone", "Skriv medarbejderrepræsentantens telefonnummer."),
        ("contact_person", "Vælg, hvem af jer der er kontaktperson."),
        ("support_forms", "Vælg mindst én form for støtte."),
        ("own_resources", "Beskriv, hvilke ressourcer I selv kan stille med."),
        ("ready_to_start", "Skriv, hvornår I er klar til at gå i gang."),
        ("confirms_several_professions", "Initiativet skal involvere flere faggrupper."),
        ("confirms_timing", "kunne sættes i gang inden for de kommende måneder."),
        ("confirms_sharing", "læring og resultater deles med andre."),
        ("confirms_local_backing", "opbakning fra både ledelse og medarbejdere."),
    ],
)
def test_submission_requires_each_field_with_a_danish_message(logged_in, form_data, field, message):
    data = form_data(submit="1")
    data.pop(field)

    response = logged_in.post(APPLY, data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not SupportApplication.objects.exists()


def test_blank_text_counts_as_missing(logged_in, form_data):
    response = logged_in.post(APPLY, form_data(initiative_title="   ", submit="1"))
    assert "Skriv initiativets titel." in response.context["form"].errors["initiative_title"]


def _docx_bytes(with_document=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


OLE2_BYTES = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"leader_email": "lone@"}, "leader_email", "Indtast en gyldig e-mail-adresse."),
        ({"employee_rep_email": "ikke-en-mail"}, "employee_rep_email", "gyldig e-mail"),
        ({"leader_phone": "1234"}, "leader_phone", "Skriv et gyldigt telefonnummer"),
        ({"employee_rep_phone": "12 34 56 7a"}, "employee_rep_phone", "gyldigt telefonnummer"),
        (
            {"employee_rep_email": "LONE.LEDER@example.dk"},
            "employee_rep_email",
            "skal have hver sin e-mailadresse",
        ),
        ({"ready_to_start": "2000-01-01"}, "ready_to_start", "kan ikke ligge før i dag"),
        ({"ready_to_start": "31.02.2027"}, "ready_to_start", "Indtast en gyldig dato."),
        ({"initiative_title": "x" * 201}, "initiative_title", "højst have 200 tegn"),
        ({"initiative_description": "x" * 4001}, "initiative_description", "højst have 4000 tegn"),
        ({"own_resources": "x" * 2001}, "own_resources", "højst have 2000 tegn"),
        ({"region": "999999"}, "region", "Marker en gyldig valgmulighed"),
        ({"support_forms": ["konsulenttimer"]}, "support_forms", "Marker en gyldig valgmulighed"),
        ({"contact_person": "chefen"}, "contact_person", "Marker en gyldig valgmulighed"),
    ],
)
def test_each_format_rule_is_checked_on_the_server(logged_in, form_data, overrides, field, message):
    # Formats are checked even when only saving a draft.
    response = logged_in.post(APPLY, form_data(save="1", **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SupportApplication.objects.exists()


def test_start_date_must_be_within_the_coming_year(logged_in, form_data):
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = logged_in.post(APPLY, form_data(save="1", ready_to_start=too_late))
    assert "senest et år fra i dag" in response.context["form"].errors["ready_to_start"][0]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ansøgning.pdf", PDF_BYTES, "pdf"),
        ("ansøgning.docx", _docx_bytes(), "docx"),
        ("ansøgning.doc", OLE2_BYTES, "doc"),
        ("uden-endelse", PDF_BYTES, "pdf"),  # judged by content, not by name
    ],
)
def test_pdf_and_word_attachments_are_accepted_by_content(
    logged_in, form_data, private_media, name, content, expected
):
    upload = pdf_upload(name, content)
    logged_in.post(APPLY, form_data(save="1", attachment=upload))

    application = SupportApplication.objects.get()
    assert application.attachment.name.endswith(f".{expected}")
    assert application.attachment_name == name
    assert name not in application.attachment.name
    assert (private_media / application.attachment.name).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "PDF eller et Word-dokument"),
        ("noter.docx", _docx_bytes(with_document=False), "PDF eller et Word-dokument"),
        ("noter.pdf", b"", "Den indsendte fil er tom."),
        ("billede.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "PDF eller et Word-dokument"),
    ],
)
def test_attachments_are_refused_by_content_not_name(logged_in, form_data, name, content, message):
    response = logged_in.post(APPLY, form_data(save="1", attachment=pdf_upload(name, content)))
    assert message in " ".join(response.context["form"].errors["attachment"])
    assert not SupportApplication.objects.exists()


def test_attachments_over_10_mb_are_refused(logged_in, form_data):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = logged_in.post(APPLY, form_data(save="1", attachment=pdf_upload("stor.pdf", big)))
    assert "Den må højst fylde 10 MB." in response.context["form"].errors["attachment"][0]


def test_applicant_downloads_own_attachment(logged_in, form_data):
    logged_in.post(APPLY, form_data(save="1", attachment=pdf_upload()))
    application = SupportApplication.objects.get()

    response = logged_in.get(reverse("initiatives:application_attachment", args=[application.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert f"{application.reference}-bilag.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "url_name",
    [
        "initiatives:application_detail",
        "initiatives:application_edit",
        "initiatives:application_attachment",
    ],
)
def test_applicant_cannot_open_someone_elses_application(
    client, make_application, make_user, url_name
):
    application = make_application(attachment=pdf_upload())
    client.force_login(make_user("nysgerrig@example.dk"))

    response = client.get(reverse(url_name, args=[application.pk]))

    assert response.status_code == 404


def test_applicant_cannot_post_into_someone_elses_application(
    client, make_application, make_user, form_data
):
    application = make_application()
    client.force_login(make_user("nysgerrig@example.dk"))

    edit = client.post(
        reverse("initiatives:application_edit", args=[application.pk]), form_data(submit="1")
    )
    reused_token = client.post(APPLY, form_data(submit="1", form_token=str(application.form_token)))

    assert edit.status_code == reused_token.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.initiative_title == "Tværfaglige tavlemøder i akutmodtagelsen"


def test_my_applications_lists_only_my_own(logged_in, make_application, make_user):
    mine = make_application(Status.SUBMITTED, initiative_title="Mit initiativ")
    make_application(owner=make_user("anden@example.dk"), initiative_title="Andres initiativ")

    response = logged_in.get(reverse("initiatives:my_applications"))

    assert list(response.context["applications"]) == [mine]
    assert "Andres initiativ" not in response.content.decode()
    assert "Indsendt" in response.content.decode()


def test_applicant_sees_messages_but_never_internal_notes(logged_in, make_application):
    application = make_application(Status.NEEDS_INFO)
    application.internal_notes = "HEMMELIG NOTE: ring til direktøren"
    application.save()

    page = logged_in.get(application.get_absolute_url()).content.decode()
    edit_page = logged_in.get(reverse("initiatives:application_edit", args=[application.pk]))

    assert "Besked: Mangler oplysninger" in page
    assert "HEMMELIG NOTE" not in page
    assert "HEMMELIG NOTE" not in edit_page.content.decode()
    assert "konsulent@example.dk" not in page


def test_applicant_answers_a_request_for_information_and_resubmits(
    logged_in, make_application, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.NEEDS_INFO)
    edit_url = reverse("initiatives:application_edit", args=[application.pk])
    form = logged_in.get(edit_url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "", False) and name != "attachment"
    }
    data.update(
        region=application.region_id,
        ready_to_start=application.ready_to_start.isoformat(),
        support_forms=["udviklingsrum"],
        own_resources="Nu også en sekretær 5 timer om ugen.",
        message_to_secretariat="Vi har uddybet ressourcerne.",
        submit="1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(edit_url, data)

    application.refresh_from_db()
    assert response["Location"] == application.get_absolute_url()
    # Back with the consultant who asked, not in the queue of new applications.
    assert application.status == Status.IN_REVIEW
    assert application.own_resources == "Nu også en sekretær 5 timer om ugen."
    assert application.support_forms_display == "Udviklingsrum"
    last = application.transitions.last()
    assert (last.from_status, last.message) == (Status.NEEDS_INFO, "Vi har uddybet ressourcerne.")
    assert receipts(mailoutbox)[-1].subject.startswith(
        "Vi har modtaget jeres supplerende oplysninger"
    )


def test_draft_submitted_after_the_deadline_is_kept_as_draft(
    logged_in, make_application, open_round, form_data
):
    application = make_application()
    open_round.closes = timezone.localdate() - datetime.timedelta(days=1)
    open_round.save()
    data = form_data(submit="1", initiative_title="Sent, men gemt")

    response = logged_in.post(reverse("initiatives:application_edit", args=[application.pk]), data)

    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.initiative_title == "Sent, men gemt"
    follow = logged_in.get(response["Location"])
    assert "Ansøgningsfristen var" in follow.content.decode()


@pytest.mark.django_db(transaction=True)
def test_email_failure_never_loses_the_application(
    client, applicant, open_round, form_data, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.initiatives.email_backends.FailingEmailBackend"
    client.force_login(applicant)

    response = client.post(APPLY, form_data(submit="1"), follow=True)

    application = SupportApplication.objects.get()
    assert application.status == Status.SUBMITTED
    record = application.transitions.get()
    assert record.email_sent_at is None
    assert "SMTPServerDisconnected" in record.email_error
    assert "kvitteringen kunne ikke sendes" in response.content.decode()
    assert "Kunne ikke sende e-mail" in caplog.text


def test_my_applications_query_count_does_not_grow_with_rows(
    logged_in, make_application, django_assert_num_queries
):
    url = reverse("initiatives:my_applications")
    make_application(Status.SUBMITTED)
    with django_assert_num_queries(4):  # session, user, count, page
        logged_in.get(url)
    for status in [Status.DRAFT, Status.NEEDS_INFO, Status.GRANTED, Status.IN_REVIEW]:
        make_application(status)
    with django_assert_num_queries(4):
        logged_in.get(url)
