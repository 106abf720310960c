"""The review desk's object URLs answer ids that are not numbers, and drafts, with a 404."""

import pytest

from initiatives.models import SupportApplication

Status = SupportApplication.Status
BASE = "/admin/initiatives/supportapplication"
ODD_IDS = ["abc", "²", "1.5", "-1", "%00", "99999999999999999999"]


@pytest.fixture
def desk(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.mark.parametrize("odd", ODD_IDS)
@pytest.mark.parametrize("suffix", ["behandl/", "history/", "history/1/"])
def test_odd_ids_on_the_desks_own_urls_are_a_404(desk, odd, suffix):
    assert desk.get(f"{BASE}/{odd}/{suffix}").status_code == 404


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_version_ids_on_the_history_page_are_a_404(desk, make_application, odd):
    application = make_application(Status.SUBMITTED)
    assert desk.get(f"{BASE}/{application.pk}/history/{odd}/").status_code == 404


def test_a_version_of_another_application_is_a_404(desk, make_application):
    first = make_application(Status.SUBMITTED)
    second = make_application(Status.SUBMITTED)
    version = second.history.first().history_id
    assert desk.get(f"{BASE}/{first.pk}/history/{version}/").status_code == 404


def test_odd_ids_on_the_change_page_send_the_desk_home(desk):
    response = desk.get(f"{BASE}/abc/change/")
    assert response.status_code == 302


@pytest.mark.parametrize("suffix", ["behandl/", "history/", "history/{version}/"])
def test_a_draft_is_hidden_on_every_object_url(desk, make_application, suffix):
    """The admin hides drafts (the applicants' unfinished work) from its list and change
    page; its review step and history pages hide them too."""
    draft = make_application(initiative_title="Hemmelig kladde")
    version = draft.history.first().history_id
    response = desk.get(f"{BASE}/{draft.pk}/{suffix.format(version=version)}")
    assert response.status_code == 404
    assert "Hemmelig kladde" not in response.content.decode()
