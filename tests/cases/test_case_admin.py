import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


def test_editor_creates_a_case_with_themes_from_the_taxonomy(
    admin_client, make_theme, make_region, make_sector, make_profession
):
    fuldtid, ledelse = make_theme("Fuldtid"), make_theme("Ledelse")
    region, sector, group = make_region(), make_sector(), make_profession()
    response = admin_client.post(
        reverse("admin:cases_case_add"),
        {
            "title": "Ny case",
            "slug": "ny-case",
            "lead": "Kort.",
            "body": "Lang tekst.",
            "place": "Aalborg Universitetshospital",
            "region": region.pk,
            "sector": sector.pk,
            "professional_groups": [group.pk],
            "themes": [fuldtid.pk, ledelse.pk],
            "source_title": "Egen indsamling",
            "status": "published",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(slug="ny-case")
    assert set(case.themes.all()) == {fuldtid, ledelse}
    assert case.published_at is not None
    assert case in Case.objects.published()


def test_admin_case_form_requires_a_theme_with_a_danish_message(
    admin_client, make_region, make_sector
):
    response = admin_client.post(
        reverse("admin:cases_case_add"),
        {"title": "Uden tema", "slug": "uden-tema", "themes": []},
    )
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not Case.objects.filter(slug="uden-tema").exists()


def test_admin_changelist_search_and_filters_work(admin_client, make_case):
    make_case("Flyverkorps i Gladsaxe")
    make_case("Coaching for ledere")
    response = admin_client.get(reverse("admin:cases_case_changelist"), {"q": "flyverkorps"})
    assert response.status_code == 200
    assert [c.title for c in response.context["cl"].result_list] == ["Flyverkorps i Gladsaxe"]
    response = admin_client.get(reverse("admin:cases_case_changelist"), {"status__exact": "draft"})
    assert response.status_code == 200


@pytest.mark.parametrize("slug", ["mappe", "hent"])
def test_a_case_cannot_take_a_slug_the_booklet_pages_use(admin_client, make_theme, slug):
    response = admin_client.post(
        reverse("admin:cases_case_add"),
        {"title": "Mappe", "slug": slug, "themes": [make_theme().pk]},
    )
    assert "bruges af portalen selv" in response.content.decode()
    assert not Case.objects.filter(slug=slug).exists()


def test_admin_actions_publish_and_unpublish(admin_client, make_case):
    draft = make_case("Kladde", status=Case.Status.DRAFT, published_at=None)
    url = reverse("admin:cases_case_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_public and draft.published_at is not None
    admin_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert not Case.objects.published().filter(pk=draft.pk).exists()
