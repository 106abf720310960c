"""Odd input to every form, every GET parameter and every URL pattern, by every visitor.

Hypothesis sends Unicode digits, NUL bytes, very long strings, markup, repeated and
missing parameters and lists where one value is expected. Whatever arrives, the portal
answers without a server error, never redirects off the site, and what it stored is
shown escaped: the markup sent never comes back as markup.

Each test function builds the `world` once; each example runs inside a savepoint that is
rolled back afterwards (sessions included), so examples do not see each other's data.
`FUZZ_EXAMPLES=500 pytest tests/portal/test_fuzz_inputs.py` digs deeper than CI does.
"""

import datetime
import os
import re
import uuid
from contextlib import contextmanager
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from booklets.folder import SESSION_KEY
from cases.models import Case
from initiatives.models import Initiative, SupportApplication
from tests.booklets.pdfs import pdf_text_pages

from .conftest import ANON, OTHER, OWNER, SECRETS, SEK, STAFF, client_for
from .test_url_access import all_rows, url_patterns

pytestmark = pytest.mark.django_db
Status = SupportApplication.Status

fuzz = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_EXAMPLES"),
    database=None,
    # The world is built once per test; every example is rolled back (see `rolled_back`).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARK = "fuzzmark"
# Markup that would run if a page put it out unescaped, and what it looks like raw.
MARKUP = {
    f"<script>{MARK}()</script>": f"<script>{MARK}",
    f'"><img src=x onerror={MARK}()>': f"<img src=x onerror={MARK}",
    f"'><svg onload={MARK}()>": f"<svg onload={MARK}",
    f'<a href="javascript:{MARK}()">klik</a>': f'<a href="javascript:{MARK}',
    f'" onmouseover="{MARK}()" x="': f'" onmouseover="{MARK}',
}
ODD_VALUES = [
    "²",
    "٣",
    "１２",
    "𝟙",
    "Ⅻ",
    "½",
    "\x00",
    "1\x00",
    "a\x00b",
    "",
    " ",
    "-1",
    "0",
    "9" * 30,
    "1e5",
    "NaN",
    "1.5",
    "true",
    "None",
    "../../../etc/passwd",
    "%00",
    "\ufeff",
    "\u202eevil",
    "æøå ÆØÅ",
    "'; DROP TABLE cases_case; --",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\r\nSet-Cookie: x=1",
    *MARKUP,
]


def long_text(min_size=1000, max_size=20000):
    return st.tuples(st.sampled_from(["x", "ø", "9", "<b>", "²"]), st.integers(min_size, max_size))


odd_text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    long_text().map(lambda pair: pair[0] * (pair[1] // len(pair[0]))),
    st.tuples(st.sampled_from(list(MARKUP)), st.sampled_from(ODD_VALUES)).map("".join),
)


def values(valid=()):
    """One odd (or sometimes valid) value, or several of them for a repeated parameter."""
    one = st.one_of(odd_text, st.sampled_from(list(valid))) if valid else odd_text
    return st.one_of(one, st.lists(one, min_size=2, max_size=4))


def params(fields, valid=None, base=None):
    """A request's parameters: `base` with some fields odd, some missing, some unknown."""
    valid = valid or {}
    base = base or {}
    names = sorted(set(fields) | set(base))
    keys = st.one_of(st.sampled_from(names), st.sampled_from(["", "x" * 300, "²", "a[]", "\x00"]))
    changed = st.lists(keys, unique=True, max_size=len(names)).flatmap(
        lambda chosen: st.fixed_dictionaries({key: values(valid.get(key, ())) for key in chosen})
    )
    missing = st.sets(st.sampled_from(names), max_size=len(names))

    def build(changed, missing):
        data = {key: value for key, value in base.items() if key not in missing}
        data.update(changed)
        return data

    return st.builds(build, changed, missing)


RAW_QUERY_TAILS = ["", "page", "=x", "q=%ff", "q=%", "%", "theme=%C0%AE", ";;", "&&&", "a=1&a"]


def query_string(data, tail=""):
    query = urlencode(data, doseq=True)
    return "&".join(part for part in (query, tail) if part)


@contextmanager
def rolled_back():
    """Whatever the example stores (sessions, applications, users) is undone after it."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def check(response):
    """No server error, no redirect off the site, no markup of ours put out raw."""
    assert response.status_code < 500, response.status_code
    if 300 <= response.status_code < 400:
        location = urlsplit(response["Location"])
        assert location.netloc in ("", "testserver"), response["Location"]
        assert not response["Location"].startswith("//"), response["Location"]
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and not response.streaming:
        html = response.content.decode()
        for raw in MARKUP.values():
            assert raw not in html, f"unescaped markup in the page: {raw}"
        return html
    return ""


def get(client, path, data=None, tail=""):
    query = query_string(data or {}, tail)
    return check(client.get(f"{path}?{query}" if query else path))


def post(client, path, data):
    return check(client.post(path, data))


def logged_in(world, role):
    return client_for(world.users[role])


VISITORS = [ANON, OWNER, SEK]
ADMIN = "admin:initiatives_supportapplication"


# -- GET parameters ----------------------------------------------------------------------

CASE_LIST_FIELDS = ["theme", "region", "sector", "profession", "q", "sort", "match", "page"]


def case_list_valid(world):
    return {
        "theme": [world.theme.slug],
        "region": [world.region.slug],
        "sector": [world.sector.slug],
        "profession": [world.profession.slug],
        "q": ["tavlemøder", "!", "akut*"],
        "sort": ["newest", "title", "relevance"],
        "match": ["all", "any"],
        "page": ["1", "2", "٣"],
    }


@pytest.mark.parametrize("role", VISITORS)
def test_case_list_answers_any_parameters(world, role):
    valid = case_list_valid(world)

    @fuzz
    @given(data=params(CASE_LIST_FIELDS, valid), tail=st.sampled_from(RAW_QUERY_TAILS))
    def run(data, tail):
        with rolled_back():
            get(logged_in(world, role), reverse("cases:list"), data, tail)

    run()


@pytest.mark.parametrize("role", VISITORS)
def test_booklet_answers_any_parameters(world, role):
    valid = case_list_valid(world)

    @fuzz
    @given(data=params(CASE_LIST_FIELDS, valid), tail=st.sampled_from(RAW_QUERY_TAILS))
    def run(data, tail):
        with rolled_back():
            get(logged_in(world, role), reverse("booklets:booklet"), data, tail)

    run()


@pytest.mark.parametrize("role", VISITORS)
def test_initiative_list_answers_any_filters(world, role):
    valid = {
        "tema": [world.theme.slug],
        "region": [world.initiative.region.slug],
        "fase": [phase.value for phase in Initiative.Phase],
        "page": ["1", "2"],
    }

    @fuzz
    @given(data=params(["tema", "region", "fase", "page"], valid))
    def run(data):
        with rolled_back():
            get(logged_in(world, role), reverse("initiatives:initiative_list"), data)

    run()


@pytest.mark.parametrize("role", VISITORS)
def test_pages_without_parameters_ignore_odd_ones(world, role):
    pages = [
        reverse("portal:home"),
        reverse("portal:theme_list"),
        reverse("portal:theme_detail", args=[world.theme.slug]),
        world.case.get_absolute_url(),
        reverse("initiatives:initiative_detail", args=[world.initiative.slug]),
        reverse("initiatives:apply"),
        reverse("initiatives:my_applications"),
        reverse("booklets:folder"),
    ]

    @fuzz
    @given(
        path=st.sampled_from(pages),
        data=params(["page", "runde", "next", "q"], {"runde": [world.round.slug]}),
    )
    def run(path, data):
        with rolled_back():
            get(logged_in(world, role), path, data)

    run()


# -- every URL pattern, with odd values in its path ---------------------------------------

PATH_PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)|\([^)]*\)")


def path_with(route, value):
    """The route with every parameter replaced by `value` (percent-encoded)."""
    path = PATH_PARAMETER.sub(lambda _: quote(value, safe=""), route.replace("^", ""))
    return "/" + path.replace("$", "")


@pytest.mark.parametrize("role", [ANON, OWNER, SEK, STAFF])
def test_every_url_pattern_answers_odd_path_values(world, role):
    routes = sorted({route for route in url_patterns() if PATH_PARAMETER.search(route)})

    @fuzz
    @given(
        route=st.sampled_from(routes),
        value=st.one_of(odd_text, st.integers(-(2**70), 2**70).map(str)),
        method=st.sampled_from(["get", "get", "post", "head", "options", "put", "delete"]),
    )
    def run(route, value, method):
        if not value or "/" in value:
            value = f"x{value}".replace("/", "")
        with rolled_back():
            check(getattr(logged_in(world, role), method)(path_with(route, value)))

    run()


# -- the folder ----------------------------------------------------------------------------


def folder_texts(client):
    return client.session.get(SESSION_KEY, {})


@pytest.mark.parametrize("role", VISITORS)
def test_folder_changes_answer_any_post(world, role):
    urls = {
        "add": reverse("booklets:folder_add"),
        "remove": reverse("booklets:folder_remove"),
        "move": reverse("booklets:folder_move"),
        "clear": reverse("booklets:folder_clear"),
    }
    valid = {
        "case": [str(world.case.pk), str(world.draft_case.pk)],
        "direction": ["up", "down"],
        "next": [reverse("cases:list"), "/cases/?theme=arbejdsmiljo"],
    }

    @fuzz
    @given(
        steps=st.lists(
            st.tuples(st.sampled_from(sorted(urls)), params(["case", "direction", "next"], valid)),
            min_size=1,
            max_size=4,
        )
    )
    def run(steps):
        with rolled_back():
            client = logged_in(world, role)
            client.post(urls["add"], {"case": world.case.pk})
            for action, data in steps:
                post(client, urls[action], data)
            get(client, reverse("booklets:folder"))

    run()


@pytest.mark.parametrize("role", VISITORS)
def test_folder_title_and_intro_are_shown_as_text(world, role):
    @fuzz
    @given(
        data=params(
            ["title", "intro", "action"],
            {"action": ["save", "pdf"]},
            base={"title": f"<b>{MARK}</b>", "intro": f"<i>{MARK}</i>"},
        )
    )
    def run(data):
        with rolled_back():
            client = logged_in(world, role)
            client.post(reverse("booklets:folder_add"), {"case": world.case.pk})
            post(client, reverse("booklets:folder"), data)
            html = get(client, reverse("booklets:folder"))
            stored = folder_texts(client)
            if MARK in stored.get("title", "") + stored.get("intro", ""):
                event("folder text with markup stored")
                assert MARK in html

    run()


# -- the application form ------------------------------------------------------------------

APPLICATION_TEXT_FIELDS = [
    "initiative_title",
    "initiative_description",
    "institution",
    "department",
    "leader_name",
    "leader_title",
    "leader_email",
    "leader_phone",
    "employee_rep_name",
    "employee_rep_title",
    "employee_rep_email",
    "employee_rep_phone",
    "own_resources",
    "message_to_secretariat",
]
APPLICATION_CHOICE_FIELDS = [
    "region",
    "contact_person",
    "support_forms",
    "ready_to_start",
    "confirms_several_professions",
    "confirms_timing",
    "confirms_sharing",
    "confirms_local_backing",
    "form_token",
]


def application_base(world):
    """A complete, valid application; the markup in its title is the applicant's own."""
    return {
        "initiative_title": f"Tavlemøder <b>{MARK}</b>",
        "initiative_description": f"Vi vil prøve <script>{MARK}()</script> tavlemøder.",
        "institution": "Regionshospitalet Horsens",
        "department": "Akutmodtagelsen",
        "region": str(world.region.pk),
        "leader_name": "Lone Leder",
        "leader_title": "Afdelingssygeplejerske",
        "leader_email": "lone.leder@example.dk",
        "leader_phone": "12 34 56 78",
        "employee_rep_name": "Mads Medarbejder",
        "employee_rep_title": "Tillidsrepræsentant",
        "employee_rep_email": "mads.tr@example.dk",
        "employee_rep_phone": "87 65 43 21",
        "contact_person": "leader",
        "support_forms": ["starthjaelp", "evaluering"],
        "own_resources": "En projektleder 10 timer om ugen.",
        "ready_to_start": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "confirms_several_professions": "on",
        "confirms_timing": "on",
        "confirms_sharing": "on",
        "confirms_local_backing": "on",
    }


def application_valid(world):
    return {
        "region": [str(world.region.pk)],
        "contact_person": ["leader", "employee_rep"],
        "support_forms": ["starthjaelp", "udviklingsrum", "evaluering"],
        "ready_to_start": [timezone.localdate().isoformat(), "2020-01-01", "31-12-2026"],
        "form_token": [str(uuid.uuid4()), str(world.others.form_token)],
        "leader_email": ["a@example.dk", "a@b"],
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
attachments = st.one_of(
    st.none(),
    st.tuples(
        st.one_of(st.sampled_from(list(MARKUP)), st.text(min_size=1, max_size=30)),
        st.sampled_from([".pdf", ".docx", ".exe", ""]),
        st.sampled_from([PDF, b"MZ\x90\x00", b""]),
    ),
)
buttons = st.sampled_from([{}, {"submit": "1"}, {"submit": "²"}, {"save": "1"}])


def with_attachment(data, attachment):
    if attachment is None:
        return data
    name, extension, content = attachment
    name = (name.replace("/", "").replace("\x00", "") or "bilag") + extension
    return {**data, "attachment": SimpleUploadedFile(name, content)}


def assert_shown_escaped(world, application):
    """The applicant's pages, and the Sekretariat's once it is sent, show it as text."""
    owner = logged_in(world, OWNER)
    detail = get(owner, application.get_absolute_url())
    get(owner, reverse("initiatives:my_applications"))
    shown = [*APPLICATION_TEXT_FIELDS, "attachment_name"]
    stored = " ".join(str(getattr(application, name, "")) for name in shown)
    if MARK in stored:
        event(f"application with markup stored ({application.status})")
        assert MARK in detail
    if application.status != Status.DRAFT:
        desk = logged_in(world, SEK)
        change = get(desk, reverse(f"{ADMIN}_change", args=[application.pk]))
        changelist = get(desk, reverse(f"{ADMIN}_changelist"))
        get(desk, reverse(f"{ADMIN}_history", args=[application.pk]))
        get(desk, reverse(f"{ADMIN}_review", args=[application.pk]))
        if MARK in stored:
            assert MARK in change
        if MARK in application.initiative_title:
            assert MARK in changelist


# The secretariat's fields, which no applicant may set by adding them to the form.
DESK_FIELDS = [
    "status",
    "applicant",
    "round",
    "assigned_to",
    "internal_notes",
    "initiative",
    "decided_at",
]


def desk_values(world):
    return {
        "status": ["granted", "in_review"],
        "applicant": [str(world.other.pk)],
        "assigned_to": [str(world.secretariat.pk)],
        "initiative": [str(world.initiative.pk)],
        "decided_at": ["2026-01-01 12:00"],
    }


def sent_and_checked(capture, client, url, data):
    """POST with the mails the change sends after commit really sent, then check them:
    one line of subject each, and nothing the applicant wrote to an unconfirmed address."""
    mail.outbox = []
    with capture(execute=True):
        response = post(client, url, data)
    event(f"{len(mail.outbox)} mails sent")
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        if message.to != [world_account_address]:
            assert MARK not in message.subject + message.body, message.to
    return response


world_account_address = "ansoeger@example.dk"  # the `applicant` fixture's confirmed address


def application_form_test(world, url_for, capture, edited=None):
    base = {**application_base(world)}
    fields = APPLICATION_TEXT_FIELDS + APPLICATION_CHOICE_FIELDS + DESK_FIELDS
    valid = {**application_valid(world), **desk_values(world)}

    @fuzz
    @given(
        data=params(fields, valid, base=base),
        button=buttons,
        attachment=attachments,
    )
    # Always at least one sent application with markup everywhere, attachment name included.
    @example(data=base, button={"submit": "1"}, attachment=(list(MARKUP)[1], ".pdf", PDF))
    def run(data, button, attachment):
        with rolled_back():
            client = logged_in(world, OWNER)
            before = set(SupportApplication.objects.values_list("pk", flat=True))
            data = with_attachment({**data, **button}, attachment)
            sent_and_checked(capture, client, url_for(world), data)
            touched = SupportApplication.objects.exclude(pk__in=before) | (
                SupportApplication.objects.filter(pk=getattr(edited, "pk", None))
            )
            for application in touched:
                assert application.applicant == world.applicant
                start = (edited or world.draft).status
                # Sent: a draft is "indsendt", an answer goes back "under vurdering".
                sent = Status.IN_REVIEW if start == Status.NEEDS_INFO else Status.SUBMITTED
                assert application.status in (start, sent)
                assert (application.assigned_to, application.internal_notes) == (None, "")
                assert application.initiative is None and application.decided_at is None
                assert_shown_escaped(world, application)

    run()


def test_new_application_form_answers_any_post(world, django_capture_on_commit_callbacks):
    application_form_test(
        world, lambda w: reverse("initiatives:apply"), django_capture_on_commit_callbacks
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.NEEDS_INFO])
def test_application_edit_form_answers_any_post(world, status, django_capture_on_commit_callbacks):
    application = world.draft if status == Status.DRAFT else world.needs_info
    application_form_test(
        world,
        lambda w: reverse("initiatives:application_edit", args=[application.pk]),
        django_capture_on_commit_callbacks,
        edited=application,
    )


def test_application_form_by_anonymous_and_secretariat_answers_any_post(world):
    fields = APPLICATION_TEXT_FIELDS + APPLICATION_CHOICE_FIELDS
    urls = [
        reverse("initiatives:apply"),
        reverse("initiatives:application_edit", args=[world.draft.pk]),
        reverse("initiatives:application_edit", args=[world.others.pk]),
    ]

    @fuzz
    @given(
        role=st.sampled_from([ANON, SEK, OTHER]),
        url=st.sampled_from(urls),
        data=params(fields, application_valid(world), base=application_base(world)),
        button=buttons,
    )
    def run(role, url, data, button):
        with rolled_back():
            post(logged_in(world, role), url, {**data, **button})
            world.draft.refresh_from_db()
            assert world.draft.initiative_title == SECRETS["draft"]

    run()


# -- "Del en erfaring": the contribution form -------------------------------------------

CONTRIBUTION_FIELDS = [
    "title",
    "lead",
    "body",
    "key_learnings",
    "dos",
    "donts",
    "place",
    "region",
    "other_regions",
    "sector",
    "professional_groups",
    "themes",
    "contact_name",
    "contact_email",
    "credit_person",
    "consent",
    "form_token",
]
# Fields a contributor may not set by adding them to the form.
MODERATION_FIELDS = ["status", "published_at", "contribution_state", "contributor", "slug"]


def contribution_base(world):
    """A complete, valid contribution; the markup in it is the contributor's own."""
    return {
        "title": f"Nattevagter <b>{MARK}</b>",
        "lead": f"Nyansatte sagde op <script>{MARK}()</script>.",
        "body": "Vi gav hver nyansat en fast makker.",
        "key_learnings": "Færre opsigelser",
        "dos": "Afsæt tid",
        "donts": "Frivillighed alene",
        "place": "Psykiatrien, Slagelse",
        "region": str(world.region.pk),
        "sector": str(world.sector.pk),
        "themes": [str(world.theme.pk)],
        "contact_name": "Bodil",
        "contact_email": "bodil@example.dk",
        "consent": "on",
    }


def contribution_valid(world):
    return {
        "region": [str(world.region.pk)],
        "other_regions": [str(world.region.pk)],
        "sector": [str(world.sector.pk)],
        "themes": [str(world.theme.pk)],
        "professional_groups": [str(world.profession.pk)],
        "form_token": [str(uuid.uuid4()), str(uuid.uuid4())],
        "status": ["published"],
        "published_at": ["2020-01-01 12:00"],
        "contribution_state": ["published"],
        "contributor": [str(world.other.pk)],
        "slug": ["mappe", "del-en-erfaring"],
        "consent": ["on"],
    }


@pytest.mark.parametrize("role", [OWNER, OTHER, ANON])
def test_contribution_form_answers_any_post(world, role):
    urls = [
        reverse("cases:contribute"),
        reverse("cases:contribution_edit", args=[world.returned_contribution.pk]),
        reverse("initiatives:application_contribute", args=[world.granted.pk]),
    ]

    @fuzz
    @given(
        url=st.sampled_from(urls),
        data=params(
            CONTRIBUTION_FIELDS + MODERATION_FIELDS,
            contribution_valid(world),
            base=contribution_base(world),
        ),
    )
    @example(url=urls[0], data=contribution_base(world))
    def run(url, data):
        with rolled_back():
            client = logged_in(world, role)
            post(client, url, data)
            # Nothing sent by a contributor is public, or anyone's but the sender's.
            contributed = Case.objects.contributions()
            assert not contributed.filter(status=Case.Status.PUBLISHED).exists()
            sender = world.users[role]
            assert not contributed.exclude(contributor__in=[world.applicant, sender]).exists()
            assert world.returned_contribution.contributor == world.applicant
            if sender is None:
                return
            mine = get(logged_in(world, role), reverse("cases:my_contributions"))
            own = contributed.filter(contributor=sender)
            titles = " ".join(own.values_list("title", flat=True))
            if MARK in titles:
                event("contribution with markup stored")
                assert MARK in mine

    run()


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_contribution_moderation_answers_any_post(world, role, django_capture_on_commit_callbacks):
    """The moderation queue: list actions, "send retur", "offentliggør nu" and the change
    form. Staff outside the Sekretariat change nothing; a message with markup reaches the
    contributor's page as text."""
    case = world.contribution
    queue = reverse("admin:cases_contribution_changelist")
    urls = [
        queue,
        reverse("admin:cases_contribution_return", args=[case.pk]),
        reverse("admin:cases_contribution_publish", args=[case.pk]),
        reverse("admin:cases_contribution_change", args=[case.pk]),
    ]
    valid = {
        "action": ["publish_contributions", "delete_selected"],
        "_selected_action": [str(case.pk), str(world.case.pk)],
        "status": ["published", "draft"],
        "contributor": [str(world.other.pk)],
        "contribution_state": ["published", "returned"],
    }

    @fuzz
    @given(
        url=st.sampled_from(urls),
        data=params(
            ["action", "_selected_action", "message", "title", *valid],
            valid,
            base={"message": f"Uddyb <b>{MARK}</b> resultaterne.", "index": "0"},
        ),
    )
    def run(url, data):
        with rolled_back():
            with django_capture_on_commit_callbacks(execute=True):
                post(logged_in(world, role), url, data)
            case.refresh_from_db()
            assert case.contributor == world.applicant
            assert Case.objects.filter(pk=case.pk).exists()
            if role == STAFF:
                assert case.contribution_state == Case.ContributionState.SENT
                assert not case.is_public
            mine = get(logged_in(world, OWNER), reverse("cases:my_contributions"))
            if MARK in case.moderation_message and case.contribution_state == "returned":
                event("returned with markup in the message")
                assert MARK in mine

    run()


# -- the review desk -----------------------------------------------------------------------

CHANGELIST_FIELDS = [
    "q",
    "o",
    "p",
    "e",
    "all",
    "status",
    "stoetteform",
    "venter",
    "region__id__exact",
    "round__id__exact",
    "assigned_to__id__exact",
    "_to_field",
    "_popup",
    "_changelist_filters",
    "applicant__password__startswith",
    "assigned_to__password__startswith",
    "internal_notes__icontains",
]


@pytest.mark.parametrize("role", [SEK, STAFF, ANON])
def test_admin_changelist_answers_any_query(world, role):
    valid = {
        "status": [s.value for s in Status],
        "stoetteform": ["starthjaelp", "udviklingsrum", "evaluering"],
        "venter": ["overskredet"],
        "region__id__exact": [str(world.submitted.region_id)],
        "round__id__exact": [str(world.round.pk)],
        "assigned_to__id__exact": [str(world.secretariat.pk)],
        "o": ["1", "-2.3", "11"],
        "p": ["1", "2"],
        "q": ["tavle", "Lone"],
    }

    @fuzz
    @given(data=params(CHANGELIST_FIELDS, valid), tail=st.sampled_from(RAW_QUERY_TAILS))
    def run(data, tail):
        with rolled_back():
            get(logged_in(world, role), reverse(f"{ADMIN}_changelist"), data, tail)

    run()


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_admin_list_actions_answer_any_post(world, role):
    ids = [str(a.pk) for a in (world.submitted, world.in_review, world.draft, world.others)]
    valid = {
        "action": ["mark_in_review", "assign_to_me", "export_csv", "delete_selected"],
        "_selected_action": ids,
        "select_across": ["0", "1"],
        "index": ["0"],
    }

    @fuzz
    @given(
        data=params(
            ["action", "_selected_action", "select_across", "index"],
            valid,
            base={"action": "assign_to_me", "_selected_action": ids, "index": "0"},
        )
    )
    def run(data):
        with rolled_back():
            post(logged_in(world, role), reverse(f"{ADMIN}_changelist"), data)
            assert SupportApplication.objects.filter(pk=world.draft.pk, status=Status.DRAFT)

    run()


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_admin_review_step_answers_any_post(world, role, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    valid = {"target": ["needs_info", "granted", "rejected", "in_review", "draft"]}

    @fuzz
    @given(
        data=params(
            ["target", "message"],
            valid,
            base={"target": "needs_info", "message": f"Send <b>{MARK}</b> budgettet."},
        )
    )
    def run(data):
        with rolled_back():
            url = reverse(f"{ADMIN}_review", args=[world.in_review.pk])
            sent_and_checked(capture, logged_in(world, role), url, data)
            transition = world.in_review.transitions.order_by("-at", "-pk").first()
            owner_page = get(logged_in(world, OWNER), world.in_review.get_absolute_url())
            get(logged_in(world, SEK), reverse(f"{ADMIN}_change", args=[world.in_review.pk]))
            if MARK in transition.message:
                event("review message with markup stored")
                assert MARK in owner_page

    run()


def admin_change_form_data(client, url):
    """What the admin's change form would send back unchanged, inlines included."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for subform in [formset.management_form, *formset.forms]:
            data.update(
                {subform.add_prefix(name): subform[name].value() for name in subform.fields}
            )
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_admin_change_form_answers_any_post(world, role):
    url = reverse(f"{ADMIN}_change", args=[world.submitted.pk])
    base = {**admin_change_form_data(logged_in(world, SEK), url), "_save": "Gem"}
    base["internal_notes"] = f"Ring til <b>{MARK}</b>."
    valid = {
        "assigned_to": [str(world.secretariat.pk), str(world.staff.pk), str(world.applicant.pk)],
        "initiative": [str(world.initiative.pk), str(world.hidden_initiative.pk)],
        "status": ["granted", "draft"],
    }

    @fuzz
    @given(data=params([*base, "status", "decided_at", "applicant"], valid, base=base))
    def run(data):
        with rolled_back():
            post(logged_in(world, role), url, data)
            world.submitted.refresh_from_db()
            assert world.submitted.status == Status.SUBMITTED
            assert world.submitted.applicant == world.applicant
            assert world.submitted.assigned_to in (None, world.secretariat)
            page = get(logged_in(world, SEK), url)
            if MARK in world.submitted.internal_notes:
                event("internal notes with markup stored")
                assert MARK in page

    run()


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_admin_history_form_cannot_change_an_application(world, role):
    """An old version's form, sent back, changes neither status nor decision."""
    granted = world.granted
    old = granted.history.filter(status=Status.IN_REVIEW).earliest("history_date")
    url = reverse(f"{ADMIN}_simple_history", args=[granted.pk, old.history_id])
    context = logged_in(world, SEK).get(url).context
    form = context["adminform"].form
    base = {name: form[name].value() for name in form.fields}
    base = {key: value for key, value in base.items() if value is not None}
    before = (granted.status, granted.decided_at, granted.transitions.count())

    @fuzz
    @given(
        data=params(
            [*base, "status", "decided_at", "_save", "_continue"],
            {"status": ["in_review", "draft"], "_save": ["1"]},
            base={**base, "_save": "1"},
        )
    )
    def run(data):
        with rolled_back():
            post(logged_in(world, role), url, data)
            granted.refresh_from_db()
            assert (granted.status, granted.decided_at, granted.transitions.count()) == before

    run()


# -- logins and accounts -------------------------------------------------------------------

ACCOUNT_FORMS = {
    "account_login": ["login", "password", "remember", "next"],
    "account_signup": ["email", "password1", "password2", "next"],
    "account_reset_password": ["email"],
    "account_change_password": ["oldpassword", "password1", "password2"],
    "account_set_password": ["password1", "password2"],
    "account_email": ["email", "action_add", "action_remove", "action_primary", "action_send"],
    "account_reauthenticate": ["password", "next"],
    "account_confirm_login_code": ["code"],
    "account_logout": ["next"],
    "portal:account_delete": ["password", "confirm"],
    "admin:login": ["username", "password", "next"],
    "admin:logout": ["next"],
    "admin:password_change": ["old_password", "new_password1", "new_password2"],
}

SIGNED_IN_ACCOUNT_FORMS = {
    "account_change_password",
    "account_set_password",
    "account_email",
    "account_reauthenticate",
    "account_logout",
    "portal:account_delete",
}


@pytest.mark.parametrize("role", VISITORS)
def test_login_signup_and_account_forms_answer_any_post(world, role):
    urls = [reverse(name) for name in ACCOUNT_FORMS]
    urls.append(reverse("account_reset_password_from_key", args=["1", "ugyldig-noegle"]))
    fields = sorted({field for names in ACCOUNT_FORMS.values() for field in names})
    valid = {
        "login": [world.applicant.email],
        "username": [world.secretariat.email],
        "email": [world.applicant.email, "ny@example.dk", "ny@example"],
        "password": ["hemmeligt-kodeord-42"],
        "oldpassword": ["hemmeligt-kodeord-42"],
        "old_password": ["hemmeligt-kodeord-42"],
        "confirm": ["on"],
        "password1": ["Et-langt-nyt-kodeord-2026"],
        "password2": ["Et-langt-nyt-kodeord-2026"],
        "next": ["/cases/", "//evil.example/", "https://evil.example/"],
    }

    @fuzz
    @given(url=st.sampled_from(urls), data=params(fields, valid))
    def run(url, data):
        with rolled_back():
            post(logged_in(world, role), url, data)

    run()


# -- every parameter alone, with each of the nastiest values -------------------------------
#
# Hypothesis samples; this sweep makes sure each parameter of each form meets each of
# these values at least once, on every run.

NASTY = [
    "\x00",
    "²",
    "٣",
    "9" * 30,
    "-1",
    "portal",
    "ø" * 1000,
    f'"><img src=x onerror={MARK}()>',
    ["1", "²"],
    "//evil.example/",
    "https://evil.example/",
]


def sweep_targets(world):
    """(name, role, method, url, base data, parameters to vary)."""
    admin_change = reverse(f"{ADMIN}_change", args=[world.submitted.pk])
    change_base = {**admin_change_form_data(logged_in(world, SEK), admin_change), "_save": "1"}
    ids = [str(world.submitted.pk)]
    targets = [
        ("case list", ANON, "get", reverse("cases:list"), {}, CASE_LIST_FIELDS),
        ("booklet", ANON, "get", reverse("booklets:booklet"), {}, CASE_LIST_FIELDS),
        (
            "initiative list",
            ANON,
            "get",
            reverse("initiatives:initiative_list"),
            {},
            ["tema", "region", "fase", "page"],
        ),
        ("apply", OWNER, "get", reverse("initiatives:apply"), {}, ["runde"]),
        ("changelist", SEK, "get", reverse(f"{ADMIN}_changelist"), {}, CHANGELIST_FIELDS),
        (
            "list action",
            SEK,
            "post",
            reverse(f"{ADMIN}_changelist"),
            {"action": "assign_to_me", "_selected_action": ids, "index": "0"},
            ["action", "_selected_action", "select_across", "index"],
        ),
        (
            "review step",
            SEK,
            "post",
            reverse(f"{ADMIN}_review", args=[world.in_review.pk]),
            {"target": "needs_info", "message": "Send budgettet."},
            ["target", "message"],
        ),
        ("admin change form", SEK, "post", admin_change, change_base, sorted(change_base)),
        (
            "new application",
            OWNER,
            "post",
            reverse("initiatives:apply"),
            {**application_base(world), "submit": "1"},
            APPLICATION_TEXT_FIELDS + APPLICATION_CHOICE_FIELDS,
        ),
        (
            "contribution",
            OWNER,
            "post",
            reverse("cases:contribute"),
            contribution_base(world),
            CONTRIBUTION_FIELDS,
        ),
        (
            "return a contribution",
            SEK,
            "post",
            reverse("admin:cases_contribution_return", args=[world.contribution.pk]),
            {"message": "Uddyb gerne."},
            ["message"],
        ),
        (
            "folder title",
            ANON,
            "post",
            reverse("booklets:folder"),
            {"title": "Min mappe", "intro": "Til mødet"},
            ["title", "intro", "action"],
        ),
    ]
    for name in ("folder_add", "folder_remove", "folder_move"):
        targets.append(
            (
                name,
                ANON,
                "post",
                reverse(f"booklets:{name}"),
                {"case": str(world.case.pk), "direction": "up", "next": "/cases/"},
                ["case", "direction", "next"],
            )
        )
    for name in ACCOUNT_FORMS:
        role = SEK if name.startswith("admin:") and name != "admin:login" else ANON
        if name in SIGNED_IN_ACCOUNT_FORMS:
            role = OWNER
        base = ACCOUNT_FORM_BASES.get(name, lambda w: {})(world)
        targets.append((name, role, "post", reverse(name), base, ACCOUNT_FORMS[name]))
    return targets


PASSWORD = "hemmeligt-kodeord-42"  # the factories' password
# Forms that succeed as sent, so that each odd value meets the path after success too
# (e.g. where `next` leads once the password was right).
ACCOUNT_FORM_BASES = {
    "account_login": lambda w: {"login": w.applicant.email, "password": PASSWORD},
    "admin:login": lambda w: {"username": w.secretariat.email, "password": PASSWORD},
    "account_reauthenticate": lambda w: {"password": PASSWORD},
    "account_reset_password": lambda w: {"email": w.applicant.email},
}


def test_each_parameter_alone_meets_each_nasty_value(world):
    failures = []
    for name, role, method, url, base, fields in sweep_targets(world):
        for field in fields:
            for value in NASTY:
                data = {**base, field: value}
                with rolled_back():
                    client = logged_in(world, role)
                    try:
                        if method == "get":
                            get(client, url, data)
                        else:
                            post(client, url, data)
                    except Exception as error:  # noqa: BLE001 - every failure is reported
                        failures.append(f"{name}: {field}={str(value)[:20]!r}: {error!r}"[:300])
    assert not failures, "\n".join(failures)


def test_folder_title_and_intro_with_markup_are_printed_as_text_in_the_pdf(world):
    """The booklet is HTML laid out by WeasyPrint: markup in it would be laid out (or
    fetched, for an <img>), not printed."""
    client = client_for(None)
    client.post(reverse("booklets:folder_add"), {"case": world.case.pk})
    title = '<img src="file:///etc/hostname"><b>Mappe</b>'
    intro = "<i>Til mødet</i> & <script>fuzzmark()</script>"
    client.post(reverse("booklets:folder"), {"title": title, "intro": intro})

    response = client.get(reverse("booklets:folder_pdf"))

    assert response.status_code == 200
    text = " ".join(
        pdf_text_pages(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    )
    assert title in text
    assert "<i>Til mødet</i> & <script>fuzzmark()</script>" in text


# -- request bodies that are no form at all -------------------------------------------------

RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"a=%ff&b&=&%=%%"),
    ("application/x-www-form-urlencoded; charset=findes-ikke", b"case=1"),
    ("application/x-www-form-urlencoded; charset=utf-16", "case=1".encode("utf-16")),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\n"),
    ("multipart/form-data", b"no boundary"),
    ("application/json", b'{"case": [1, 2], "title": null}'),
    ("text/plain", b"\x00\xff" * 100),
]


@pytest.mark.parametrize("role", VISITORS)
def test_every_form_answers_a_body_that_is_no_form(world, role):
    urls = [
        reverse("booklets:folder"),
        reverse("booklets:folder_add"),
        reverse("booklets:folder_remove"),
        reverse("booklets:folder_move"),
        reverse("initiatives:apply"),
        reverse("initiatives:application_edit", args=[world.draft.pk]),
        reverse("cases:contribute"),
        reverse("cases:contribution_edit", args=[world.returned_contribution.pk]),
        reverse("admin:cases_contribution_return", args=[world.contribution.pk]),
        reverse(f"{ADMIN}_changelist"),
        reverse(f"{ADMIN}_change", args=[world.submitted.pk]),
        reverse(f"{ADMIN}_review", args=[world.in_review.pk]),
        *(reverse(name) for name in ACCOUNT_FORMS),
    ]

    @fuzz
    @given(url=st.sampled_from(urls), body=st.sampled_from(RAW_BODIES))
    def run(url, body):
        content_type, data = body
        with rolled_back():
            check(logged_in(world, role).generic("POST", url, data, content_type=content_type))

    run()


@pytest.mark.parametrize(
    "query",
    ["internal_notes__icontains=%00", "initiative_title__exact=a%00b", "q=x&%00=1"],
)
def test_an_admin_list_with_a_nul_in_its_query_is_a_danish_400(world, query):
    """PostgreSQL refuses NUL in text; the admin's lists pass lookups straight to it."""
    response = logged_in(world, SEK).get(f"{reverse(f'{ADMIN}_changelist')}?{query}")

    assert response.status_code == 400
    assert "Adressen kunne ikke læses" in response.content.decode()


# -- workshops: registration, cancellation, the secretariat's admin ----------------------------

REGISTRATION_FIELDS = [
    "name",
    "email",
    "workplace",
    "region",
    "professional_group",
    "dietary_needs",
    "consents_to_participant_list",
    "form_token",
]


def registration_base(world):
    return {
        "name": f"Anna <b>{MARK}</b>",
        "email": "anna@example.dk",
        "workplace": f'Afdeling "{MARK}" & co',
        "region": str(world.region.pk),
        "professional_group": str(world.profession.pk),
        "dietary_needs": f"<i>{MARK}</i>",
        "consents_to_participant_list": "on",
        "form_token": str(uuid.uuid4()),
    }


@pytest.mark.parametrize("role", VISITORS)
def test_workshop_registration_answers_any_post(world, role, django_capture_on_commit_callbacks):
    workshop = world.workshop
    url = reverse("workshops:register", args=[workshop.slug])
    valid = {
        "region": [str(world.region.pk), "0"],
        "professional_group": [str(world.profession.pk)],
        "email": ["ANNA@example.dk", "deltager@example.dk", "b@example.dk"],
        "form_token": [str(uuid.uuid4()), str(world.registration.form_token)],
        "consents_to_participant_list": ["on", "false"],
    }

    @fuzz
    @given(data=params(REGISTRATION_FIELDS, valid, base=registration_base(world)))
    def run(data):
        with rolled_back():
            client = logged_in(world, role)
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, data)
            check(response)
            active = workshop.registrations.exclude(status="cancelled")
            assert active.filter(status="confirmed").count() <= workshop.capacity
            emails = [e.lower() for e in active.values_list("email", flat=True)]
            assert len(emails) == len(set(emails))
            for registration in active:
                assert all(c.isprintable() for c in registration.name + registration.workplace)
            for message in mail.outbox:
                assert "\n" not in message.subject and "\r" not in message.subject
                assert len(message.to) == 1
            if response.status_code == 302:
                receipt = get(client, response["Location"])
                if MARK in receipt:
                    event("registration with markup shown on the receipt")

    run()


@pytest.mark.parametrize("role", [ANON, SEK])
def test_workshop_cancellation_answers_any_post(world, role):
    tokens = st.one_of(st.sampled_from([world.cancel_token]), odd_text.filter(bool))

    @fuzz
    @given(token=tokens, data=params(["confirm", "token", "next"]))
    def run(token, data):
        with rolled_back():
            client = logged_in(world, role)
            path = reverse("workshops:cancel", args=["x"]).replace(
                "/x/", f"/{quote(token, safe='')}/"
            )
            post(client, path, data)
            get(client, path)
            world.registration.refresh_from_db()
            if token != world.cancel_token:
                assert world.registration.status == "confirmed"
            else:
                event("cancelled by the right link")

    run()


WORKSHOP_ADMIN = "admin:workshops_workshop"


@pytest.mark.parametrize("role", [SEK, STAFF])
def test_workshop_admin_forms_answer_any_post(world, role):
    """The workshop, udviklingsrum and registration forms and their list actions: odd
    values never set a registration's status, and stored markup is shown as text."""
    registration = world.registration
    forms = {
        "workshop": reverse(f"{WORKSHOP_ADMIN}_change", args=[world.workshop.pk]),
        "room": reverse("admin:workshops_developmentroom_change", args=[world.room.pk]),
        "registration": reverse("admin:workshops_registration_change", args=[registration.pk]),
    }
    sek = logged_in(world, SEK)
    bases = {
        name: {**admin_change_form_data(sek, url), "_save": "Gem"} for name, url in forms.items()
    }
    bases["workshop"]["title"] = f"Workshop <b>{MARK}</b>"
    bases["room"]["summary"] = f"Rum <b>{MARK}</b>"
    bases["registration"]["name"] = f"Deltager <b>{MARK}</b>"
    adds = {
        "workshop": reverse(f"{WORKSHOP_ADMIN}_add"),
        "room": reverse("admin:workshops_developmentroom_add"),
    }
    lists = {
        "workshop": (
            reverse(f"{WORKSHOP_ADMIN}_changelist"),
            [
                "close_registration",
                "open_registration",
                "export_participants_csv",
                "export_shared_list_csv",
            ],
            world.workshop.pk,
        ),
        "registration": (
            reverse("admin:workshops_registration_changelist"),
            ["export_csv", "mark_attended", "mark_not_attended", "cancel_registrations"],
            registration.pk,
        ),
    }
    valid = {
        "status": ["confirmed", "waitlisted", "cancelled"],
        "capacity": ["0", "1", "5", "-1"],
        "initiatives": [str(i.pk) for i in world.room.initiatives.all()],
        "attended": ["true", "false", "unknown"],
        "kind": ["webinar", "x"],
        "phase": ["running", "forming"],
    }
    names = sorted(forms)

    @fuzz
    @given(
        name=st.sampled_from(names),
        data=st.sampled_from(names).flatmap(
            lambda n: params([*bases[n], "status", "sequence"], valid, base=bases[n])
        ),
        action=st.sampled_from(sorted(lists)),
        action_data=params(["action", "_selected_action", "index"], {"index": ["0"]}),
        add=st.booleans(),
    )
    def run(name, data, action, action_data, add):
        with rolled_back():
            client = logged_in(world, role)
            status_before = registration.status
            target = adds.get(name, forms[name]) if add else forms[name]
            post(client, target, data)
            url, actions, pk = lists[action]
            post(
                client,
                url,
                {
                    "action": actions[len(action_data) % len(actions)],
                    "_selected_action": [pk],
                    "index": "0",
                    **action_data,
                },
            )
            registration.refresh_from_db()
            if registration.status != status_before:
                event("status changed by an action")
                assert role == SEK
            for page in forms.values():
                html = get(logged_in(world, SEK), page)
                assert "<b>" + MARK not in html

    run()


# -- every form is in this file --------------------------------------------------------------

# The URL patterns that take a POST and the tests above that send them odd values.
FUZZED_FORMS = {
    "cases/mappe/": "test_folder_title_and_intro_are_shown_as_text",
    "cases/mappe/tilfoej/": "test_folder_changes_answer_any_post",
    "cases/mappe/fjern/": "test_folder_changes_answer_any_post",
    "cases/mappe/flyt/": "test_folder_changes_answer_any_post",
    "cases/mappe/toem/": "test_folder_changes_answer_any_post",
    "initiativer/ansoeg/": "test_new_application_form_answers_any_post",
    "initiativer/mine-ansoegninger/<int:pk>/ret/": "test_application_edit_form_answers_any_post",
    "admin/initiatives/supportapplication/": "test_admin_list_actions_answer_any_post",
    "admin/initiatives/supportapplication/<path:object_id>/change/": (
        "test_admin_change_form_answers_any_post"
    ),
    "admin/initiatives/supportapplication/<path:object_id>/behandl/": (
        "test_admin_review_step_answers_any_post"
    ),
    "admin/initiatives/supportapplication/([^/]+)/history/([^/]+)/$": (
        "test_admin_history_form_cannot_change_an_application"
    ),
    "workshops/<slug:slug>/tilmeld/": "test_workshop_registration_answers_any_post",
    "workshops/tilmelding/afmeld/<str:token>/": "test_workshop_cancellation_answers_any_post",
    "cases/del-en-erfaring/": "test_contribution_form_answers_any_post",
    "cases/mine-bidrag/<int:pk>/ret/": "test_contribution_form_answers_any_post",
    "initiativer/mine-ansoegninger/<int:pk>/del-en-erfaring/": (
        "test_contribution_form_answers_any_post"
    ),
    **{
        f"admin/cases/contribution/{suffix}": "test_contribution_moderation_answers_any_post"
        for suffix in (
            "",
            "<path:object_id>/change/",
            "<int:pk>/send-retur/",
            "<int:pk>/offentliggoer/",
        )
    },
    **{
        f"admin/workshops/{model}/{suffix}": "test_workshop_admin_forms_answer_any_post"
        for model in ("workshop", "developmentroom", "registration")
        for suffix in ("", "<path:object_id>/change/", "add/")
    },
    **{
        route: "test_login_signup_and_account_forms_answer_any_post"
        for route in [
            "konto/login/",
            "konto/logout/",
            "konto/signup/",
            "konto/email/",
            "konto/password/change/",
            "konto/password/set/",
            "konto/password/reset/",
            "konto/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            "konto/reauthenticate/",
            "konto/login/code/confirm/",
            "konto/slet/",
            "admin/login/",
            "admin/logout/",
            "admin/password_change/",
        ]
    },
}
# Patterns that answer a POST as they answer a GET (a page or a redirect) and store nothing.
NOT_FORMS = {
    "admin/",
    "admin/(?P<app_label>auth|account|portal|cases|initiatives|workshops)/$",
    "admin/r/<path:content_type_id>/<path:object_id>/",
    "admin/initiatives/supportapplication/<path:object_id>/history/",
    "admin/initiatives/applicationround/",
    "admin/initiatives/applicationround/<path:object_id>/history/",
    "admin/workshops/workshop/<path:object_id>/history/",
    "admin/workshops/developmentroom/<path:object_id>/history/",
    "admin/workshops/registration/<path:object_id>/history/",
    "admin/cases/contribution/<path:object_id>/history/",
    *(
        f"admin/{label}/<path:object_id>/"
        for label in [
            "account/emailaddress",
            "auth/group",
            "auth/user",
            "cases/case",
            "cases/contribution",
            "initiatives/applicationround",
            "initiatives/initiative",
            "initiatives/supportapplication",
            "portal/professionalgroup",
            "portal/region",
            "portal/sector",
            "portal/theme",
            "portal/themegroup",
            "workshops/developmentroom",
            "workshops/registration",
            "workshops/workshop",
        ]
    ),
}


def test_every_url_that_takes_a_post_is_fuzzed_here(world):
    """A new form (any URL of the table that takes a POST from someone) must be added to
    FUZZED_FORMS with a test above, or to NOT_FORMS if it stores nothing."""
    taking = set()
    for entry in all_rows(world):
        for user in world.users.values():
            response = client_for(user).post(entry.url, {})
            refused = response.status_code in (400, 403, 404, 405) or (
                response.status_code == 302 and "login" in response["Location"]
            )
            if not refused:
                taking.add(resolve(urlsplit(entry.url).path).route)
    assert sorted(taking - set(FUZZED_FORMS) - NOT_FORMS) == []
    assert all(callable(globals().get(test)) for test in FUZZED_FORMS.values())
