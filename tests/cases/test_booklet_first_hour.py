"""The folder and booklets as a new user meets them (issue 14); PDFs rendered for real and
read back with pypdf and pdftotext."""

import pytest
from django.urls import reverse

from cases.folder import SESSION_KEY


@pytest.fixture(autouse=True)
def booklet_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_emptying_the_folder_asks_first_and_a_get_changes_nothing(client, make_case):
    case = make_case("Seniorsamtaler om livsfaser")
    client.post(reverse("cases:folder_add"), {"case": case.pk})
    folder_page = client.get(reverse("cases:folder")).content.decode()
    assert f'href="{reverse("cases:folder_clear")}"' in folder_page

    question = client.get(reverse("cases:folder_clear"))
    assert question.status_code == 200
    assert "Tøm din inspirationsmappe?" in question.content.decode()
    assert "Ja, tøm mappen" in question.content.decode()
    assert client.session[SESSION_KEY]["ids"] == [case.pk]

    response = client.post(reverse("cases:folder_clear"))
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["ids"] == []


def test_folder_buttons_return_to_the_card_that_was_clicked(client, make_case):
    case = make_case("Seniorsamtaler om livsfaser")
    page = client.get(reverse("cases:list") + "?page=1").content.decode()
    assert f'value="/cases/?page=1#case-{case.pk}-title"' in page
    response = client.post(
        reverse("cases:folder_add"),
        {"case": case.pk, "next": f"/cases/?page=1#case-{case.pk}-title"},
    )
    assert response["Location"] == f"/cases/?page=1#case-{case.pk}-title"
    detail = client.get(case.get_absolute_url()).content.decode()
    assert f'value="{case.get_absolute_url()}#case-actions"' in detail
