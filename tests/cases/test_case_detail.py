import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from workshops.models import Workshop

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


def test_related_cases_rank_by_shared_themes_then_newest(client, make_case, make_theme):
    """A reference ranking in Python: most shared themes, then newest, then the later made
    (the case list's order); the case itself, drafts and cases not yet published never."""
    themes = [make_theme() for _ in range(6)]
    rng = random.Random(15)
    now = timezone.now()
    case = make_case("Udgangspunkt", themes=themes[:4])
    candidates = []
    for number in range(30):
        # Every third case shares its publishing time with the one before it.
        hours = number - number % 3 // 2
        candidates.append(
            make_case(
                f"Kandidat {number}",
                themes=rng.sample(themes, rng.randint(1, 4)),
                published_at=now - timezone.timedelta(hours=hours + 1),
            )
        )
    make_case("Kladde med alle", themes=themes, status=Case.Status.DRAFT)
    make_case("Kommer senere", themes=themes, published_at=now + timezone.timedelta(days=1))
    own = set(themes[:4])

    def key(candidate):
        return (
            -len(own & set(candidate.themes.all())),
            -candidate.published_at.timestamp(),
            -candidate.pk,
        )

    expected = [c for c in sorted(candidates, key=key) if own & set(c.themes.all())][:4]
    related = client.get(case.get_absolute_url()).context["related_cases"]
    assert [r.title for r in related] == [c.title for c in expected]
    assert [r.shared_themes for r in related] == [len(own & set(c.themes.all())) for c in expected]


def case_page_queries(client, case):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


# The case with region and sector (1), its themes (1), professional groups (1) and further
# regions (1); the related cases ranked (1) and fetched with region and sector (1); the
# workshops that name the case (1).
CASE_PAGE_QUERIES = 7


def test_case_page_query_count_is_fixed(
    client, make_case, make_theme, make_profession, make_region
):
    themes = [make_theme() for _ in range(4)]
    case = make_case(
        "Mange relationer", themes=themes, professions=[make_profession() for _ in range(3)]
    )
    case.other_regions.set([make_region(), make_region()])
    lonely = make_case("Få relationer", themes=[themes[0]])
    assert case_page_queries(client, lonely) == CASE_PAGE_QUERIES
    for number in range(8):
        make_case(themes=themes[: 1 + number % 4])
    for number in range(3):
        workshop = Workshop.objects.create(
            title=f"Workshop om casen {number}",
            slug=f"workshop-om-casen-{number}",
            kind=Workshop.Kind.CROSS_REGIONAL,
            summary="Kort om workshoppen.",
            organiser="Sekretariatet",
            purpose="Formålet.",
            starts_at=timezone.now() + timezone.timedelta(days=10 + number),
            ends_at=timezone.now() + timezone.timedelta(days=10 + number, hours=6),
        )
        workshop.related_cases.set([case])
    response = client.get(case.get_absolute_url())
    assert len(response.context["related_cases"]) == 4
    assert "Workshop om casen 2" in response.content.decode()
    assert case_page_queries(client, case) == CASE_PAGE_QUERIES
    assert case_page_queries(client, lonely) == CASE_PAGE_QUERIES
