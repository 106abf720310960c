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
