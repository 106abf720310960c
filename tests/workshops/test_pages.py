"""The public workshop pages: the list, a workshop's invitation and record, an
udviklingsrum, and workshops on theme, case and initiative pages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from workshops.models import DevelopmentRoom, Registration, WorkshopPoint

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
Kind = WorkshopPoint.Kind


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response


# -- the list -------------------------------------------------------------------------


def test_list_shows_upcoming_soonest_first_and_past_on_its_own_tab(client, make_workshop):
    make_workshop("Opfølgning i foråret", days=60)
    make_workshop("Workshop i næste uge", days=7)
    make_workshop("Årets tilbageblik", days=-100)
    make_workshop("Sidste måneds temamøde", days=-30)

    upcoming = page(client, reverse("workshops:list")).content.decode()
    assert upcoming.index("Workshop i næste uge") < upcoming.index("Opfølgning i foråret")
    assert "Årets tilbageblik" not in upcoming
    assert "Kommende (2)" in upcoming and "Afholdte (2)" in upcoming

    past = page(client, reverse("workshops:list") + "?when=past").content.decode()
    assert past.index("Sidste måneds temamøde") < past.index("Årets tilbageblik")
    assert "Workshop i næste uge" not in past


def test_a_workshop_under_way_is_still_upcoming(client, make_workshop):
    from django.utils import timezone

    now = timezone.now()
    make_workshop(
        "I gang lige nu",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    assertContains(client.get(reverse("workshops:list")), "I gang lige nu")


def test_list_pages(client, make_workshop):
    for number in range(23):
        make_workshop(f"Workshop nummer {number:02d}", days=number + 1)
    first = page(client, reverse("workshops:list"))
    assert "Workshop nummer 19" in first.content.decode()
    assert "Workshop nummer 20" not in first.content.decode()
    second = page(client, reverse("workshops:list") + "?page=2")
    assertContains(second, "Workshop nummer 22")
    assertNotContains(second, "Workshop nummer 19")


def test_unpublished_workshops_are_hidden(client, make_workshop):
    hidden = make_workshop("Kladde til workshop", is_published=False)
    assertNotContains(client.get(reverse("workshops:list")), "Kladde til workshop")
    page(client, hidden.get_absolute_url(), status=404)
    page(client, reverse("workshops:detail", args=["findes-ikke"]), status=404)


def test_main_menu_has_workshops(client):
    response = page(client, reverse("portal:home"))
    assertContains(response, f'<a href="{reverse("workshops:list")}"')
    response = page(client, reverse("workshops:list"))
    assertContains(response, 'aria-current="page">Workshops</a>')


# -- a workshop -----------------------------------------------------------------------


@pytest.fixture
def recorded(make_workshop, make_theme, make_region, make_profession, make_case):
    return make_workshop(
        "Faglighed og frisættelse",
        starts_at=datetime.datetime(2025, 3, 11, 9, 30, tzinfo=CPH),
        ends_at=datetime.datetime(2025, 3, 11, 15, 0, tzinfo=CPH),
        venue="Regionshuset Viborg",
        organiser="Sekretariatet for Sammen om udvikling",
        audience="Ledere, medarbejdere og tillidsvalgte",
        purpose="At finde ud af, hvad der giver plads til fagligheden.",
        programme="Velkomst\nGruppearbejde\nFælles opsamling",
        method_notes="8 idéer på 8 minutter.\n\nBagefter fælles prioritering.",
        participant_count=40,
        source="Referat fra workshoppen (seed 001)",
        themes=[make_theme("Faglighed")],
        regions=[make_region("Region Midtjylland")],
        professions=[make_profession("Sygeplejersker")],
        cases=[make_case("Selvstyrende team på medicinsk afdeling")],
        points=[
            (Kind.DO, "Spørg medarbejderne først", "Ledere"),
            (Kind.DONT, "Indfør ikke nye skemaer", "Ledere"),
            (Kind.DO, "Giv tid til refleksion", "Tillidsvalgte"),
            (Kind.DO, "Del erfaringer på tværs", "Ledere"),
            (Kind.HINDERS, "Mangel på tid"),
            (Kind.GOAL, "En banke-banke-på-dag i 2026"),
        ],
    )


def test_detail_shows_the_invitation_in_danish_copenhagen_time(client, recorded):
    response = page(client, recorded.get_absolute_url())
    assertContains(response, "tirsdag 11. marts 2025 kl. 9.30–15.00")
    for text in (
        "Regionshuset Viborg",
        "Sekretariatet for Sammen om udvikling",
        "Ledere, medarbejdere og tillidsvalgte",
        "At finde ud af, hvad der giver plads til fagligheden.",
        "<li>Gruppearbejde</li>",
    ):
        assertContains(response, text)


def test_a_workshop_over_two_days_names_both(client, make_workshop):
    workshop = make_workshop(
        "Todages seminar",
        starts_at=datetime.datetime(2027, 1, 14, 10, 0, tzinfo=CPH),
        ends_at=datetime.datetime(2027, 1, 15, 14, 0, tzinfo=CPH),
    )
    assertContains(
        client.get(workshop.get_absolute_url()),
        "torsdag 14. januar 2027 kl. 10.00 til fredag 15. januar 2027 kl. 14.00",
    )


def test_detail_shows_the_record_grouped_by_kind_and_group(client, recorded):
    html = page(client, recorded.get_absolute_url()).content.decode()
    record = html[html.index('id="record-heading"') :]
    # Kinds in the model's order: do's, don'ts, hinders, goals.
    positions = [
        record.index(label) for label in ("Gør sådan", "Undgå", "Det hæmmer", "Aftalt mål")
    ]
    assert positions == sorted(positions)
    do_section = record[record.index("Gør sådan") : record.index("Undgå")]
    # Within a kind: by group, groups in the order they first appear.
    assert do_section.index("Ledere") < do_section.index("Spørg medarbejderne først")
    assert do_section.index("Del erfaringer på tværs") < do_section.index("Tillidsvalgte")
    assert do_section.index("Tillidsvalgte") < do_section.index("Giv tid til refleksion")
    for text in (
        "8 idéer på 8 minutter.",
        "40 deltagere",
        "Region Midtjylland",
        "Sygeplejersker",
        "Faglighed",
        "Selvstyrende team på medicinsk afdeling",
        "Referat fra workshoppen (seed 001)",
    ):
        assert text in record, text


def test_detail_hides_unpublished_related_cases_and_initiatives(
    client, make_workshop, make_case, make_initiative
):
    from cases.models import Case

    workshop = make_workshop(
        cases=[make_case("Skjult case", status=Case.Status.DRAFT), make_case("Synlig case")],
        initiatives=[
            make_initiative("Skjult initiativ", is_published=False),
            make_initiative("Synligt initiativ"),
        ],
    )
    response = page(client, workshop.get_absolute_url())
    assertContains(response, "Synlig case")
    assertContains(response, "Synligt initiativ")
    assertNotContains(response, "Skjult case")
    assertNotContains(response, "Skjult initiativ")


def test_example_workshops_say_so(client, make_workshop):
    example = make_workshop("Opfølgning på målene for 2026", is_example=True)
    real = make_workshop("Rigtig workshop")
    assertContains(client.get(example.get_absolute_url()), "Denne workshop er et eksempel")
    assertContains(client.get(reverse("workshops:list")), "Eksempel")
    assertNotContains(client.get(real.get_absolute_url()), "er et eksempel")


def test_register_button_while_registration_is_taken(client, make_open_workshop):
    workshop = make_open_workshop("Åben workshop", capacity=2)
    register_url = reverse("workshops:register", args=[workshop.slug])
    response = page(client, workshop.get_absolute_url())
    assertContains(response, f'href="{register_url}">Tilmeld dig</a>')
    assertContains(response, "2, heraf 2 ledige")

    for number in range(2):
        Registration.objects.create(
            workshop=workshop,
            name=f"Deltager {number}",
            email=f"d{number}@example.dk",
            workplace="Hospitalet",
            status=Registration.Status.CONFIRMED,
        )
    response = page(client, workshop.get_absolute_url())
    assertContains(response, "2, heraf 0 ledige")
    assertContains(response, "Skriv dig på ventelisten")

    workshop.registration_open = False
    workshop.save()
    response = page(client, workshop.get_absolute_url())
    assertNotContains(response, register_url)
    assertContains(response, "Tilmeldingen er lukket.")


def test_no_register_button_after_the_workshop(client, make_open_workshop):
    workshop = make_open_workshop("Forbi", days=-3)
    response = page(client, workshop.get_absolute_url())
    assertNotContains(response, reverse("workshops:register", args=[workshop.slug]))
    assertNotContains(response, "Tilmeld dig")


def test_detail_has_a_print_stylesheet(client, make_workshop):
    response = page(client, make_workshop().get_absolute_url())
    assertContains(response, 'workshops-print.css" media="print"')


# -- udviklingsrum --------------------------------------------------------------------


def test_development_room_page(client, make_development_room, make_room_meeting, make_initiative):
    members = [make_initiative(f"Afdeling {letter}") for letter in "ABCD"]
    room = make_development_room(
        "Udviklingsrum om fastholdelse",
        initiatives=members,
        phase=DevelopmentRoom.Phase.RUNNING,
        source="Seed 003",
    )
    make_room_meeting(room, "Andet møde", days=40)
    make_room_meeting(room, "Første møde", days=-20)
    make_room_meeting(room, "Skjult møde", is_published=False)
    html = page(client, room.get_absolute_url()).content.decode()
    assert "I gang" in html
    assert "Deltagende afdelinger (4)" in html
    for member in members:
        assert member.title in html
    assert html.index("Første møde") < html.index("Andet møde")
    assert "Skjult møde" not in html


def test_unpublished_development_room_is_hidden(client, make_development_room):
    room = make_development_room(is_published=False)
    page(client, room.get_absolute_url(), status=404)


def test_meeting_links_to_its_room(client, make_development_room, make_room_meeting):
    room = make_development_room("Udviklingsrum om tavlemøder")
    meeting = make_room_meeting(room, "Første møde i rummet")
    assertContains(client.get(meeting.get_absolute_url()), room.get_absolute_url())


def test_initiative_page_shows_its_development_room(
    client, make_development_room, make_room_meeting, make_initiative
):
    member = make_initiative("Akutmodtagelsens tavlemøder")
    room = make_development_room("Udviklingsrum om tavlemøder", initiatives=[member])
    make_room_meeting(room, "Første møde i rummet")
    hidden = make_development_room("Skjult rum", initiatives=[member], is_published=False)
    response = page(client, member.get_absolute_url())
    assertContains(response, room.get_absolute_url())
    assertContains(response, "Første møde i rummet")
    assertNotContains(response, hidden.title)


# -- other apps' pages ----------------------------------------------------------------


def test_theme_page_shows_its_workshops(client, make_theme, make_workshop):
    theme = make_theme("Fuldtid", slug="fuldtid")
    make_workshop("Fuldtidsworkshop i foråret", themes=[theme], days=20)
    make_workshop("Sidste års fuldtidsworkshop", themes=[theme], days=-200)
    make_workshop("Anden workshop", days=20)
    make_workshop("Skjult fuldtidsworkshop", themes=[theme], is_published=False)
    html = page(client, theme.get_absolute_url()).content.decode()
    section = html[html.index('id="workshops-heading"') :]
    assert section.index("Kommende") < section.index("Fuldtidsworkshop i foråret")
    assert section.index("Afholdte") < section.index("Sidste års fuldtidsworkshop")
    assert "Anden workshop" not in html
    assert "Skjult fuldtidsworkshop" not in html


def test_case_page_shows_workshops_about_it(client, make_case, make_workshop):
    case = make_case("Flyverkorps i hjemmeplejen")
    make_workshop("Workshop om flyverkorps", cases=[case])
    make_workshop("Skjult workshop om flyverkorps", cases=[case], is_published=False)
    make_workshop("Workshop om noget andet")
    response = page(client, case.get_absolute_url())
    assertContains(response, "Workshops om casen")
    assertContains(response, "Workshop om flyverkorps")
    assertNotContains(response, "Skjult workshop om flyverkorps")
    assertNotContains(response, "Workshop om noget andet")


def test_case_page_without_workshops_has_no_workshop_section(client, make_case):
    assertNotContains(client.get(make_case().get_absolute_url()), "Workshops om casen")


def test_list_links_to_the_calendar_feed_and_an_upcoming_workshop_to_its_ics(client, make_workshop):
    upcoming = make_workshop("Kommende workshop")
    past = make_workshop("Afholdt workshop", days=-10)
    assertContains(client.get(reverse("workshops:list")), f'href="{reverse("workshops:calendar")}"')
    assertContains(
        client.get(upcoming.get_absolute_url()), reverse("workshops:ics", args=[upcoming.slug])
    )
    assertNotContains(client.get(past.get_absolute_url()), "kalender.ics")


def test_no_slug_hides_a_page(client, make_workshop, make_development_room):
    """A course slugged like a workshop's sub-page is still reached, and a workshop cannot
    take the slug that the courses' pages live under."""
    room = make_development_room("Tilmeld", slug="tilmeld")
    response = client.get(room.get_absolute_url())
    assert response.status_code == 200
    assert response.context["object"] == room

    workshop = make_workshop("Om udviklingsrum")
    workshop.slug = "udviklingsrum"
    with pytest.raises(ValidationError) as error:
        workshop.full_clean()
    assert "bruges af portalen selv" in str(error.value)
