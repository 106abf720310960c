"""The Atom feeds of newly published cases, read back with an XML parser (issue 16)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import feeds
from cases.models import Case

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://arbejdsliv.example.dk"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "published": entry.findtext(f"{ATOM}published"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "emails": [e.text for e in entry.iter(f"{ATOM}email")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_feed_lists_published_cases_newest_first_with_absolute_links(client, library):
    cases = library["cases"]
    Case.objects.filter(pk=cases["vagtplan"].pk).update(published_at=ago(3))
    Case.objects.filter(pk=cases["flyvere"].pk).update(published_at=ago(1))
    Case.objects.filter(pk=cases["coaching"].pk).update(published_at=ago(2))

    feed = read_feed(client, reverse("cases:feed"))

    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    assert feed.findtext(f"{ATOM}title") == "Nye cases – Regionalt arbejdsliv"
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == SITE_URL + reverse("cases:feed")
    found = entries(feed)
    order = [cases["flyvere"], cases["coaching"], cases["vagtplan"]]
    assert [entry["title"] for entry in found] == [case.title for case in order]
    assert [entry["link"] for entry in found] == [
        SITE_URL + case.get_absolute_url() for case in order
    ]
    assert found[0]["summary"] == cases["flyvere"].lead
    assert found[0]["categories"] == ["Fuldtid"]
    assert sorted(found[2]["categories"]) == ["Arbejdsmiljø", "Fuldtid"]


def test_feed_entry_dates_and_author_come_from_the_case(client, make_case):
    published = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    case = make_case(
        "Tavlemøder",
        place="Aalborg Universitetshospital",
        contact_name="Hanne Hansen",
        contact_email="hanne@example.dk",
        published_at=published,
    )

    (entry,) = entries(read_feed(client, reverse("cases:feed")))

    assert datetime.datetime.fromisoformat(entry["published"]) == published
    case.refresh_from_db()
    assert datetime.datetime.fromisoformat(entry["updated"]) == case.updated_at
    assert entry["author"] == "Aalborg Universitetshospital"
    assert entry["emails"] == []


def test_title_with_markup_characters_reads_back_as_written(client, make_case):
    make_case("Vagter & vikarer <før og efter>", slug="vagter-og-vikarer")

    (entry,) = entries(read_feed(client, reverse("cases:feed")))

    assert entry["title"] == "Vagter & vikarer <før og efter>"


def test_drafts_and_scheduled_cases_never_appear_in_a_feed(client, library, make_case):
    theme = library["themes"]["fuldtid"]
    make_case("Kladde om fuldtid", status=Case.Status.DRAFT, themes=[theme])
    make_case("Kommer i morgen", published_at=ago(-1), themes=[theme])

    for url in (
        reverse("cases:feed"),
        reverse("portal:theme_feed", kwargs={"slug": theme.slug}),
    ):
        titles = [entry["title"] for entry in entries(read_feed(client, url))]
        assert titles and "Kladde om fuldtid" not in titles
        assert "Kommer i morgen" not in titles


def test_a_draft_appears_in_the_feeds_once_published(client, library, make_case):
    theme = library["themes"]["ledelse"]
    draft = make_case("Ny case om ledelse", status=Case.Status.DRAFT, published_at=None)
    draft.themes.set([theme])
    theme_feed = reverse("portal:theme_feed", kwargs={"slug": theme.slug})
    assert draft.title not in [e["title"] for e in entries(read_feed(client, theme_feed))]

    draft.status = Case.Status.PUBLISHED
    draft.save()

    for url in (reverse("cases:feed"), theme_feed):
        first = entries(read_feed(client, url))[0]
        assert first["title"] == draft.title
        assert first["link"] == SITE_URL + draft.get_absolute_url()


def test_unpublishing_a_case_takes_it_out_of_the_feed(client, library):
    case = library["cases"]["vagtplan"]
    case.status = Case.Status.DRAFT
    case.save()

    titles = [entry["title"] for entry in entries(read_feed(client, reverse("cases:feed")))]

    assert case.title not in titles and len(titles) == 2


def test_theme_feed_has_only_that_themes_cases(client, library):
    theme = library["themes"]["ledelse"]

    feed = read_feed(client, reverse("portal:theme_feed", kwargs={"slug": theme.slug}))

    assert feed.findtext(f"{ATOM}title") == "Nye cases om Ledelse – Regionalt arbejdsliv"
    assert [entry["title"] for entry in entries(feed)] == [library["cases"]["coaching"].title]
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == SITE_URL + theme.get_absolute_url()


def test_unknown_theme_feed_is_not_found(client, db):
    response = client.get(reverse("portal:theme_feed", kwargs={"slug": "findes-ikke"}))

    assert response.status_code == 404


def test_feed_is_capped(client, make_case, make_region, make_sector, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_ITEMS", 3)
    region, sector = make_region(), make_sector()
    for day in range(5):
        make_case(f"Case {day}", published_at=ago(day + 1), region=region, sector=sector)

    titles = [entry["title"] for entry in entries(read_feed(client, reverse("cases:feed")))]

    assert titles == ["Case 0", "Case 1", "Case 2"]


@pytest.mark.parametrize("page_kind", ["list", "theme"])
def test_list_and_theme_pages_advertise_their_feed(client, library, page_kind):
    theme = library["themes"]["fuldtid"]
    if page_kind == "list":
        url, feed_url = reverse("cases:list"), reverse("cases:feed")
    else:
        url = theme.get_absolute_url()
        feed_url = reverse("portal:theme_feed", kwargs={"slug": theme.slug})

    html = client.get(url).content.decode()

    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert f'href="{feed_url}"' in head
    body = html.split("<body>")[1]
    assert f'<a href="{feed_url}" type="application/atom+xml">Abonnér' in body
