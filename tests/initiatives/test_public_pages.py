"""Published initiatives: list, filters, detail, theme pages and the menu."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative

LIST = reverse("initiatives:initiative_list")


def test_only_published_initiatives_are_listed(client, make_initiative):
    shown = make_initiative("Vælg klogt")
    make_initiative("Upubliceret idé", is_published=False)

    response = client.get(LIST)

    assert list(response.context["initiatives"]) == [shown]


def test_list_filters_by_theme_region_and_phase(client, make_initiative, make_theme, make_region):
    theme = make_theme("Selvorganisering")
    north = make_region("Region Nordjylland")
    a = make_initiative("A", themes=[theme], phase=Initiative.Phase.RUNNING)
    b = make_initiative("B", region=north, phase=Initiative.Phase.IDEA)
    make_initiative("C", phase=Initiative.Phase.FINISHED)

    def listed(**params):
        return set(client.get(LIST, params).context["initiatives"])

    assert listed(tema=theme.slug) == {a}
    assert listed(region=north.slug) == {b}
    assert listed(fase="running") == {a}
    assert listed(fase="running", region=north.slug) == set()


def test_unknown_filter_value_shows_no_error_page(client, make_initiative):
    make_initiative()
    assert client.get(LIST, {"fase": "ukendt", "tema": "findes-ikke"}).status_code == 200


def test_detail_page_of_a_published_initiative(client, make_initiative, make_theme):
    initiative = make_initiative("Praksisfællesskaber for ledere", themes=[make_theme("Ledelse")])

    response = client.get(initiative.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Praksisfællesskaber for ledere" in content
    assert "Ledelse" in content
    assert initiative.get_phase_display() in content


def test_unpublished_initiative_is_a_404(client, make_initiative):
    hidden = make_initiative(is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_for_theme_returns_published_initiatives_of_that_theme(make_initiative, make_theme):
    theme, other = make_theme(), make_theme()
    tagged = make_initiative(themes=[theme])
    make_initiative(themes=[theme], is_published=False)
    make_initiative(themes=[other])

    assert list(Initiative.objects.for_theme(theme)) == [tagged]
    assert list(type(theme).objects.filter(initiatives=tagged)) == [theme]


def test_for_theme_fetches_a_list_in_a_fixed_number_of_queries(
    make_initiative, make_theme, django_assert_num_queries
):
    theme = make_theme()
    for _ in range(5):
        make_initiative(themes=[theme, make_theme()])
    with django_assert_num_queries(2):
        for initiative in Initiative.objects.for_theme(theme):
            assert initiative.region.name
            assert list(initiative.themes.all())


@pytest.mark.parametrize("rows", [1, 6])
def test_initiative_list_query_count_does_not_grow_with_rows(
    client, make_initiative, make_theme, make_round, django_assert_num_queries, rows
):
    make_round()
    for _ in range(rows):
        make_initiative(themes=[make_theme(), make_theme()])
    # open round, count, page, themes prefetch, filter choices (themes, regions)
    with django_assert_num_queries(6):
        client.get(LIST)


def test_list_invites_to_apply_while_a_round_is_open(client, make_round):
    make_round("Rette kompetencer 2027")
    content = client.get(LIST).content.decode()
    assert "Rette kompetencer 2027: søg om støtte" in content
    assert reverse("initiatives:apply") in content


def test_menu_shows_log_in_for_visitors_and_my_applications_with_post_logout(client, applicant):
    anonymous = client.get(LIST).content.decode()
    assert "Log ind" in anonymous and "Mine ansøgninger" not in anonymous

    client.force_login(applicant)
    logged_in = client.get(LIST).content.decode()
    assert "Mine ansøgninger" in logged_in
    assert (
        f'<form class="site-nav__logout" method="post" action="{reverse("account_logout")}">'
        in (logged_in)
    )
