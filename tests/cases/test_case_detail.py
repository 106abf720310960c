import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


def test_detail_shows_the_whole_case_with_linked_themes_and_source(client, make_case, make_theme):
    theme = make_theme("Fuldtid", slug="fuldtid")
    case = make_case(
        "Fuldtid som norm",
        themes=[theme],
        body="Første afsnit.\n\nAndet afsnit.",
        key_learnings="Start småt\nInddrag tillidsrepræsentanten",
        dos="Lyt til medarbejderne",
        donts="Undgå at tvinge nogen",
        source_title="Kommuners arbejde med fastholdelse",
        source_reference="Case 10, kapitel 7",
        source_year=2024,
        contact_name="Anne Andersen",
    )
    response = client.get(reverse("cases:detail", kwargs={"slug": case.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>Første afsnit.</p>" in html and "<p>Andet afsnit.</p>" in html
    assert "<li>Inddrag tillidsrepræsentanten</li>" in html
    assert "Lyt til medarbejderne" in html and "Undgå at tvinge nogen" in html
    assert f'href="{theme.get_absolute_url()}"' in html
    assert "Kommuners arbejde med fastholdelse, Case 10, kapitel 7, 2024" in html
    assert case.place in html and case.region.name in html and case.sector.name in html
    assert "Anne Andersen" in html


def test_draft_is_not_found_for_the_public_but_previewable_for_editors(
    client, admin_client, make_case
):
    draft = make_case("Ikke klar endnu", status=Case.Status.DRAFT, published_at=None)
    url = reverse("cases:detail", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "ikke offentliggjort" in response.content.decode()


def test_unknown_slug_is_404(client, db):
    assert client.get(reverse("cases:detail", kwargs={"slug": "findes-ikke"})).status_code == 404


def test_related_cases_are_those_sharing_most_themes(client, make_case, make_theme):
    a, b, c = make_theme("A"), make_theme("B"), make_theme("C")
    case = make_case("Udgangspunkt", themes=[a, b, c])
    two_shared = make_case("To fælles", themes=[a, b])
    one_shared = make_case("Et fælles", themes=[c])
    make_case("Intet fælles", themes=[make_theme("D")])
    make_case("Kladde med alle", themes=[a, b, c], status=Case.Status.DRAFT)
    response = client.get(case.get_absolute_url())
    related = response.context["related_cases"]
    assert [r.title for r in related] == [two_shared.title, one_shared.title]
    assert "2 fælles temaer" in response.content.decode()
