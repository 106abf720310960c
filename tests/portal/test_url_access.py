"""Every URL pattern of the project, fetched by every kind of visitor.

The table below says, for each URL, what an anonymous visitor, an applicant (on their own
objects and on someone else's), a staff user outside the Sekretariat group and a
Sekretariat member get. The URL patterns are walked from the root resolver, admin
included: a pattern that no row of the table names makes the test fail, so a new page
cannot be added without saying who may see it.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from taggit.models import Tag

from .conftest import (
    ANON,
    MAY_SEE,
    OWNER,
    ROLE_DESCRIPTIONS,
    ROLES,
    SECRETS,
    SEK,
    STAFF,
    client_for,
)

pytestmark = pytest.mark.django_db

# What a visitor can get. A redirect elsewhere is written as "-> /its/path/".
OK, BAD_REQUEST, DENIED, MISSING, NOT_ALLOWED = 200, 400, 403, 404, 405
LOGIN = "redirect to login"
ADMIN_LOGIN = "redirect to admin login"


def to(path):
    return f"-> {path}"


@dataclass
class Row:
    """One request and what each kind of visitor gets for it."""

    url: str
    expected: dict
    method: str = "get"
    data: dict = field(default_factory=dict)

    @property
    def label(self):
        return f"{self.method.upper()} {self.url}"


def row(url, anonymous, owner, other, staff, sekretariat, method="get", data=None):
    """The outcome for each kind of visitor, in the order of `ROLES`.

    "owner" is the applicant who owns the world's applications; "other" is another
    applicant, who owns only `world.others`.
    """
    expected = dict(zip(ROLES, (anonymous, owner, other, staff, sekretariat), strict=True))
    return Row(url, expected, method, data or {})


def everyone(url, outcome, **kwargs):
    return row(url, outcome, outcome, outcome, outcome, outcome, **kwargs)


def with_query(url, **params):
    return f"{url}?{urlencode(params)}"


def public_rows(w):
    """The public site: the same for everyone, logged in or not."""
    case_list = reverse("cases:list")
    folder = reverse("booklets:folder")
    return [
        everyone(reverse("portal:home"), OK),
        everyone(reverse("portal:theme_list"), OK),
        everyone(reverse("portal:theme_detail", args=[w.theme.slug]), OK),
        everyone(reverse("portal:theme_detail", args=["findes-ikke"]), MISSING),
        everyone(reverse("portal:contact"), OK),
        everyone(reverse("portal:privacy"), OK),
        everyone(reverse("portal:accessibility"), OK),
        everyone(reverse("portal:was"), to(reverse("portal:accessibility"))),
        everyone(reverse("portal:favicon"), to("/static/portal/favicon.ico")),
        everyone(case_list, OK),
        everyone(reverse("cases:detail", args=[w.case.slug]), OK),
        everyone(reverse("cases:detail", args=[w.draft_case.slug]), MISSING),
        everyone(reverse("booklets:case_pdf", args=[w.case.slug]), OK),
        everyone(reverse("booklets:case_pdf", args=[w.draft_case.slug]), MISSING),
        everyone(
            with_query(reverse("booklets:booklet"), q="findes-ikke-noget-sted"), to(case_list)
        ),
        everyone(folder, OK),
        everyone(reverse("booklets:folder_pdf"), to(folder)),
        everyone(reverse("booklets:folder_add"), NOT_ALLOWED),
        everyone(
            reverse("booklets:folder_add"),
            to(w.case.get_absolute_url()),
            method="post",
            data={"case": w.case.pk},
        ),
        everyone(
            reverse("booklets:folder_add"), MISSING, method="post", data={"case": w.draft_case.pk}
        ),
        everyone(reverse("booklets:folder_remove"), NOT_ALLOWED),
        everyone(
            reverse("booklets:folder_remove"), to(folder), method="post", data={"case": w.case.pk}
        ),
        everyone(reverse("booklets:folder_move"), NOT_ALLOWED),
        everyone(
            reverse("booklets:folder_move"),
            to(folder),
            method="post",
            data={"case": w.case.pk, "direction": "up"},
        ),
        everyone(reverse("booklets:folder_clear"), OK),
        everyone(reverse("booklets:folder_clear"), to(folder), method="post"),
        # Content flowing out (issue 16): feeds, the embeddable list, open data.
        everyone(reverse("cases:feed"), OK),
        everyone(reverse("portal:theme_feed", args=[w.theme.slug]), OK),
        everyone(reverse("portal:theme_feed", args=["findes-ikke"]), MISSING),
        everyone(reverse("cases:feed"), NOT_ALLOWED, method="post"),
        everyone(with_query(reverse("cases:embed"), theme=w.theme.slug), OK),
        everyone(reverse("cases:embed"), NOT_ALLOWED, method="post"),
        everyone(reverse("cases:data_csv"), OK),
        everyone(reverse("cases:data_json"), OK),
        everyone(reverse("initiatives:initiative_list"), OK),
        everyone(reverse("initiatives:support"), OK),
        everyone(reverse("initiatives:initiative_detail", args=[w.initiative.slug]), OK),
        everyone(
            reverse("initiatives:initiative_detail", args=[w.hidden_initiative.slug]), MISSING
        ),
        everyone(reverse("workshops:list"), OK),
        everyone(with_query(reverse("workshops:list"), when="past", theme="findes-ikke"), OK),
        everyone(reverse("workshops:detail", args=[w.workshop.slug]), OK),
        everyone(reverse("workshops:detail", args=[w.room_meeting.slug]), OK),
        everyone(reverse("workshops:detail", args=[w.hidden_workshop.slug]), MISSING),
        everyone(reverse("workshops:development_room", args=[w.room.slug]), OK),
        everyone(reverse("workshops:development_room", args=[w.hidden_room.slug]), MISSING),
        # Registration, cancellation by the mailed link, the calendar: no account needed.
        everyone(reverse("workshops:register", args=[w.workshop.slug]), OK),
        everyone(reverse("workshops:register", args=[w.workshop.slug]), OK, method="post"),
        everyone(reverse("workshops:register", args=[w.hidden_workshop.slug]), MISSING),
        everyone(
            reverse("workshops:registered", args=[w.workshop.slug]),
            to(reverse("workshops:register", args=[w.workshop.slug])),
        ),
        everyone(reverse("workshops:registered", args=[w.hidden_workshop.slug]), MISSING),
        everyone(reverse("workshops:cancel", args=[w.cancel_token]), OK),
        everyone(reverse("workshops:cancel", args=["ugyldigt-link"]), BAD_REQUEST),
        everyone(reverse("workshops:cancel", args=["ugyldigt-link"]), BAD_REQUEST, method="post"),
        everyone(reverse("workshops:calendar"), OK),
        everyone(reverse("workshops:ics", args=[w.workshop.slug]), OK),
        everyone(reverse("workshops:ics", args=[w.hidden_workshop.slug]), MISSING),
        # Pages an applicant needs an account for.
        row(reverse("initiatives:apply"), LOGIN, OK, OK, OK, OK),
        row(reverse("initiatives:my_applications"), LOGIN, OK, OK, OK, OK),
        # "Del en erfaring": any account may contribute; a contribution is its owner's
        # until it is published, and on the public site only then.
        row(reverse("cases:contribute"), LOGIN, OK, OK, OK, OK),
        row(reverse("cases:my_contributions"), LOGIN, OK, OK, OK, OK),
        everyone(reverse("cases:detail", args=[w.contribution.slug]), MISSING),
        row(
            reverse("cases:contribution_edit", args=[w.returned_contribution.pk]),
            LOGIN,
            OK,
            MISSING,
            MISSING,
            MISSING,
        ),
        row(
            reverse("cases:contribution_edit", args=[w.contribution.pk]),
            LOGIN,
            to(reverse("cases:my_contributions")),
            MISSING,
            MISSING,
            MISSING,
        ),
    ]


def application_rows(w):
    """The applicant's own pages: theirs only. The secretariat works in the admin."""
    detail = "initiatives:application_detail"
    edit = "initiatives:application_edit"
    attachment = "initiatives:application_attachment"
    submitted_detail = reverse(detail, args=[w.submitted.pk])
    return [
        row(reverse(detail, args=[w.draft.pk]), LOGIN, OK, MISSING, MISSING, MISSING),
        row(submitted_detail, LOGIN, OK, MISSING, MISSING, MISSING),
        row(reverse(detail, args=[w.others.pk]), LOGIN, MISSING, OK, MISSING, MISSING),
        row(reverse(edit, args=[w.draft.pk]), LOGIN, OK, MISSING, MISSING, MISSING),
        row(
            reverse(edit, args=[w.submitted.pk]),
            LOGIN,
            to(submitted_detail),
            MISSING,
            MISSING,
            MISSING,
        ),
        row(
            reverse(edit, args=[w.others.pk]),
            LOGIN,
            MISSING,
            to(reverse(detail, args=[w.others.pk])),
            MISSING,
            MISSING,
        ),
        # The attachment: its applicant and the Sekretariat, once the application is sent.
        row(reverse(attachment, args=[w.submitted.pk]), LOGIN, OK, MISSING, MISSING, OK),
        row(reverse(attachment, args=[w.others.pk]), LOGIN, MISSING, OK, MISSING, OK),
        row(reverse(attachment, args=[w.draft.pk]), LOGIN, OK, MISSING, MISSING, MISSING),
        row(reverse(attachment, args=[w.in_review.pk]), LOGIN, MISSING, MISSING, MISSING, MISSING),
        # A granted application can become a contribution ("Del en erfaring"), by its owner.
        row(
            reverse("initiatives:application_contribute", args=[w.granted.pk]),
            LOGIN,
            OK,
            MISSING,
            MISSING,
            MISSING,
        ),
        row(
            reverse("initiatives:application_contribute", args=[w.submitted.pk]),
            LOGIN,
            MISSING,
            MISSING,
            MISSING,
            MISSING,
        ),
    ]


def account_rows(w):
    """django-allauth's pages (login, signup, password, e-mail)."""
    home = reverse("portal:home")
    login = reverse("account_login")
    return [
        row(login, OK, to(home), to(home), to(home), to(home)),
        row(reverse("account_signup"), OK, to(home), to(home), to(home), to(home)),
        row(reverse("account_logout"), to(home), OK, OK, OK, OK),
        row(
            reverse("account_logout"),
            to(home),
            to(home),
            to(home),
            to(home),
            to(home),
            method="post",
        ),
        everyone(reverse("account_inactive"), OK),
        row(reverse("account_reauthenticate"), LOGIN, OK, OK, OK, OK),
        row(reverse("account_email"), LOGIN, OK, OK, OK, OK),
        everyone(reverse("account_email_verification_sent"), OK),
        row(reverse("account_change_password"), LOGIN, OK, OK, OK, OK),
        # Every account here has a password, so "set" leads to "change".
        row(reverse("account_set_password"), LOGIN, *[to(reverse("account_change_password"))] * 4),
        everyone(reverse("account_reset_password"), OK),
        everyone(reverse("account_reset_password_done"), OK),
        everyone(reverse("account_reset_password_from_key_done"), OK),
        everyone(reverse("account_reset_password_from_key", args=["1", "set-password"]), OK),
        everyone(reverse("account_confirm_email", args=["ugyldig-noegle"]), OK),
        row(reverse("account_confirm_login_code"), LOGIN, to(home), to(home), to(home), to(home)),
        # The account deletion page: staff get a refusal on it, never the form.
        row(reverse("portal:account_delete"), LOGIN, OK, OK, OK, OK),
        row(
            reverse("portal:account_delete"),
            LOGIN,
            OK,
            OK,
            to(reverse("portal:account_delete")),
            to(reverse("portal:account_delete")),
            method="post",
        ),
    ]


# What the Sekretariat may do with each model registered in the admin. Staff outside the
# group may do nothing at all; applicants and anonymous visitors are sent to the admin
# login. Registering a model in the admin without a line here fails the test.
NOTHING, VIEW, VIEW_CHANGE = frozenset(), frozenset({"view"}), frozenset({"view", "change"})
ADD_VIEW_CHANGE = frozenset({"add", "view", "change"})
ADMIN_ACCESS = {
    "auth.group": NOTHING,
    "auth.user": NOTHING,
    "account.emailaddress": NOTHING,
    "portal.themegroup": NOTHING,
    "portal.theme": NOTHING,
    "portal.region": NOTHING,
    "portal.sector": NOTHING,
    "portal.professionalgroup": NOTHING,
    "cases.case": NOTHING,
    "cases.contribution": VIEW_CHANGE,
    "initiatives.supportapplication": VIEW_CHANGE,
    "initiatives.applicationround": VIEW,
    "initiatives.initiative": NOTHING,
    "workshops.workshop": ADD_VIEW_CHANGE,
    "workshops.developmentroom": ADD_VIEW_CHANGE,
    "workshops.registration": VIEW_CHANGE,
}
ADMIN_OBJECTS = {
    "auth.group": lambda w: w.group,
    "auth.user": lambda w: w.applicant,
    "account.emailaddress": lambda w: w.email_address,
    "portal.themegroup": lambda w: w.theme_group,
    "portal.theme": lambda w: w.theme,
    "portal.region": lambda w: w.region,
    "portal.sector": lambda w: w.sector,
    "portal.professionalgroup": lambda w: w.profession,
    "cases.case": lambda w: w.case,
    "cases.contribution": lambda w: w.contribution,
    "initiatives.supportapplication": lambda w: w.submitted,
    "initiatives.applicationround": lambda w: w.round,
    "initiatives.initiative": lambda w: w.initiative,
    "workshops.workshop": lambda w: w.workshop,
    "workshops.developmentroom": lambda w: w.room,
    "workshops.registration": lambda w: w.registration,
}


def admin_row(url, staff, sekretariat, **kwargs):
    """Anyone who is not staff is sent to the admin login."""
    return row(url, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, staff, sekretariat, **kwargs)


def admin_model_rows(w):
    rows = []
    for label, sekretariat_may in ADMIN_ACCESS.items():
        obj = ADMIN_OBJECTS[label](w)
        info = label.replace(".", "_")
        sees = OK if "view" in sekretariat_may else DENIED
        adds = OK if "add" in sekretariat_may else DENIED
        change = reverse(f"admin:{info}_change", args=[obj.pk])
        rows += [
            admin_row(reverse(f"admin:{info}_changelist"), DENIED, sees),
            admin_row(reverse(f"admin:{info}_add"), DENIED, adds),
            admin_row(change, DENIED, sees),
            admin_row(reverse(f"admin:{info}_history", args=[obj.pk]), DENIED, sees),
            admin_row(reverse(f"admin:{info}_delete", args=[obj.pk]), DENIED, DENIED),
            admin_row(change.removesuffix("change/"), to(change), to(change)),
        ]
    return rows


def admin_site_rows(w):
    index = reverse("admin:index")
    applications = "admin:initiatives_supportapplication"
    case_type = ContentType.objects.get_for_model(w.case)
    application_type = ContentType.objects.get_for_model(w.submitted)
    rows = [
        admin_row(index, OK, OK),
        row(reverse("admin:login"), OK, OK, OK, to(index), to(index)),
        row(reverse("admin:logout"), to(index), to(index), to(index), NOT_ALLOWED, NOT_ALLOWED),
        admin_row(reverse("admin:password_change"), OK, OK),
        admin_row(reverse("admin:password_change_done"), OK, OK),
        admin_row(reverse("admin:jsi18n"), OK, OK),
        admin_row(
            with_query(
                reverse("admin:autocomplete"),
                app_label="initiatives",
                model_name="supportapplication",
                field_name="assigned_to",
            ),
            DENIED,
            DENIED,
        ),
        # "View on site": only for models one may see in the admin (a draft case's
        # slug is not for staff without rights to cases).
        admin_row(reverse("admin:view_on_site", args=[case_type.pk, w.case.pk]), MISSING, MISSING),
        admin_row(
            reverse("admin:view_on_site", args=[case_type.pk, w.draft_case.pk]), MISSING, MISSING
        ),
        admin_row(
            reverse("admin:view_on_site", args=[application_type.pk, w.submitted.pk]),
            MISSING,
            to(w.submitted.get_absolute_url()),
        ),
        admin_row(reverse("admin:view_on_site", args=["²", w.case.pk]), MISSING, MISSING),
        admin_row(
            reverse("admin:auth_user_password_change", args=[w.applicant.pk]), DENIED, DENIED
        ),
        admin_row("/admin/findes-ikke/", MISSING, MISSING),
        # A NUL in an admin list's lookups (PostgreSQL refuses it): a 400 for anyone.
        everyone(
            with_query(reverse("admin:initiatives_supportapplication_changelist"), q="\x00"),
            BAD_REQUEST,
        ),
        # The review desk: the Sekretariat's only; drafts are not there at all, not even
        # when a list action names one.
        admin_row(
            reverse(f"{applications}_changelist"),
            DENIED,
            OK,
            method="post",
            data={"action": "export_csv", "_selected_action": [w.draft.pk, w.submitted.pk]},
        ),
        admin_row(
            reverse(f"{applications}_changelist"),
            DENIED,
            to(reverse(f"{applications}_changelist")),
            method="post",
            data={"action": "assign_to_me", "_selected_action": [w.draft.pk, w.granted.pk]},
        ),
        # Moderating contributions: the Sekretariat's. Publishing is a POST; a GET of its
        # address leads to the contribution's page. An empty message returns nothing.
        admin_row(reverse("admin:cases_contribution_return", args=[w.contribution.pk]), DENIED, OK),
        admin_row(
            reverse("admin:cases_contribution_return", args=[w.contribution.pk]),
            DENIED,
            OK,
            method="post",
            data={"message": ""},
        ),
        admin_row(reverse("admin:cases_contribution_return", args=[w.case.pk]), DENIED, MISSING),
        admin_row(
            reverse("admin:cases_contribution_publish", args=[w.contribution.pk]),
            DENIED,
            to(reverse("admin:cases_contribution_change", args=[w.contribution.pk])),
        ),
        # The participant list of a workshop: the Sekretariat's only.
        admin_row(
            reverse("admin:workshops_workshop_changelist"),
            DENIED,
            OK,
            method="post",
            data={"action": "export_participants_csv", "_selected_action": [w.workshop.pk]},
        ),
        # The review step is on the application's page; its own address leads there.
        *(
            admin_row(
                reverse(f"{applications}_review", args=[application.pk]),
                DENIED,
                to(reverse(f"{applications}_change", args=[application.pk])),
            )
            for application in (w.in_review, w.granted)
        ),
        admin_row(reverse(f"{applications}_review", args=[w.draft.pk]), MISSING, MISSING),
        admin_row(reverse(f"{applications}_review", args=["abc"]), MISSING, MISSING),
        admin_row(reverse(f"{applications}_change", args=[w.draft.pk]), DENIED, to(index)),
        admin_row(reverse(f"{applications}_history", args=[w.draft.pk]), MISSING, MISSING),
        admin_row(
            reverse(f"{applications}_simple_history", args=[w.submitted.pk, w.history_id]),
            DENIED,
            OK,
        ),
        admin_row(
            reverse(f"{applications}_simple_history", args=[w.draft.pk, w.history_id]),
            MISSING,
            MISSING,
        ),
    ]
    for app_label in sorted({label.split(".")[0] for label in ADMIN_ACCESS}):
        sees = app_label in ("cases", "initiatives", "workshops")
        rows.append(
            admin_row(reverse("admin:app_list", args=[app_label]), MISSING, OK if sees else MISSING)
        )
    return rows


def all_rows(w):
    return [
        *public_rows(w),
        *application_rows(w),
        *account_rows(w),
        *admin_model_rows(w),
        *admin_site_rows(w),
    ]


# Headers every answer carries, whoever asks: no framing, no type sniffing, and a
# Content-Security-Policy that allows no inline or eval'ed script.
SECURITY_HEADERS = {
    "X-Frame-Options": lambda value: value == "DENY",
    "X-Content-Type-Options": lambda value: value == "nosniff",
    "Content-Security-Policy": lambda value: (
        ("script-src" in value or "default-src" in value)
        and "unsafe-inline" not in value.split("script-src")[-1].split(";")[0]
        and "unsafe-eval" not in value
    ),
}


# The one page another site may frame (an intranet's iframe): no X-Frame-Options and
# frame-ancestors * instead of 'none'; the rest of its policy as everywhere.
FRAMEABLE_ROUTES = {"cases/indlejr/"}


def security_headers(url):
    """What the headers of an answer for `url` must say."""
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    if resolve(urlsplit(url).path).route in FRAMEABLE_ROUTES:
        return {
            **SECURITY_HEADERS,
            "X-Frame-Options": lambda value: value == "",
            "Content-Security-Policy": lambda value: policy(value) and "frame-ancestors *" in value,
        }
    return {
        **SECURITY_HEADERS,
        "Content-Security-Policy": lambda value: (
            policy(value) and "frame-ancestors 'none'" in value
        ),
    }


def url_patterns(resolver=None, prefix=""):
    """Every URL pattern of the project as its full route, admin included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")  # joined as Django does
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        else:
            yield route


def outcome(response):
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if path == reverse("account_login"):
            return LOGIN
        if path == reverse("admin:login"):
            return ADMIN_LOGIN
        return to(path)
    return response.status_code


def test_every_url_pattern_has_a_row_in_the_access_table(world):
    covered = {resolve(urlsplit(r.url).path).route for r in all_rows(world)}
    unclassified = sorted(set(url_patterns()) - covered)
    assert not unclassified, (
        "URL patterns nobody has said who may see; add rows for them to this test: "
        + ", ".join(unclassified)
    )


def test_every_model_in_the_admin_has_a_line_in_the_access_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_ACCESS)


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_what_the_table_says(world, role):
    hidden = [SECRETS[key] for key in sorted(set(SECRETS) - MAY_SEE[role])]
    wrong = []
    for entry in all_rows(world):
        client = client_for(world.users[role])  # afresh: a row may log out or fill the folder
        response = getattr(client, entry.method)(entry.url, entry.data)
        got = outcome(response)
        if got != entry.expected[role]:
            wrong.append(f"{entry.label}: expected {entry.expected[role]}, got {got}")
        if response.get("Content-Type", "").startswith("text/") and not response.streaming:
            content = response.content.decode()
            wrong += [f"{entry.label}: shows „{text}“" for text in hidden if text in content]
        wrong += [
            f"{entry.label}: header {header} is {response.get(header)!r}"
            for header, expected in security_headers(entry.url).items()
            if not expected(response.get(header) or "")
        ]
    assert not wrong, f"As {ROLE_DESCRIPTIONS[role]}:\n" + "\n".join(wrong)


def test_staff_cannot_create_or_merge_tags_through_the_tag_merge_page(client, world):
    """django-taggit's own tag admin has a merge page that checks no permission at all."""
    client.force_login(world.staff)
    tags_before = list(Tag.objects.values_list("name", flat=True))

    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Indsmuglet"})

    assert response.status_code in (403, 404)
    assert list(Tag.objects.values_list("name", flat=True)) == tags_before


def test_list_actions_leave_drafts_alone(client, world):
    client.force_login(world.secretariat)
    changelist = reverse("admin:initiatives_supportapplication_changelist")

    client.post(changelist, {"action": "assign_to_me", "_selected_action": [world.draft.pk]})
    response = client.post(
        changelist, {"action": "export_csv", "_selected_action": [world.draft.pk]}
    )

    world.draft.refresh_from_db()
    assert world.draft.assigned_to is None
    assert world.draft.initiative_title not in response.content.decode()


@pytest.mark.parametrize("role", [ANON, OWNER, SEK])
def test_no_url_takes_a_post_without_the_csrf_token(world, role):
    """Every URL refuses a POST without the CSRF token: no view is exempt."""
    accepted = []
    for url in sorted({entry.url for entry in all_rows(world)}):
        client = Client(enforce_csrf_checks=True)
        if world.users[role]:
            client.force_login(world.users[role])
        response = client.post(url, {"case": world.case.pk, "title": "x"})
        if response.status_code not in (400, 403):  # 400: refused before the CSRF check
            accepted.append(f"POST {url}: {response.status_code}")
    assert not accepted


def test_an_editor_with_every_other_right_sees_nothing_of_applications(world, make_user):
    """Staff who edit cases, initiatives, rounds and the taxonomy still see no application:
    wherever an application is concerned they get what staff without rights get."""
    editor = make_user("redaktoer@example.dk", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.exclude(
            content_type__app_label="initiatives",
            content_type__model__in=["supportapplication", "applicationtransition"],
        )
    )
    secrets = list(SECRETS.values())
    wrong = []
    for entry in all_rows(world):
        response = getattr(client_for(editor), entry.method)(entry.url, entry.data)
        path = urlsplit(entry.url).path
        concerns_applications = "supportapplication" in path or "ansoegninger" in path
        if concerns_applications and outcome(response) != entry.expected[STAFF]:
            wrong.append(
                f"{entry.label}: expected {entry.expected[STAFF]}, got {outcome(response)}"
            )
        if response.get("Content-Type", "").startswith("text/") and not response.streaming:
            content = response.content.decode()
            wrong += [f"{entry.label}: shows „{text}“" for text in secrets if text in content]
    assert not wrong, "\n".join(wrong)
