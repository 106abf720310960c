"""The secretariat's review desk in the admin."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from initiatives import workflow
from initiatives.models import SupportApplication

from .conftest import pdf_upload

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


def test_sekretariat_group_has_exactly_the_review_permissions(db):
    group = Group.objects.get(name="Sekretariat")
    # Its workshop permissions are checked in tests/workshops/test_admin.py, its
    # contribution permissions in tests/cases/test_contributions.py.
    checked_elsewhere = ("workshops", "cases")
    outside_workshops = group.permissions.exclude(content_type__app_label__in=checked_elsewhere)
    assert sorted(outside_workshops.values_list("content_type__app_label", "codename")) == [
        ("initiatives", "change_supportapplication"),
        ("initiatives", "review_supportapplication"),
        ("initiatives", "view_applicationround"),
        ("initiatives", "view_applicationtransition"),
        ("initiatives", "view_supportapplication"),
    ]


def test_staff_outside_the_secretariat_cannot_see_applications(client, make_user, make_application):
    application = make_application(Status.SUBMITTED, attachment=pdf_upload())
    client.force_login(make_user("webredaktoer@example.dk", is_staff=True))

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(application)).status_code == 403
    assert client.get(review_url(application)).status_code == 403
    attachment = reverse("initiatives:application_attachment", args=[application.pk])
    assert client.get(attachment).status_code == 404
    history = reverse("admin:initiatives_supportapplication_history", args=[application.pk])
    assert client.get(history).status_code == 403


def test_secretariat_cannot_add_or_delete_applications(desk, make_application):
    application = make_application(Status.SUBMITTED)
    assert desk.get(reverse("admin:initiatives_supportapplication_add")).status_code == 403
    delete = reverse("admin:initiatives_supportapplication_delete", args=[application.pk])
    assert desk.get(delete).status_code == 403


def test_secretariat_sees_submitted_applications_but_not_drafts(desk, make_application):
    submitted = make_application(Status.SUBMITTED, initiative_title="Indsendt initiativ")
    make_application(initiative_title="Hemmelig kladde")

    response = desk.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [submitted]
    assert "Hemmelig kladde" not in response.content.decode()


def _listed(desk, **params):
    return set(desk.get(CHANGELIST, params).context["cl"].result_list)


def test_changelist_filters_on_status_support_form_region_round_and_consultant(
    desk, make_application, make_region, make_round, secretariat, make_secretariat_member
):
    north = make_region("Region Nordjylland")
    other_round = make_round("Næste runde")
    a = make_application(Status.SUBMITTED, wants_udviklingsrum=True, region=north)
    b = make_application(Status.IN_REVIEW, wants_starthjaelp=True, wants_evaluering=False)
    c = make_application(Status.GRANTED, application_round=other_round, wants_starthjaelp=False)
    colleague = make_secretariat_member("kollega@example.dk")
    workflow.assign(b, colleague, secretariat)

    assert _listed(desk, status="submitted") == {a}
    assert _listed(desk, status="granted") == {c}
    assert _listed(desk, stoetteform="udviklingsrum") == {a}
    assert _listed(desk, stoetteform="starthjaelp") == {a, b}
    assert _listed(desk, region__id__exact=north.pk) == {a}
    assert _listed(desk, round__id__exact=other_round.pk) == {c}
    assert _listed(desk, assigned_to__id__exact=colleague.pk) == {b}


def test_search_finds_initiative_department_and_senders(desk, make_application):
    a = make_application(Status.SUBMITTED, initiative_title="Vælg klogt på sengeafsnittet")
    b = make_application(Status.SUBMITTED, department="Børneafdelingen")
    c = make_application(Status.SUBMITTED, employee_rep_name="Sanne Socialpædagog")

    assert _listed(desk, q="vælg klogt") == {a}
    assert _listed(desk, q="børneafd") == {b}
    assert _listed(desk, q="Sanne") == {c}


def test_applications_waiting_over_14_days_are_marked(desk, make_application):
    waiting = make_application(Status.IN_REVIEW)
    answered = make_application(Status.NEEDS_INFO)
    fresh = make_application(Status.SUBMITTED)
    long_ago = timezone.now() - timezone.timedelta(days=20)
    for application in (waiting, answered):
        workflow.backdate_submission(application, long_ago)

    content = desk.get(CHANGELIST).content.decode()

    assert content.count("⚠ 20") == 1
    assert _listed(desk, venter="overskredet") == {waiting}
    assert fresh not in _listed(desk, venter="overskredet")


def test_mark_in_review_action_goes_through_the_workflow(desk, make_application, secretariat):
    submitted = make_application(Status.SUBMITTED)
    granted = make_application(Status.GRANTED)

    response = desk.post(
        CHANGELIST,
        {"action": "mark_in_review", "_selected_action": [submitted.pk, granted.pk]},
        follow=True,
    )

    submitted.refresh_from_db()
    granted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    assert submitted.transitions.last().actor == secretariat
    assert granted.status == Status.GRANTED
    assert granted.reference in response.content.decode()


def test_assign_to_me_action(desk, make_application, secretariat):
    a, b = make_application(Status.SUBMITTED), make_application(Status.IN_REVIEW)

    desk.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [a.pk, b.pk]})

    assert set(SupportApplication.objects.values_list("assigned_to", flat=True)) == {secretariat.pk}


def test_csv_export_of_the_selection_opens_in_danish_excel(desk, make_application):
    chosen = make_application(
        Status.SUBMITTED, initiative_title="Tværfaglig læring", department="=HYPERLINK(1)"
    )
    make_application(Status.SUBMITTED, initiative_title="Ikke valgt")

    response = desk.post(CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Sagsnr.", "Status", "Ansøgningsrunde", "Initiativ"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Initiativ"] == "Tværfaglig læring"
    assert row["Status"] == "Indsendt"
    assert row["Starthjælp"] == "Ja" and row["Udviklingsrum"] == "Nej"
    assert row["Afdeling"] == "'=HYPERLINK(1)"  # never run as a formula


def test_what_the_applicant_wrote_is_read_only_and_notes_and_assignment_are_saved(
    desk, make_application, secretariat
):
    application = make_application(Status.IN_REVIEW)
    form = desk.get(change_url(application)).context["adminform"].form
    assert set(form.fields) == {"assigned_to", "internal_notes", "initiative"}

    desk.post(
        change_url(application),
        {
            "assigned_to": secretariat.pk,
            "internal_notes": "Tjek budgettet.",
            "initiative_title": "Ændret af admin",
            "status": Status.GRANTED,
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )

    application.refresh_from_db()
    assert application.internal_notes == "Tjek budgettet."
    assert application.assigned_to == secretariat
    assert application.initiative_title == "Tværfaglige tavlemøder i akutmodtagelsen"
    assert application.status == Status.IN_REVIEW


def test_review_step_offers_only_the_allowed_next_steps(desk, make_application):
    submitted = make_application(Status.SUBMITTED)
    in_review = make_application(Status.IN_REVIEW)
    waiting_for_applicant = make_application(Status.NEEDS_INFO)

    def offered(application):
        # The step is on the application's page; its old address leads there.
        response = desk.get(review_url(application), follow=True)
        assert response.redirect_chain == [(f"{change_url(application)}#behandl", 302)]
        return [value for value, _ in response.context["review_form"].fields["target"].choices]

    assert offered(submitted) == ["in_review"]
    assert offered(in_review) == ["needs_info", "granted", "rejected"]
    assert offered(waiting_for_applicant) == []


def test_review_step_refuses_a_transition_that_is_not_allowed(desk, make_application):
    application = make_application(Status.SUBMITTED)

    response = desk.post(review_url(application), {"target": "granted", "message": "Ja"})

    assert response.status_code == 200
    assert "target" in response.context["review_form"].errors
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_rejection_needs_a_message_to_the_applicants(desk, make_application, mailoutbox):
    application = make_application(Status.IN_REVIEW)

    response = desk.post(review_url(application), {"target": "rejected", "message": ""})

    assert "Skriv en besked til ansøgerne." in response.context["review_form"].errors["message"]
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert mailoutbox == []


def test_decision_step_sets_the_status_and_emails_the_decision(
    desk, make_application, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(Status.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            review_url(application),
            {"target": "granted", "message": "En konsulent ringer i næste uge."},
        )

    assert response["Location"] == change_url(application)
    application.refresh_from_db()
    assert application.status == Status.GRANTED
    assert application.decided_at is not None
    mail, *notices = mailoutbox
    assert mail.subject.startswith("I får støtte til")
    assert "En konsulent ringer i næste uge." in mail.body
    assert "er bevilget" in mail.body
    assert mail.to == [application.applicant.email]
    assert sorted(notice.to for notice in notices) == [
        [application.leader_email],
        [application.employee_rep_email],
    ]
    assert not any("En konsulent ringer" in notice.body for notice in notices)


def test_history_of_changes_is_visible_in_the_admin(desk, make_application, secretariat):
    application = make_application(Status.IN_REVIEW)
    desk.post(
        change_url(application),
        {
            "internal_notes": "Første note",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )

    history = reverse("admin:initiatives_supportapplication_history", args=[application.pk])
    response = desk.get(history)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Historik for" in content
    assert "Indsendt&nbsp;&rarr;&nbsp;Under vurdering" in content
    assert "Første note" in content
    assert application.history.count() >= 4
    assert application.history.first().internal_notes == "Første note"
    assert application.history.first().history_user == secretariat


def test_detail_shows_transitions_and_attachment_link(desk, make_application):
    application = make_application(Status.IN_REVIEW, attachment=pdf_upload())
    application.attachment_name = "projektbeskrivelse.pdf"
    application.save()

    content = desk.get(change_url(application)).content.decode()

    assert "Statusskift (hvem og hvornår)" in content
    assert "konsulent@example.dk" in content or "Karen" in content
    attachment = reverse("initiatives:application_attachment", args=[application.pk])
    assert attachment in content
    assert desk.get(attachment).status_code == 200


def test_changelist_query_count_does_not_grow_with_rows(
    desk, make_application, django_assert_num_queries, make_region
):
    make_application(Status.SUBMITTED)
    with django_assert_num_queries(10) as first:
        desk.get(CHANGELIST)
    for status in [Status.IN_REVIEW, Status.GRANTED, Status.NEEDS_INFO, Status.SUBMITTED]:
        make_application(status, region=make_region())
    with django_assert_num_queries(len(first.captured_queries)):
        desk.get(CHANGELIST)


def test_application_page_links_nowhere_the_secretariat_may_not_go(desk, make_application):
    application = make_application(status=SupportApplication.Status.SUBMITTED)
    html = desk.get(change_url(application)).content.decode()
    assert application.applicant.email in html
    assert application.region.name in html
    for forbidden in ("/admin/auth/user/", "/admin/portal/region/"):
        assert forbidden not in html
        # …and where those links would have led, the secretariat is indeed refused.
        assert desk.get(forbidden).status_code == 403


def test_an_old_version_of_an_application_is_shown_in_danish(desk, make_application):
    application = make_application(status=SupportApplication.Status.SUBMITTED)
    version = application.history.first()
    url = reverse(
        "admin:initiatives_supportapplication_simple_history",
        args=[application.pk, version.history_id],
    )
    html = desk.get(url).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Tidligere version" in text and "Historik" in text
    for english in ("Historical", "historical", "View ansøgning", " Initiatives "):
        assert english not in text
