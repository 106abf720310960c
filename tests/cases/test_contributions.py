"""'Del en erfaring': a signed-in person proposes a case, the Sekretariat moderates it in the
admin (publish, or return with a message), and nothing unpublished shows anywhere."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import contributions
from cases.models import Case, ContributionEvent, ContributionState
from initiatives.models import SupportApplication
from portal import privacy
from tests.initiatives import conftest as initiatives_fixtures

# The account and application factories, shared with tests/initiatives.
applicant = initiatives_fixtures.applicant
make_application = initiatives_fixtures.make_application
make_initiative = initiatives_fixtures.make_initiative
make_round = initiatives_fixtures.make_round
make_secretariat_member = initiatives_fixtures.make_secretariat_member
make_user = initiatives_fixtures.make_user
open_round = initiatives_fixtures.open_round
secretariat = initiatives_fixtures.secretariat
fast_password_hashing = initiatives_fixtures.fast_password_hashing

pytestmark = pytest.mark.django_db
CONTRIBUTE = reverse("cases:contribute")
MINE = reverse("cases:my_contributions")
QUEUE = reverse("admin:cases_contribution_changelist")
# A word no other case has, to look the contribution up by search.
WORD = "nattevagtsmakkerskab"


@pytest.fixture
def taxonomy(make_theme, make_region, make_sector, make_profession):
    return {
        "theme": make_theme("Fastholdelse", slug="fastholdelse"),
        "region": make_region("Region Sjælland", slug="sjaelland"),
        "other_region": make_region("Region Syddanmark", slug="syddanmark"),
        "sector": make_sector("Psykiatri", slug="psykiatri"),
        "profession": make_profession("Social- og sundhedsassistenter", slug="sosu"),
    }


@pytest.fixture
def contribution_data(taxonomy):
    def make(**overrides):
        data = {
            "form_token": str(uuid.uuid4()),
            "title": "Faste makkerpar på nattevagt",
            "lead": "Nyansatte på nattevagt følte sig alene og sagde op inden for et år.",
            "body": f"Vi indførte et {WORD} i seks måneder.\n\nHver nyansat fik en fast makker.",
            "key_learnings": "Færre opsigelser det første år\nTrygge nyansatte",
            "dos": "Afsæt tid til makkeren\nEvaluer efter tre måneder",
            "donts": "Lad ikke makkerskabet hvile på frivillighed",
            "place": "Psykiatrisk afdeling, Slagelse",
            "region": taxonomy["region"].pk,
            "other_regions": [taxonomy["other_region"].pk],
            "sector": taxonomy["sector"].pk,
            "professional_groups": [taxonomy["profession"].pk],
            "themes": [taxonomy["theme"].pk],
            "contact_name": "Bodil Bidrag",
            "contact_email": "bodil@example.dk",
            "credit_person": "on",
            "consent": "on",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def contributed(client, applicant, contribution_data):
    """A contribution sent through the form by `applicant`, waiting for the editors."""

    def make(**overrides):
        client.force_login(applicant)
        response = client.post(CONTRIBUTE, contribution_data(**overrides))
        assert response.status_code == 302, response.content.decode()[:2000]
        return Case.objects.contributed_by(applicant).latest("pk")

    return make


def listed_titles(client, **params):
    response = client.get(reverse("cases:list"), params)
    return [case.title for case in response.context["page_obj"].object_list]


def admin_client(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_a_contribution_is_stored_unpublished_with_the_contributor_and_its_source(
    contributed, applicant, taxonomy
):
    case = contributed()

    assert case.status == Case.Status.DRAFT
    assert case.published_at is None
    assert case.contribution_state == ContributionState.SENT
    assert case.contributor == applicant
    assert case.consent_at is not None
    assert case.source_citation.startswith("Bidrag fra Psykiatrisk afdeling, Slagelse")
    assert list(case.themes.all()) == [taxonomy["theme"]]
    assert list(case.other_regions.all()) == [taxonomy["other_region"]]
    assert case.dos.splitlines() == ["Afsæt tid til makkeren", "Evaluer efter tre måneder"]
    assert case.slug == "faste-makkerpar-pa-nattevagt"
    assert ContributionEvent.objects.get(case=case).action == ContributionEvent.Action.SENT


def test_contribution_moderation_publication_and_then_it_is_in_list_detail_and_search(
    client, contributed, secretariat, make_case
):
    case = contributed()
    make_case("En anden case")
    assert case.title not in listed_titles(client)

    client = admin_client(client, secretariat)
    queue = client.get(QUEUE)
    assert case.title in queue.content.decode()
    response = client.post(
        QUEUE, {"action": "publish_contributions", "_selected_action": [case.pk]}
    )
    assert response.status_code == 302

    case.refresh_from_db()
    assert case.is_public
    assert case.contribution_state == ContributionState.PUBLISHED
    assert case in Case.objects.published()
    published = ContributionEvent.objects.get(case=case, action="published")
    assert published.actor == secretariat
    client.logout()
    assert case.title in listed_titles(client)
    assert listed_titles(client, q=WORD) == [case.title]
    detail = client.get(case.get_absolute_url())
    assert detail.status_code == 200
    assert "Delt af" in detail.content.decode()
    assert "Bodil Bidrag, Psykiatrisk afdeling, Slagelse" in detail.content.decode()


def test_publish_sets_status_and_publication_time_in_one_method(contributed, secretariat):
    case = contributed()
    before = timezone.now()

    contributions.publish(case, secretariat)

    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED
    assert before <= case.published_at <= timezone.now()


def test_the_publish_button_on_the_contribution_page(client, contributed, secretariat):
    case = contributed()
    client = admin_client(client, secretariat)
    page = client.get(reverse("admin:cases_contribution_change", args=[case.pk]))
    assert "Offentliggør nu" in page.content.decode()

    client.post(reverse("admin:cases_contribution_publish", args=[case.pk]))

    case.refresh_from_db()
    assert case.is_public


def test_an_unpublished_contribution_is_nowhere_on_the_public_site(
    client, contributed, make_case, taxonomy, applicant, make_user
):
    case = contributed()
    neighbour = make_case("Naboen med samme tema", themes=[taxonomy["theme"]])
    theme = taxonomy["theme"]

    for user in (None, applicant, make_user("nogen@example.dk")):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(case.get_absolute_url()).status_code == 404
        assert case.title not in listed_titles(client)
        assert listed_titles(client, q=WORD) == []
        assert case.title not in client.get(theme.get_absolute_url()).content.decode()
        related = client.get(neighbour.get_absolute_url()).context["related_cases"]
        assert case not in related
    facets = client.get(reverse("cases:list")).context["facets"]
    counts = {option["slug"]: option["count"] for option in facets["theme"]}
    assert counts["fastholdelse"] == 1  # the neighbour only
    region_counts = {option["slug"]: option["count"] for option in facets["region"]}
    assert region_counts.get("sjaelland", 0) == 0
    # The booklet's folder takes published cases only.
    assert client.post("/cases/mappe/tilfoej/", {"case": case.pk}).status_code == 404


def test_the_same_form_sent_twice_makes_one_contribution(client, applicant, contribution_data):
    client.force_login(applicant)
    data = contribution_data()

    first = client.post(CONTRIBUTE, data)
    second = client.post(CONTRIBUTE, data)

    assert Case.objects.contributed_by(applicant).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == MINE
    assert ContributionEvent.objects.count() == 1


def test_someone_elses_form_token_is_not_theirs(client, contributed, make_user, contribution_data):
    case = contributed()
    client.force_login(make_user("anden@example.dk"))

    response = client.post(
        CONTRIBUTE, contribution_data(form_token=str(case.contribution_token), title="Kapret")
    )

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.title == "Faste makkerpar på nattevagt"


def test_anonymous_visitors_are_sent_to_the_login_page_that_explains_why(client):
    response = client.get(CONTRIBUTE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={CONTRIBUTE}"
    login = client.get(response["Location"])
    html = login.content.decode()
    assert "Log ind for at dele en erfaring" in html
    assert "Opret konto" in html


def test_the_form_is_prefilled_with_the_account_as_contact(client, applicant):
    client.force_login(applicant)

    form = client.get(CONTRIBUTE).context["form"]

    assert form["contact_email"].value() == "ansoeger@example.dk"
    assert form["contact_name"].value() == "Anne"


def test_bad_input_gets_danish_messages_and_keeps_what_was_typed(
    client, applicant, contribution_data
):
    client.force_login(applicant)
    data = contribution_data(
        themes=None,
        consent=None,
        contact_email="ikke-en-adresse",
        sector="999999",
        lead="x" * 700,
    )

    response = client.post(CONTRIBUTE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg mindst ét tema." in html
    assert "Sæt kryds, hvis erfaringen må offentliggøres." in html
    assert "Skriv en gyldig e-mailadresse" in html
    assert "Vælg en af mulighederne på listen." in html
    assert "Højst 600 tegn (du har skrevet 700)." in html
    assert "Faste makkerpar på nattevagt" in html
    assert WORD in html
    assert not Case.objects.contributed_by(applicant).exists()


def test_return_with_a_message_mails_the_contributor_who_revises_and_sends_again(
    client, contributed, secretariat, applicant, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.dk"
    case = contributed()
    client = admin_client(client, secretariat)
    return_url = reverse("admin:cases_contribution_return", args=[case.pk])
    page = client.get(reverse("admin:cases_contribution_change", args=[case.pk]))
    assert "Send retur med en besked" in page.content.decode()

    with_no_message = client.post(return_url, {"message": "  "})
    assert "Skriv en besked til bidragyderen" in with_no_message.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(return_url, {"message": "Fortæl gerne, hvor mange der var med."})

    case.refresh_from_db()
    assert case.contribution_state == ContributionState.RETURNED
    assert not case.is_public
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ansoeger@example.dk"]
    assert "Fortæl gerne, hvor mange der var med." in sent.body
    edit = reverse("cases:contribution_edit", args=[case.pk])
    assert f"https://portal.example.dk{edit}" in sent.body

    client = admin_client(client, applicant)
    mine = client.get(MINE).content.decode()
    assert "Fortæl gerne, hvor mange der var med." in mine
    assert "<strong>Status:</strong> Sendt retur" in mine
    form = client.get(edit)
    assert "Fortæl gerne, hvor mange der var med." in form.content.decode()
    data = {
        key: value
        for key, value in form.context["form"].initial.items()
        if key in form.context["form"].fields and value not in (None, False)
    }
    data["themes"] = [theme.pk for theme in data["themes"]]
    data["professional_groups"] = [g.pk for g in data["professional_groups"]]
    data["other_regions"] = [r.pk for r in data["other_regions"]]
    data.update(body="Otte makkerpar var med.", consent="on", credit_person="on")
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors

    case.refresh_from_db()
    assert case.contribution_state == ContributionState.SENT
    assert case.body == "Otte makkerpar var med."
    actions = list(case.contribution_events.values_list("action", "actor"))
    assert actions == [
        ("sent", applicant.pk),
        ("returned", secretariat.pk),
        ("resent", applicant.pk),
    ]
    # A second click on "send igen": the contribution is with the editors, not changed.
    again = client.post(edit, {**data, "body": "Noget andet."})
    assert again["Location"] == MINE
    case.refresh_from_db()
    assert case.body == "Otte makkerpar var med."


def test_only_a_waiting_contribution_can_be_returned(contributed, secretariat):
    case = contributed()
    contributions.publish(case, secretariat)

    with pytest.raises(contributions.NotAllowed):
        contributions.return_to_contributor(case, secretariat, "For sent.")


def test_a_contributor_sees_only_their_own_contributions(client, contributed, make_user):
    case = contributed()
    other = make_user("anden@example.dk")
    client.force_login(other)

    assert case.title not in client.get(MINE).content.decode()
    edit = reverse("cases:contribution_edit", args=[case.pk])
    assert client.get(edit).status_code == 404


def test_the_person_is_credited_only_if_they_agreed(client, contributed, secretariat):
    case = contributed(credit_person=None)
    contributions.publish(case, secretariat)

    html = client.get(case.get_absolute_url()).content.decode()

    assert "Delt af" in html
    assert "Psykiatrisk afdeling, Slagelse" in html
    assert "Bodil Bidrag" not in html
    assert "bodil@example.dk" not in html


def test_staff_outside_the_sekretariat_cannot_moderate(client, contributed, make_user):
    case = contributed()
    client.force_login(make_user("webredaktoer@example.dk", is_staff=True))

    assert client.get(QUEUE).status_code == 403
    response = client.post(
        reverse("admin:cases_contribution_return", args=[case.pk]), {"message": "Nej."}
    )
    assert response.status_code == 403
    publish = client.post(reverse("admin:cases_contribution_publish", args=[case.pk]))
    assert publish.status_code == 403
    case.refresh_from_db()
    assert case.contribution_state == ContributionState.SENT


def test_the_queue_opens_on_the_waiting_contributions(client, contributed, secretariat, make_case):
    waiting = contributed()
    published = contributed(form_token=str(uuid.uuid4()), title="Allerede ude")
    contributions.publish(published, secretariat)
    make_case("Redaktionens egen case")
    client = admin_client(client, secretariat)

    html = client.get(QUEUE).content.decode()
    everything = client.get(QUEUE, {"tilstand": "alle"}).content.decode()

    assert waiting.title in html
    assert "Allerede ude" not in html
    assert "Allerede ude" in everything
    assert "Redaktionens egen case" not in everything


def test_my_contributions_costs_a_fixed_number_of_queries(
    client, contributed, django_assert_num_queries, applicant
):
    for number in range(3):
        contributed(form_token=str(uuid.uuid4()), title=f"Erfaring {number}")
    client.force_login(applicant)
    client.get(MINE)

    # Session, user, the page's contributions and their count.
    with django_assert_num_queries(4):
        response = client.get(MINE)
    assert len(response.context["contributions"]) == 3


# -- a supported initiative turned into a contribution --------------------------------


def test_the_owner_of_a_granted_application_gets_the_form_prefilled(
    client, make_application, make_initiative, applicant, taxonomy
):
    initiative = make_initiative("Makkerskaber", themes=[taxonomy["theme"]])
    application = make_application(SupportApplication.Status.GRANTED, initiative=initiative)
    client.force_login(applicant)

    detail = client.get(application.get_absolute_url()).content.decode()
    url = reverse("initiatives:application_contribute", args=[application.pk])
    assert url in detail
    response = client.get(url)

    form = response.context["form"]
    assert form["title"].value() == application.initiative_title
    assert form["body"].value() == application.initiative_description
    assert form["place"].value() == "Akutmodtagelsen, Regionshospitalet Horsens"
    assert form["contact_name"].value() == "Lone Leder"
    assert form["lead"].value() == initiative.summary
    assert [int(pk) for pk in form["themes"].value()] == [taxonomy["theme"].pk]


def test_only_the_owner_may_turn_a_granted_application_into_a_contribution(
    client, make_application, make_user, contribution_data
):
    application = make_application(SupportApplication.Status.GRANTED)
    url = reverse("initiatives:application_contribute", args=[application.pk])
    client.force_login(make_user("anden@example.dk"))

    assert client.get(url).status_code == 404
    assert client.post(url, contribution_data()).status_code == 404
    assert not Case.objects.contributions().exists()


def test_an_application_not_granted_cannot_be_turned_into_a_contribution(
    client, make_application, applicant
):
    application = make_application(SupportApplication.Status.IN_REVIEW)
    client.force_login(applicant)

    url = reverse("initiatives:application_contribute", args=[application.pk])
    assert client.get(url).status_code == 404
    assert url not in client.get(application.get_absolute_url()).content.decode()


def test_a_granted_application_becomes_a_contribution(
    client, make_application, applicant, contribution_data
):
    application = make_application(SupportApplication.Status.GRANTED)
    client.force_login(applicant)

    url = reverse("initiatives:application_contribute", args=[application.pk])
    response = client.post(url, contribution_data())

    assert response["Location"] == MINE
    assert Case.objects.contributed_by(applicant).count() == 1


# -- personal data --------------------------------------------------------------------------


def test_export_holds_the_contributions_and_erasing_removes_the_unpublished(
    contributed, applicant, secretariat
):
    waiting = contributed()
    published = contributed(form_token=str(uuid.uuid4()), title="Ude", credit_person="on")
    contributions.publish(published, secretariat)

    exported = privacy.export(privacy.Subject.find("ansoeger@example.dk"))
    titles = {row["fields"]["title"] for row in exported["cases_bidrag"]["bidrag"]}
    assert titles == {waiting.title, "Ude"}

    privacy.erase(privacy.Subject.find("ansoeger@example.dk"))

    assert not Case.objects.filter(pk=waiting.pk).exists()
    published.refresh_from_db()
    assert published.is_public
    assert published.contributor is None
    assert not published.credit_person


def test_the_sekretariat_may_see_and_change_contributions_and_nothing_else_of_the_cases(db):
    group = Group.objects.get(name="Sekretariat")

    granted = group.permissions.filter(content_type__app_label="cases")

    assert sorted(granted.values_list("codename", flat=True)) == [
        "change_contribution",
        "view_contribution",
    ]


def test_a_form_without_its_token_is_still_a_new_contribution(
    client, applicant, contribution_data, make_case
):
    make_case("Redaktionens egen case")
    client.force_login(applicant)

    client.post(CONTRIBUTE, contribution_data(form_token=None))

    assert Case.objects.contributed_by(applicant).count() == 1


def test_an_editor_edits_a_contribution_in_the_queue_and_it_is_searched_by_the_new_text(
    client, contributed, secretariat
):
    case = contributed()
    contributions.publish(case, secretariat)
    client = admin_client(client, secretariat)
    url = reverse("admin:cases_contribution_change", args=[case.pk])
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for subform in [formset.management_form, *formset.forms]:
            data.update({subform.add_prefix(n): subform[n].value() for n in subform.fields})
    data = {key: value for key, value in data.items() if value is not None}
    data.update(title="Faste makkerpar giver tryghed", lead="Nyansatte blev.", _save="Gem")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert listed_titles(client) == ["Faste makkerpar giver tryghed"]
    assert listed_titles(client, q="tryghed") == ["Faste makkerpar giver tryghed"]


def test_an_id_no_database_integer_can_hold_is_an_unknown_choice(
    client, applicant, contribution_data
):
    client.force_login(applicant)

    response = client.post(
        CONTRIBUTE, contribution_data(themes="9" * 30, professional_groups=["²"])
    )

    assert response.status_code == 200
    assert "Vælg en af mulighederne på listen." in response.content.decode()
    assert not Case.objects.contributions().exists()
