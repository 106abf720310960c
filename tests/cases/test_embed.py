"""The embeddable case list for intranets: same filters as the case list, its own frame
policy and nothing else relaxed, cached (issue 16)."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case

pytestmark = pytest.mark.django_db

SITE_URL = "https://arbejdsliv.example.dk"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def embed_url(query=""):
    return reverse("cases:embed") + (f"?{query}" if query else "")


def titles(response):
    return re.findall(
        r'<h2 class="embed-card__title"><a [^>]*>([^<]*)</a>', response.content.decode()
    )


def directives(policy):
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )


def test_embed_shows_the_cases_the_list_shows_for_the_same_filters(client, library):
    cases = library["cases"]
    for query, expected in [
        ("", ["coaching", "flyvere", "vagtplan"]),
        ("theme=fuldtid", ["flyvere", "vagtplan"]),
        ("theme=fuldtid&region=nordjylland", ["flyvere"]),
        ("theme=fuldtid&theme=ledelse&match=any&sort=title", ["coaching", "flyvere", "vagtplan"]),
        ("profession=ledere&sector=kommunal-aeldrepleje", ["coaching", "flyvere"]),
    ]:
        listed = client.get(reverse("cases:list") + f"?{query}").context["cases"]
        response = client.get(embed_url(query))

        assert response.status_code == 200
        assert titles(response) == [html.escape(case.title) for case in listed], query
        assert sorted(titles(response)) == sorted(cases[name].title for name in expected)


def test_embed_links_open_the_portal_outside_the_frame(client, library):
    case = library["cases"]["flyvere"]

    content = client.get(embed_url("region=nordjylland")).content.decode()

    link = f'<a href="{SITE_URL}{case.get_absolute_url()}" target="_blank" rel="noopener">'
    assert link in content
    more = f'<a href="{SITE_URL}{reverse("cases:list")}?region=nordjylland" target="_blank"'
    assert more in content
    assert "Se alle 2 cases på Regionalt arbejdsliv" in content
    assert "Links åbner portalen i et nyt vindue." in content
    assert '<html lang="da">' in content


def test_embed_never_shows_drafts_or_scheduled_cases(client, library, make_case):
    theme = library["themes"]["fuldtid"]
    make_case("Kladde Mike", status=Case.Status.DRAFT, themes=[theme])
    make_case("Planlagt November", themes=[theme], published_at=timezone.now() + timedelta(days=1))

    content = client.get(embed_url("theme=fuldtid&antal=20")).content.decode()

    assert "Kladde Mike" not in content and "Planlagt November" not in content
    assert library["cases"]["flyvere"].title in content


def test_only_the_embed_may_be_framed(client, library):
    embed = client.get(embed_url())
    case_list = client.get(reverse("cases:list"))

    assert "X-Frame-Options" not in embed
    assert case_list["X-Frame-Options"] == "DENY"
    embed_policy = directives(embed["Content-Security-Policy"])
    list_policy = directives(case_list["Content-Security-Policy"])
    assert embed_policy.pop("frame-ancestors") == "*"
    assert list_policy.pop("frame-ancestors") == "'none'"
    assert embed_policy == list_policy


def test_embed_may_be_kept_by_browsers_and_proxies_for_a_while(client, library):
    response = client.get(embed_url("theme=fuldtid"))

    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "Set-Cookie" not in response and not response.cookies


def test_shown_count_is_bounded(client, make_case, make_region, make_sector):
    region, sector = make_region(), make_sector()
    for number in range(25):
        make_case(f"Case {number}", region=region, sector=sector)

    counts = {
        value: len(titles(client.get(embed_url(f"antal={value}"))))
        for value in ["", "3", "0", "99", "x", "²"]
    }

    assert counts == {"": 5, "3": 3, "0": 1, "99": 20, "x": 5, "²": 5}


def test_embed_is_cached_until_the_library_changes(client, library):
    url = embed_url("theme=ledelse")
    first = client.get(url).content

    with CaptureQueriesContext(connection) as captured:
        again = client.get(url).content
    assert again == first
    assert len(captured) == 1  # the library's version

    library["cases"]["vagtplan"].themes.add(library["themes"]["ledelse"])

    assert library["cases"]["vagtplan"].title in client.get(url).content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "theme={theme}&region={region}&sort=title"])
def test_embed_query_count_is_fixed(
    client, make_case, make_theme, make_region, make_sector, settings, query
):
    """A new filter state costs the library's version (1), the page's cases (1) and their
    themes (1), besides what the facet index costs when the library changed; one already
    shown only the version."""
    theme, region, sector = make_theme(), make_region(), make_sector()

    def add(count):
        for _ in range(count):
            make_case(themes=[theme], region=region, sector=sector)

    def state(count):
        return embed_url(query.format(theme=theme.slug, region=region.slug) + f"&antal={count}")

    add(3)
    client.get(state(1))
    small = count_queries(client, state(2))
    add(40)
    client.get(state(3))
    large = count_queries(client, state(20))

    assert small == large == 3
    assert count_queries(client, state(20)) == 1


def test_case_list_offers_the_embed_snippet_for_its_filters(client, library):
    content = client.get(reverse("cases:list") + "?theme=fuldtid&region=nordjylland").content

    snippet = html.unescape(
        re.search(rb'<textarea[^>]*id="embed-snippet"[^>]*>(.*?)</textarea>', content, re.S)
        .group(1)
        .decode()
    )
    src = f"{SITE_URL}{reverse('cases:embed')}?theme=fuldtid&region=nordjylland"
    assert snippet == (
        f'<iframe src="{src}" title="Cases fra Regionalt arbejdsliv" width="100%" '
        'height="600" loading="lazy"></iframe>'
    )
    assert b"Indlejr p\xc3\xa5 jeres intranet" in content
