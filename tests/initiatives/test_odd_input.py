"""Odd values in the initiatives app's GET parameters answer without a server error.

NUL bytes matter on PostgreSQL, which refuses them in a query; the other values catch
`int()` and lookups on what a visitor typed.
"""

import pytest

from initiatives.models import SupportApplication

Status = SupportApplication.Status
ODD = ["%00", "a%00b", "%C2%B2", "abc", "-1", "1.5", "x" * 300, "%3Cb%3E"]


@pytest.fixture
def application(make_application):
    return make_application(Status.SUBMITTED)


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    "path",
    [
        "/initiativer/ansoeg/?runde={}",
        "/initiativer/?tema={}&region={}&fase={}&page={}",
        "/initiativer/mine-ansoegninger/?page={}",
    ],
)
def test_the_applicants_pages_take_odd_values(client, applicant, application, path, value):
    client.force_login(applicant)
    assert client.get(path.replace("{}", value)).status_code < 500


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    "parameter", ["status", "stoetteform", "venter", "q", "region__id__exact", "round__id__exact"]
)
def test_the_desks_list_filters_take_odd_values(client, secretariat, application, parameter, value):
    client.force_login(secretariat)
    url = f"/admin/initiatives/supportapplication/?{parameter}={value}"
    assert client.get(url).status_code < 500


def test_an_unknown_status_filter_lists_nothing(client, secretariat, application):
    client.force_login(secretariat)
    response = client.get("/admin/initiatives/supportapplication/?status=ukendt")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_an_odd_round_on_the_apply_page_is_a_round_that_is_not_open(client, applicant, open_round):
    client.force_login(applicant)
    response = client.get("/initiativer/ansoeg/?runde=%00")
    assert response.status_code == 200
    assert "Der er ikke åbent for ansøgninger lige nu" in response.content.decode()


POSTED = ["\x00", "a\x00b", "²", "x" * 5000, "<b>x</b>", ""]


@pytest.mark.parametrize("value", POSTED)
def test_the_application_form_takes_odd_values_in_every_field(
    client, applicant, open_round, form_data, value
):
    client.force_login(applicant)
    data = form_data(submit="1")
    for field in data:
        response = client.post("/initiativer/ansoeg/", {**data, field: value})
        assert response.status_code < 500, field
    assert client.post("/initiativer/ansoeg/", dict.fromkeys(data, value)).status_code < 500
    for application in SupportApplication.objects.all():
        assert "<b>" not in client.get(application.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", POSTED)
def test_the_review_step_and_change_form_take_odd_values(
    client, secretariat, make_application, value
):
    application = make_application(Status.IN_REVIEW)
    client.force_login(secretariat)
    review = f"/admin/initiatives/supportapplication/{application.pk}/behandl/"
    change = f"/admin/initiatives/supportapplication/{application.pk}/change/"
    for data in (
        {"target": value, "message": value},
        {"target": "needs_info", "message": value},
        {"target": ["granted", "rejected"], "message": "x"},
    ):
        assert client.post(review, data).status_code < 500
    odd_change = {
        "internal_notes": value,
        "assigned_to": value,
        "initiative": value,
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    assert client.post(change, odd_change).status_code < 500


@pytest.mark.parametrize("value", ["\x00", "²", "abc", "", "99999999999999999999"])
@pytest.mark.parametrize(
    ("model", "action"),
    [
        ("supportapplication", "mark_in_review"),
        ("supportapplication", "assign_to_me"),
        ("applicationround", "delete_selected"),
        ("initiative", "delete_selected"),
    ],
)
def test_list_actions_with_odd_selections_are_refused_not_a_500(
    client, make_user, make_application, model, action, value
):
    make_application(Status.SUBMITTED)
    client.force_login(make_user("admin@example.dk", is_staff=True, is_superuser=True))
    url = f"/admin/initiatives/{model}/"
    response = client.post(url, {"action": action, "_selected_action": ["1", value]})
    assert response.status_code == 302
    assert SupportApplication.objects.get().status == Status.SUBMITTED
