"""Every list in the admin, the portal's own and those Django and allauth register, takes
an action on an unreadable selection with a message instead of a server error."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.admin_tools import PortalAdminSite

ADMINS = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser(
        "root@example.dk", "root@example.dk", "meget-hemmeligt-42"
    )
    client.force_login(user)
    return client


def test_the_portal_admin_site_is_the_one_in_use():
    assert isinstance(admin.site, PortalAdminSite)
    assert ("auth", "user") in ADMINS and ("cases", "case") in ADMINS


@pytest.mark.parametrize(("app_label", "model_name"), ADMINS)
@pytest.mark.parametrize("selected", [["abc"], ["²"], ["1", "٣"], ["9" * 40]])
def test_an_unreadable_selection_is_a_message(superuser_client, app_label, model_name, selected):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    response = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": selected}, follow=True
    )

    assert response.status_code == 200
    assert "Markeringen kunne ikke læses" in response.content.decode()
