import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


def test_home_explains_the_portal_and_shows_themes_newest_cases_and_search(
    client, make_case, make_theme
):
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    make_theme("Fastholdelse", slug="fastholdelse")
    make_case("Ældre case", themes=[fuldtid])
    make_case("Kladden", themes=[fuldtid], status=Case.Status.DRAFT)
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sammen om udvikling af de regionale arbejdspladser" in html
    assert f'action="{reverse("cases:list")}"' in html and 'name="q"' in html
    assert 'Fuldtid</a> <span class="filter-count">(1' in html
    assert 'Fastholdelse</a> <span class="filter-count">(0' in html
    assert "Ældre case" in html and "Kladden" not in html


def test_home_lists_the_newest_cases_first(client, make_case):
    from django.utils import timezone

    now = timezone.now()
    for days in range(8):
        make_case(f"Case for {days} dage siden", published_at=now - timezone.timedelta(days=days))
    titles = [c.title for c in client.get(reverse("portal:home")).context["newest_cases"]]
    assert titles == [f"Case for {days} dage siden" for days in range(6)]


def test_theme_list_groups_themes_with_descriptions(client, make_theme):
    make_theme("Selvorganisering", description="Teams fordeler selv opgaverne.")
    html = client.get(reverse("portal:theme_list")).content.decode()
    assert "Testgruppe" in html
    assert "Selvorganisering" in html and "Teams fordeler selv opgaverne." in html


def test_theme_page_shows_its_cases_and_links_to_the_filtered_list(client, make_case, make_theme):
    theme = make_theme("Fuldtid", slug="fuldtid", description="Flere på fuld tid.")
    other = make_theme("Andet")
    for number in range(12):
        make_case(f"Fuldtidscase {number}", themes=[theme])
    make_case("Andet emne", themes=[other])
    response = client.get(reverse("portal:theme_detail", kwargs={"slug": "fuldtid"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Flere på fuld tid." in html
    assert response.context["case_total"] == 12
    assert len(response.context["cases"]) == 10
    assert "Andet emne" not in html
    assert f"{reverse('cases:list')}?theme=fuldtid" in html


def test_unknown_theme_is_404(client, db):
    response = client.get(reverse("portal:theme_detail", kwargs={"slug": "findes-ikke"}))
    assert response.status_code == 404


def test_pages_are_danish_and_accessible_in_structure(client, db):
    html = client.get(reverse("cases:list")).content.decode()
    assert '<html lang="da">' in html
    assert 'class="skipnav" href="#main-content"' in html
    assert 'id="main-content"' in html
    assert '<label class="form-label" for="id_q">' in html


def test_theme_page_gathers_cases_and_published_initiatives(client, make_case, make_theme):
    from initiatives.models import Initiative

    theme = make_theme("Rette kompetencer", slug="rette-kompetencer")
    make_case("Opgaveglidning på sengeafsnit", themes=[theme])
    shown = Initiative.objects.create(
        title="Sygeplejersker og sekretærer deler opgaverne",
        slug="deler-opgaverne",
        summary="Kort.",
        description="Lang.",
        institution="Aarhus Universitetshospital",
        department="Hjertemedicin",
        phase=Initiative.Phase.RUNNING,
        is_published=True,
    )
    shown.themes.set([theme])
    hidden = Initiative.objects.create(
        title="Upubliceret idé",
        slug="upubliceret",
        summary="K.",
        description="L.",
        institution="Et sygehus",
    )
    hidden.themes.set([theme])
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "Opgaveglidning på sengeafsnit" in html
    assert "Sygeplejersker og sekretærer deler opgaverne" in html
    assert "Aarhus Universitetshospital, Hjertemedicin" in html and "Fase: i gang" in html
    assert "Upubliceret idé" not in html


def test_menu_marks_the_current_section_only(client, make_case):
    case = make_case("En case")
    html = client.get(reverse("cases:list")).content.decode()
    assert '<a href="/cases/" aria-current="page">Cases</a>' in html
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<a href="/cases/" aria-current="true">Cases</a>' in html
    html = client.get(reverse("booklets:folder")).content.decode()
    assert 'aria-current="page">Min inspirationsmappe' in html
    assert '<a href="/cases/" aria-current' not in html


class _FormNesting(__import__("html.parser").parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


@pytest.mark.parametrize("url_name", ["portal:home", "cases:list", "portal:theme_list"])
def test_no_form_is_nested_in_another(client, make_case, url_name):
    """Browsers drop a nested <form>: the folder buttons would submit the filter form."""
    make_case("En case")
    parser = _FormNesting()
    parser.feed(client.get(reverse(url_name)).content.decode())
    assert parser.deepest <= 1
