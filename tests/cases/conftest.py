import pytest


@pytest.fixture
def library(make_case, make_theme, make_region, make_sector, make_profession):
    """A small library with known themes, places and professions."""
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    arbejdsmiljo = make_theme("Arbejdsmiljø", slug="arbejdsmiljo")
    ledelse = make_theme("Ledelse", slug="ledelse")
    hovedstaden = make_region("Region Hovedstaden", slug="hovedstaden")
    nordjylland = make_region("Region Nordjylland", slug="nordjylland")
    sygehus = make_sector("Sygehus", slug="sygehus")
    aeldrepleje = make_sector("Kommunal ældrepleje", slug="kommunal-aeldrepleje")
    sygeplejersker = make_profession("Sygeplejersker", slug="sygeplejersker")
    ledere = make_profession("Ledere", slug="ledere")
    cases = {
        "vagtplan": make_case(
            "Fleksibel vagtplan på medicinsk afdeling",
            themes=[fuldtid, arbejdsmiljo],
            region=hovedstaden,
            sector=sygehus,
            professions=[sygeplejersker],
        ),
        "flyvere": make_case(
            "Flyverkorps i hjemmeplejen",
            themes=[fuldtid],
            region=nordjylland,
            sector=aeldrepleje,
            professions=[sygeplejersker, ledere],
            body="Et internt vikarkorps af faste medarbejdere dækker fravær.\n\nDet gav ro.",
        ),
        "coaching": make_case(
            "Coachingkursus for daglige ledere",
            themes=[ledelse, arbejdsmiljo],
            region=nordjylland,
            sector=aeldrepleje,
            professions=[ledere],
        ),
    }
    return {
        "cases": cases,
        "themes": {"fuldtid": fuldtid, "arbejdsmiljo": arbejdsmiljo, "ledelse": ledelse},
    }
