"""A small portal with one of everything, and a logged-in client per kind of visitor.

Used by the cross-cutting tests (every URL, odd input to every form). The applicant
factories live in tests/initiatives/conftest.py and are imported from there.
"""

from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client

from cases.models import Case
from initiatives.models import SupportApplication
from tests.initiatives import conftest as initiatives_fixtures
from tests.initiatives.conftest import pdf_upload
from tests.workshops import conftest as workshops_fixtures
from workshops.models import Registration
from workshops.registration import cancel_token

# The applicant, secretariat and application factories, shared with tests/initiatives.
applicant = initiatives_fixtures.applicant
make_application = initiatives_fixtures.make_application
make_initiative = initiatives_fixtures.make_initiative
make_round = initiatives_fixtures.make_round
make_secretariat_member = initiatives_fixtures.make_secretariat_member
make_user = initiatives_fixtures.make_user
open_round = initiatives_fixtures.open_round
secretariat = initiatives_fixtures.secretariat
# The workshop factories, shared with tests/workshops.
make_workshop = workshops_fixtures.make_workshop
make_open_workshop = workshops_fixtures.make_open_workshop
make_development_room = workshops_fixtures.make_development_room
make_room_meeting = workshops_fixtures.make_room_meeting

Status = SupportApplication.Status

ANON, OWNER, OTHER, STAFF, SEK = "anonymous", "owner", "other", "staff", "sekretariat"
ROLES = (ANON, OWNER, OTHER, STAFF, SEK)
ROLE_DESCRIPTIONS = {
    ANON: "anonymous visitor",
    OWNER: "applicant, on their own applications",
    OTHER: "applicant, on someone else's applications",
    STAFF: "staff user outside the Sekretariat group",
    SEK: "Sekretariat member",
}

# Words that only the pages of one application (or the desk's notes) contain.
SECRETS = {
    "draft": "Ansøgningskladde Alfa",
    "submitted": "Indsendt ansøgning Bravo",
    "in_review": "Ansøgning under vurdering Charlie",
    "granted": "Bevilget ansøgning Delta",
    "others": "Andens ansøgning Echo",
    "needs_info": "Ansøgning mangler Golf",
    "notes": "Intern note Foxtrot",
}
OWN = {"draft", "submitted", "in_review", "granted", "needs_info"}
# What each kind of visitor may find on any page; everything else in SECRETS is theirs not.
MAY_SEE = {
    ANON: set(),
    OWNER: OWN,
    OTHER: {"others"},
    STAFF: set(),
    SEK: {"submitted", "in_review", "granted", "others", "notes", "needs_info"},
}


@pytest.fixture
def world(
    settings,
    tmp_path,
    make_case,
    make_theme,
    make_profession,
    make_initiative,
    make_application,
    make_user,
    applicant,
    secretariat,
    open_round,
    make_open_workshop,
    make_development_room,
    make_room_meeting,
):
    """One of each object a URL can name, owned by `applicant` where it has an owner."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    theme = make_theme("Arbejdsmiljø", slug="arbejdsmiljo")
    case = make_case("Tavlemøder i akutmodtagelsen", themes=[theme])
    other = make_user("anden.ansoeger@example.dk")
    staff = make_user("webredaktoer@example.dk", is_staff=True)
    submitted = make_application(
        Status.SUBMITTED, attachment=pdf_upload(), initiative_title=SECRETS["submitted"]
    )
    SupportApplication.objects.filter(pk=submitted.pk).update(internal_notes=SECRETS["notes"])
    room = make_development_room("Udviklingsrum om tavlemøder")
    world = SimpleNamespace(
        theme=theme,
        theme_group=theme.group,
        case=case,
        draft_case=make_case("Ufærdig case", status=Case.Status.DRAFT, themes=[theme]),
        # Contributions ("Del en erfaring") by the applicant: one waiting, one sent back.
        contribution=make_case(
            "Bidrag om nattevagter",
            status=Case.Status.DRAFT,
            published_at=None,
            themes=[theme],
            contributor=applicant,
            contribution_state=Case.ContributionState.SENT,
        ),
        returned_contribution=make_case(
            "Bidrag sendt retur",
            status=Case.Status.DRAFT,
            published_at=None,
            themes=[theme],
            contributor=applicant,
            contribution_state=Case.ContributionState.RETURNED,
            moderation_message="Uddyb gerne resultaterne.",
        ),
        initiative=make_initiative("Tværfaglige tavlemøder", themes=[theme]),
        hidden_initiative=make_initiative("Endnu ikke offentligt", is_published=False),
        round=open_round,
        draft=make_application(attachment=pdf_upload(), initiative_title=SECRETS["draft"]),
        submitted=submitted,
        in_review=make_application(Status.IN_REVIEW, initiative_title=SECRETS["in_review"]),
        granted=make_application(Status.GRANTED, initiative_title=SECRETS["granted"]),
        needs_info=make_application(Status.NEEDS_INFO, initiative_title=SECRETS["needs_info"]),
        others=make_application(
            Status.SUBMITTED,
            owner=other,
            attachment=pdf_upload(),
            initiative_title=SECRETS["others"],
        ),
        history_id=submitted.history.latest().history_id,
        applicant=applicant,
        other=other,
        staff=staff,
        secretariat=secretariat,
        group=Group.objects.get(name="Sekretariat"),
        email_address=EmailAddress.objects.get(user=applicant),
        region=case.region,
        sector=case.sector,
        profession=make_profession("Sygeplejersker"),
        users={ANON: None, OWNER: applicant, OTHER: other, STAFF: staff, SEK: secretariat},
        workshop=make_open_workshop("Tværregional workshop om arbejdsmiljø", themes=[theme]),
        hidden_workshop=make_open_workshop("Workshop under forberedelse", is_published=False),
        room=room,
        room_meeting=make_room_meeting(room, "Første møde i udviklingsrummet"),
        hidden_room=make_development_room("Udviklingsrum i støbeskeen", is_published=False),
    )
    world.registration = Registration.objects.create(
        workshop=world.workshop,
        name="Tilmeldt Deltager",
        email="deltager@example.dk",
        workplace="Regionshospitalet Randers",
        status=Registration.Status.CONFIRMED,
    )
    world.cancel_token = cancel_token(world.registration)
    return world


def client_for(user):
    """A test client logged in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
