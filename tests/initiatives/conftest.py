"""Factories for initiatives, rounds, applicants, the secretariat and applications."""

import datetime
import itertools
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from initiatives import workflow
from initiatives.models import ApplicationRound, Initiative, SupportApplication

_sequence = itertools.count(1)
Status = SupportApplication.Status

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a throwaway folder, never into the project."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are made in most tests; a deliberately slow hasher is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_round(db):
    def make(name=None, is_open=True, **fields):
        name = name or f"Ansøgningsrunde {next(_sequence)}"
        today = timezone.localdate()
        if is_open:
            fields.setdefault("opens", today - datetime.timedelta(days=30))
            fields.setdefault("closes", today + datetime.timedelta(days=30))
        else:
            fields.setdefault("opens", today - datetime.timedelta(days=90))
            fields.setdefault("closes", today - datetime.timedelta(days=1))
        return ApplicationRound.objects.create(name=name, slug=slugify(name), **fields)

    return make


@pytest.fixture
def open_round(make_round):
    return make_round("Rette kompetencer – åben runde")


@pytest.fixture
def make_user(db):
    def make(email=None, password="hemmeligt-kodeord-42", verified=True, **fields):
        email = email or f"bruger{next(_sequence)}@example.dk"
        user = get_user_model().objects.create_user(
            username=email, email=email, password=password, **fields
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def applicant(make_user):
    return make_user("ansoeger@example.dk", first_name="Anne")


@pytest.fixture
def make_secretariat_member(make_user):
    def make(email=None, **fields):
        user = make_user(email, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name="Sekretariat"))
        return user

    return make


@pytest.fixture
def secretariat(make_secretariat_member):
    return make_secretariat_member(
        "konsulent@example.dk", first_name="Karen", last_name="Konsulent"
    )


def complete_fields(region):
    """Every field a submission needs, filled in as an applicant would."""
    return {
        "initiative_title": "Tværfaglige tavlemøder i akutmodtagelsen",
        "initiative_description": "Vi vil prøve daglige tavlemøder med sygeplejersker og læger.",
        "institution": "Regionshospitalet Horsens",
        "department": "Akutmodtagelsen",
        "region": region,
        "leader_name": "Lone Leder",
        "leader_title": "Afdelingssygeplejerske",
        "leader_email": "lone.leder@example.dk",
        "leader_phone": "12 34 56 78",
        "employee_rep_name": "Mads Medarbejder",
        "employee_rep_title": "Tillidsrepræsentant",
        "employee_rep_email": "mads.tr@example.dk",
        "employee_rep_phone": "87 65 43 21",
        "contact_person": "leader",
        "wants_starthjaelp": True,
        "wants_evaluering": True,
        "own_resources": "En projektleder 10 timer om ugen og plads til møderne.",
        "ready_to_start": timezone.localdate() + datetime.timedelta(days=30),
        "confirms_several_professions": True,
        "confirms_timing": True,
        "confirms_sharing": True,
        "confirms_local_backing": True,
    }


@pytest.fixture
def form_data(make_region):
    """A complete POST for the application form (without the submit/save button)."""
    region = make_region("Region Midtjylland")

    def make(**overrides):
        data = {
            key: value
            for key, value in complete_fields(region).items()
            if not key.startswith("wants_")
        }
        data["region"] = region.pk
        data["ready_to_start"] = data["ready_to_start"].isoformat()
        data["support_forms"] = ["starthjaelp", "evaluering"]
        data["form_token"] = str(uuid.uuid4())
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    make.region = region
    return make


@pytest.fixture
def make_application(db, make_region, applicant, open_round, secretariat):
    """An application in any status, brought there through the workflow itself."""

    def make(status=Status.DRAFT, owner=None, application_round=None, **fields):
        values = complete_fields(fields.pop("region", None) or make_region())
        values.update(fields)
        application = SupportApplication.objects.create(
            round=application_round or open_round,
            applicant=owner or applicant,
            form_token=uuid.uuid4(),
            **values,
        )
        path = {
            Status.DRAFT: [],
            Status.SUBMITTED: [Status.SUBMITTED],
            Status.IN_REVIEW: [Status.SUBMITTED, Status.IN_REVIEW],
            Status.NEEDS_INFO: [Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO],
            Status.GRANTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.GRANTED],
            Status.REJECTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED],
        }[Status(status)]
        for target in path:
            actor = application.applicant if target == Status.SUBMITTED else secretariat
            workflow.transition(application, target, actor, message=f"Besked: {target.label}")
        return application

    return make


@pytest.fixture
def make_initiative(db, make_region):
    def make(title=None, themes=(), region=None, **fields):
        title = title or f"Initiativ {next(_sequence)}"
        fields.setdefault("slug", slugify(title))
        fields.setdefault("summary", f"Kort om {title}.")
        fields.setdefault("description", f"Første afsnit om {title}.\n\nAndet afsnit.")
        fields.setdefault("institution", "Testhospitalet")
        fields.setdefault("department", "Medicinsk afdeling")
        fields.setdefault("is_published", True)
        initiative = Initiative.objects.create(
            title=title, region=region or make_region(), **fields
        )
        if themes:
            initiative.themes.set(list(themes))
        return initiative

    return make


def pdf_upload(name="projektbeskrivelse.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
