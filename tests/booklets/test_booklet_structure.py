"""How a selection of cases becomes the sections of a booklet (no PDF rendering here)."""

import pytest

from booklets.booklet import OTHER_SECTION_TITLE, build_booklet, standard_intro
from cases.models import Case
from portal.models import ThemeGroup


@pytest.fixture
def themes(make_theme):
    group = ThemeGroup.objects.create(name="Hovedtemaer", slug="hoved", position=1)
    return {
        "kerne": make_theme("Kerneopgave", group=group, position=1),
        "fuldtid": make_theme("Fuldtid", group=group, position=2),
        "miljo": make_theme("Arbejdsmiljø", group=group, position=3),
    }


def _loaded(cases):
    by_pk = {
        c.pk: c
        for c in Case.objects.filter(pk__in=[c.pk for c in cases]).prefetch_related("themes__group")
    }
    return [by_pk[c.pk] for c in cases]


def _layout(booklet):
    return [
        (section.title, [c.title for c in section.cases], [r.case.title for r in section.see_also])
        for section in booklet.sections
    ]


def test_case_in_several_chosen_themes_is_printed_under_the_first_and_referred_to_from_others(
    make_case, themes
):
    both = make_case("Både fuldtid og miljø", themes=[themes["miljo"], themes["fuldtid"]])
    only_miljo = make_case("Kun miljø", themes=[themes["miljo"]])

    booklet = build_booklet(
        _loaded([both, only_miljo]), chosen_themes=[themes["miljo"], themes["fuldtid"]]
    )

    assert _layout(booklet) == [
        ("Arbejdsmiljø", ["Både fuldtid og miljø", "Kun miljø"], []),
        ("Fuldtid", [], ["Både fuldtid og miljø"]),
    ]
    assert [c.title for c in booklet.cases] == ["Både fuldtid og miljø", "Kun miljø"]
    assert booklet.sections[1].see_also[0].home is booklet.sections[0]


def test_sections_follow_the_order_the_themes_were_chosen_in(make_case, themes):
    make_case("A", themes=[themes["kerne"]])
    make_case("B", themes=[themes["fuldtid"]])
    cases = _loaded(list(Case.objects.order_by("title")))

    booklet = build_booklet(cases, chosen_themes=[themes["fuldtid"], themes["kerne"]])

    assert [s.title for s in booklet.sections] == ["Fuldtid", "Kerneopgave"]


def test_without_chosen_themes_cases_go_under_their_first_theme_in_taxonomy_order(
    make_case, themes
):
    late = make_case("Miljø og kerne", themes=[themes["miljo"], themes["kerne"]])
    early = make_case("Fuldtid alene", themes=[themes["fuldtid"]])
    untagged = make_case("Uden tema")

    booklet = build_booklet(_loaded([untagged, late, early]))

    assert _layout(booklet) == [
        ("Kerneopgave", ["Miljø og kerne"], []),
        ("Fuldtid", ["Fuldtid alene"], []),
        (OTHER_SECTION_TITLE, ["Uden tema"], []),
    ]


def test_a_hand_picked_selection_orders_sections_by_where_their_first_case_stands(
    make_case, themes
):
    miljo = make_case("Miljø først", themes=[themes["miljo"]])
    kerne = make_case("Kerne bagefter", themes=[themes["kerne"]])
    miljo2 = make_case("Miljø igen", themes=[themes["miljo"], themes["kerne"]])

    booklet = build_booklet(_loaded([miljo, kerne, miljo2]), section_order="selection")

    assert _layout(booklet) == [
        ("Arbejdsmiljø", ["Miljø først"], ["Miljø igen"]),
        ("Kerneopgave", ["Kerne bagefter", "Miljø igen"], []),
    ]


def test_cross_references_point_only_to_sections_in_the_booklet(make_case, themes):
    case = make_case("To temaer", themes=[themes["kerne"], themes["fuldtid"]])

    booklet = build_booklet(_loaded([case]))

    assert _layout(booklet) == [("Kerneopgave", ["To temaer"], [])]


def test_standard_introduction_names_the_selection():
    intro = standard_intro(3, "Tema: Fuldtid")

    assert "3 cases" in intro
    assert "Tema: Fuldtid" in intro
