"""Demo accounts, an open application round and a few applications for `make run`.

Safe to run again and again: accounts are updated, not duplicated; the open round's dates
move with today's date so it never goes stale; each demo application is made once.
"""

import datetime
import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from initiatives import workflow
from initiatives.models import ApplicationRound, SupportApplication
from portal.models import Region

APPLICANT = ("ansoeger@example.dk", "Demo-Ansoeger-2026", "Anne", "Ansøger")
SECRETARIAT = ("sekretariat@example.dk", "Demo-Sekretariat-2026", "Søren", "Sekretariat")
OPEN_ROUND_SLUG = "rette-kompetencer-loebende"
Status = SupportApplication.Status

BASE_APPLICATION = {
    "institution": "Demohospitalet",
    "leader_name": "Lone Lund",
    "leader_title": "Afdelingsledende sygeplejerske",
    "leader_email": "lone.lund@example.dk",
    "leader_phone": "12 34 56 78",
    "employee_rep_name": "Mads Møller",
    "employee_rep_title": "Fællestillidsrepræsentant",
    "employee_rep_email": "mads.moller@example.dk",
    "employee_rep_phone": "87 65 43 21",
    "contact_person": "leader",
    "confirms_several_professions": True,
    "confirms_timing": True,
    "confirms_sharing": True,
    "confirms_local_backing": True,
}

DEMO_APPLICATIONS = [
    {
        "key": "tavlemoeder",
        "status": Status.SUBMITTED,
        "days_waiting": 18,  # shows the secretariat's "more than 14 days" mark
        "fields": {
            "initiative_title": "Tværfaglige tavlemøder i akutmodtagelsen",
            "initiative_description": (
                "Sygeplejersker, læger og sekretærer vil prøve korte, daglige tavlemøder, så "
                "opgaverne fordeles efter kompetencer og ikke efter vane. Vi har idéen, men "
                "mangler hjælp til at skærpe fokus og lægge en projektplan."
            ),
            "department": "Akutmodtagelsen",
            "wants_starthjaelp": True,
            "own_resources": "En lokal projektleder 8 timer om ugen og mødetid til projektgruppen.",
        },
    },
    {
        "key": "opgaveglidning",
        "status": Status.NEEDS_INFO,
        "message": (
            "Tak for ansøgningen. Vil I uddybe, hvilke faggrupper der deltager, og hvor langt I "
            "er nået? Udviklingsrum forudsætter et igangværende initiativ."
        ),
        "fields": {
            "initiative_title": "Nye opgaver til sekretærerne i ambulatoriet",
            "initiative_description": (
                "Lægesekretærerne overtager en del af booking og patientkontakt, så "
                "sygeplejerskerne får mere tid til patienterne. Vi vil gerne dele erfaringer "
                "med andre afdelinger, der gør noget lignende."
            ),
            "department": "Ortopædkirurgisk ambulatorium",
            "wants_udviklingsrum": True,
            "own_resources": "Tre medarbejdere og en leder deltager i alle udviklingsrum.",
        },
    },
    {
        "key": "evaluering",
        "status": Status.GRANTED,
        "message": "I får evaluering. En konsulent kontakter jer for at aftale målepunkter.",
        "fields": {
            "initiative_title": "Selvplanlægning af vagter på sengeafsnittet",
            "initiative_description": (
                "Medarbejderne har i et halvt år selv lagt vagtplanen inden for faste rammer. "
                "Vi ønsker et blik udefra på, hvad det har betydet for trivsel og drift."
            ),
            "department": "Medicinsk sengeafsnit",
            "wants_evaluering": True,
            "own_resources": "Vi koordinerer interviews og leverer data fra vagtplanen.",
        },
    },
    {
        "key": "kladde",
        "status": Status.DRAFT,
        "fields": {
            "initiative_title": "Fælles introduktion for nye kolleger",
            "initiative_description": "Idé: en tværfaglig introduktion for nye medarbejdere.",
            "department": "Børne- og ungeafdelingen",
            "wants_starthjaelp": True,
            "leader_email": "",
            "confirms_sharing": False,
        },
    },
]


class Command(BaseCommand):
    help = "Opretter demo-brugere, en åben ansøgningsrunde og demo-ansøgninger (kan køres igen)."

    def handle(self, *args, **options):
        # The demo's mails (sent when the transaction commits) would only clutter the
        # console of `make run`.
        dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with dummy_mail, transaction.atomic():
            applicant = self.account(*APPLICANT)
            secretary = self.account(*SECRETARIAT, is_staff=True)
            secretary.groups.add(Group.objects.get(name="Sekretariat"))
            application_round = self.open_round()
            made = [
                self.application(spec, applicant, secretary, application_round)
                for spec in DEMO_APPLICATIONS
            ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo klar: ansøger {APPLICANT[0]} / {APPLICANT[1]}, sekretariat "
                f"{SECRETARIAT[0]} / {SECRETARIAT[1]}; åben runde til "
                f"{application_round.closes:%d.%m.%Y}; {sum(made)} nye demo-ansøgninger."
            )
        )

    def account(self, email, password, first_name, last_name, is_staff=False):
        user, _ = get_user_model().objects.get_or_create(username=email, defaults={"email": email})
        user.email, user.first_name, user.last_name = email, first_name, last_name
        user.is_staff = is_staff
        user.is_active = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def open_round(self):
        today = timezone.localdate()
        application_round, _ = ApplicationRound.objects.update_or_create(
            slug=OPEN_ROUND_SLUG,
            defaults={
                "name": "Rette kompetencer til rette opgaver – løbende ansøgning",
                "description": (
                    'Demo-runde. Partnerskabet bag "Rette kompetencer til rette opgaver" '
                    "tilbyder starthjælp, udviklingsrum og evaluering til initiativer på "
                    "sygehusene, der udvikler arbejdet og styrker trivsel og arbejdsmiljø "
                    "på tværs af faggrupper.\n\n"
                    "Runden oprettes af create_demo_accounts, og fristen flyttes med dags "
                    "dato, så den altid er åben i demoen."
                ),
                "opens": today - datetime.timedelta(days=30),
                "closes": today + datetime.timedelta(days=120),
                "source": "003_c638e044cabdad5d.txt (støtteformerne og kriterierne)",
            },
        )
        return application_round

    def application(self, spec, applicant, secretary, application_round):
        token = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-application/{spec['key']}")
        if SupportApplication.objects.filter(form_token=token).exists():
            return False
        fields = {**BASE_APPLICATION, **spec["fields"]}
        fields.setdefault("region", Region.objects.filter(slug="midtjylland").first())
        fields.setdefault("ready_to_start", timezone.localdate() + datetime.timedelta(days=45))
        application = SupportApplication.objects.create(
            round=application_round, applicant=applicant, form_token=token, **fields
        )
        status = spec["status"]
        if status != Status.DRAFT:
            workflow.submit(application, applicant)
        if status in (Status.NEEDS_INFO, Status.GRANTED):
            workflow.start_review(application, secretary)
            workflow.assign(application, secretary, secretary)
            workflow.transition(application, status, secretary, spec["message"])
        if spec.get("days_waiting"):
            moment = timezone.now() - datetime.timedelta(days=spec["days_waiting"])
            workflow.backdate_submission(application, moment)
        return True
