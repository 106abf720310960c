"""The upcoming example workshops of `make run`, dated from today so they stay upcoming.

Run after `loaddata fixtures/*.json` (it links to the taxonomy, the initiatives and the
example udviklingsrum there). Safe to run again and again: a missing example is created, an
upcoming one is left as it is (the secretariat may have closed its registration or changed
the seats), and one that has ended is moved forward again (Workshop.save bumps its
iCalendar version, so subscribers' calendars follow).
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from initiatives.models import Initiative
from portal.models import Region, Theme
from workshops.models import DevelopmentRoom, Workshop

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
S000 = "„Videndeling på tværs af regioner og forskellige faggrupper“"
S001 = "„Faglighed og frisættelse“"
S003 = "„Rette kompetencer til rette opgaver“"
ROOM_SLUG = "udviklingsrum-opgaver-efter-kompetencer"
ROOM_INITIATIVES = [
    "selvorganiserende-tvaerfaglige-teams-horsens",
    "eksempel-tvaerfaglige-tavlemoeder-akutmodtagelsen",
    "eksempel-laegesekretaerer-overtager-booking",
    "eksempel-selvplanlaegning-af-vagter",
]

DEMO_WORKSHOPS = [
    {
        "slug": "opfoelgning-fuldtidsmaal-2026",
        "days_ahead": 21,
        "start": datetime.time(9, 30),
        "duration": datetime.timedelta(hours=5, minutes=30),
        "themes": ["fuldtid"],
        "initiatives": ["banke-banke-paa-dag-fuldtid"],
        "fields": {
            "title": "Opfølgning på fuldtidsmålene: banke-banke-på-dag, data og gode cases",
            "kind": Workshop.Kind.CROSS_REGIONAL,
            "summary": (
                "Fuldtidsfacilitatorerne følger op på de mål, de satte for 2026 på "
                "workshoppen i december 2025 – fra banke-banke-på-dagen og kaffen med den "
                "øverste chef til bedre data og gode historier om arbejdspladser med mange "
                "på fuldtid."
            ),
            "venue": "København – adressen står i bekræftelsen",
            "organiser": "Det tværregionale spor i fuldtidsindsatsen",
            "audience": (
                "Fuldtidsfacilitatorerne, repræsentanter for de faglige organisationer og "
                "Danske Regioner samt ledere og MED-repræsentanter, der vil i gang med fuldtid."
            ),
            "purpose": (
                "På workshoppen i december 2025 satte facilitatorerne mål for 2026: flere "
                "besøg på arbejdspladserne, en banke-banke-på-dag, opslag på intranettene, "
                "kaffe med den øverste chef og gode data, der kan finde de gode historier. "
                "Nu gør vi status: Hvad lykkedes, hvad var svært, og hvilke historier kan "
                "andre lære af?\n\n"
                "Dagen er også for dem, der vil i gang på deres egen arbejdsplads og vil høre, "
                "hvordan facilitatorerne har fået „foden indenfor“."
            ),
            "programme": (
                "Status på målene for 2026 – hvad lykkedes, og hvad var svært?\n"
                "Erfaringer fra banke-banke-på-dagen\n"
                "Data og gode cases: afdelinger med en høj andel på fuldtid\n"
                "8 idéer på 8 minutter: næste års mål"
            ),
            "capacity": 30,
            "source": (
                f"Eksempel, der følger op på målene for 2026 i {S000} (afsnittene „I 2026 vil "
                f"vi lykkes med at …“, „Data og gode cases“ og „Elsk idéen i fem minutter“)"
            ),
        },
    },
    {
        "slug": "udviklingsrum-3-naeste-skridt",
        "days_ahead": 35,
        "start": datetime.time(12, 0),
        "duration": datetime.timedelta(hours=3),
        "themes": ["rette-kompetencer-til-rette-opgaver", "tvaerfaglighed"],
        "initiatives": ROOM_INITIATIVES,
        "room": ROOM_SLUG,
        "regions": ["midtjylland"],
        "fields": {
            "title": "Udviklingsrum 3: Hvad virker – og hvad er næste skridt?",
            "kind": Workshop.Kind.DEVELOPMENT_ROOM,
            "summary": (
                "Det tredje og sidste udviklingsrum, hvor de tre afdelinger ser på, "
                "hvad deres ændringer i opgavefordelingen har betydet, og lægger en plan for "
                "det videre arbejde."
            ),
            "venue": "Demohospitalet, mødelokale 3",
            "organiser": "Partnerskabet bag Rette kompetencer til rette opgaver (eksempel)",
            "audience": (
                "3–5 deltagere fra hver af de tre afdelinger, fra både ledelses- og "
                "medarbejdersiden."
            ),
            "purpose": (
                "At samle op på forløbet: Afdelingerne tager data og erfaringer med fra deres "
                "afprøvninger, giver hinanden sparring og aftaler næste skridt. Efter mødet "
                "følger partnerskabet op med hver afdeling."
            ),
            "programme": (
                "Hvad har ændringerne betydet? Data og erfaringer fra afdelingerne\n"
                "Sparring i par af afdelinger\n"
                "Næste skridt og hjælp til at komme videre\n"
                "Hvad deler vi med andre sygehuse?"
            ),
            "capacity": 20,
            "source": f"Eksempel formet efter afsnittet „Udviklingsrum“ i {S003} (typisk forløb)",
        },
    },
    {
        "slug": "del-det-der-virker",
        "days_ahead": 49,
        "start": datetime.time(14, 0),
        "duration": datetime.timedelta(hours=1, minutes=30),
        "themes": ["frisaettelse", "frihed-til-selv-at-vaelge-model", "tvaerfaglighed"],
        "initiatives": ["selvorganiserende-tvaerfaglige-teams-horsens"],
        "cases": [
            "vaelg-klogt-udvikling-med-afsaet-i-praksis",
            "selvorganiserende-tvaerfaglige-teams-medicinsk-afdeling-horsens",
        ],
        "fields": {
            "title": "Webinar: Del det, der virker – faglighed og frisættelse i praksis",
            "kind": Workshop.Kind.WEBINAR,
            "summary": (
                "Et kort webinar, hvor arbejdspladser fortæller om det, der virker "
                "for dem – sådan som deltagerne på workshoppen om faglighed og frisættelse "
                "efterspurgte: cases og erfaringer frem for én fælles model."
            ),
            "online_url": "https://meet.example.com/del-det-der-virker",
            "organiser": "Sammen om udvikling af de regionale arbejdspladser (eksempel)",
            "audience": "Ledere, medarbejdere, tillidsvalgte og MED-udvalg i regionerne.",
            "purpose": (
                "Deltagerne på workshoppen om faglighed og frisættelse ville hellere have "
                "inspiration og konkrete eksempler end en fælles model. Webinaret deler to "
                "eksempler fra praksis og giver tid til spørgsmål."
            ),
            "programme": (
                "Selvorganiserende teams: erfaringer fra en medicinsk afdeling\n"
                "„Vælg klogt“: udvikling med afsæt i det, der virker\n"
                "Spørgsmål og erfaringer fra deltagerne"
            ),
            "capacity": 100,
            "source": (
                f"Eksempel, der bygger på deltagernes ønsker til formater i {S001} "
                f"(afsnit 3.4 og gruppernes Del 3 i afsnit 4)"
            ),
        },
    },
]


def next_working_day(day):
    """`day` or the first weekday after it outside the Christmas holidays."""
    while day.weekday() >= 5 or (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 2):
        day += datetime.timedelta(days=1)
    return day


class Command(BaseCommand):
    help = "Opretter kommende eksempel-workshops ud fra dags dato (kan køres igen)."

    def handle(self, *args, **options):
        now = timezone.now()
        made = moved = kept = 0
        with transaction.atomic():
            for spec in DEMO_WORKSHOPS:
                workshop = Workshop.objects.filter(slug=spec["slug"]).first()
                if workshop is None:
                    self.save(Workshop(slug=spec["slug"]), spec, now)
                    made += 1
                elif workshop.ends_at < now:
                    self.save(workshop, spec, now)
                    moved += 1
                else:
                    kept += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Eksempel-workshops: {made} nye, {moved} flyttet frem, {kept} uændrede."
            )
        )

    def save(self, workshop, spec, now):
        rooms = self.find(DevelopmentRoom, [spec["room"]] if spec.get("room") else [])
        relations = {
            "themes": self.find(Theme, spec["themes"]),
            "related_initiatives": self.find(Initiative, spec["initiatives"]),
            "related_cases": self.find(Case, spec.get("cases", [])),
            "regions": self.find(Region, spec.get("regions", [])),
        }
        day = next_working_day(
            timezone.localdate(now) + datetime.timedelta(days=spec["days_ahead"])
        )
        workshop.starts_at = datetime.datetime.combine(day, spec["start"], tzinfo=COPENHAGEN)
        workshop.ends_at = workshop.starts_at + spec["duration"]
        for name, value in spec["fields"].items():
            setattr(workshop, name, value)
        workshop.development_room = rooms[0] if rooms else None
        workshop.is_example = workshop.is_published = workshop.registration_open = True
        workshop.full_clean()
        workshop.save()
        for name, objects in relations.items():
            getattr(workshop, name).set(objects)

    @staticmethod
    def find(model, slugs):
        found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(
                f"Mangler {model._meta.verbose_name_plural}: {', '.join(missing)}. "
                "Indlæs først demo-indholdet: python manage.py loaddata fixtures/*.json"
            )
        return [found[slug] for slug in slugs]
