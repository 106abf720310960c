""" "Min inspirationsmappe": the session folder, used through plain forms (no JavaScript)."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from booklets import folder as folder_module
from cases.models import Case


@pytest.fixture
def cases(make_case, make_theme):
    fuldtid = make_theme("Fuldtid")
    ledelse = make_theme("Ledelse")
    return [
        make_case("Første case om fuldtid", themes=[fuldtid]),
        make_case("Anden case om ledelse", themes=[ledelse]),
        make_case("Tredje case om fuldtid", themes=[fuldtid]),
    ]


def csrf_client(client):
    client.handler.enforce_csrf_checks = True
    return client


def post_form(client, page_url, action_url, **fields):
    """Submit a form as a browser would: take the CSRF token from the page it is on."""
    page = client.get(page_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(action_url, {"csrfmiddlewaretoken": token.group(1), **fields})


def folder_titles(client):
    response = client.get(reverse("booklets:folder"))
    return [case.title for case in response.context["folder_cases"]]


def test_folder_round_trip_without_javascript(client, cases):
    client = csrf_client(client)
    first, second, third = cases
    list_url = reverse("cases:list")

    for case in cases:
        response = post_form(
            client, list_url, reverse("booklets:folder_add"), case=case.pk, next=list_url
        )
        assert response.status_code == 302 and response["Location"] == list_url

    page = client.get(list_url).content.decode()
    assert "Min inspirationsmappe (3)" in page
    assert page.count("Fjern fra min mappe") == 3
    assert folder_titles(client) == [first.title, second.title, third.title]

    folder_url = reverse("booklets:folder")
    post_form(client, folder_url, reverse("booklets:folder_move"), case=third.pk, direction="up")
    assert folder_titles(client) == [first.title, third.title, second.title]
    post_form(client, folder_url, reverse("booklets:folder_move"), case=first.pk, direction="down")
    assert folder_titles(client) == [third.title, first.title, second.title]

    response = post_form(client, folder_url, reverse("booklets:folder_remove"), case=second.pk)
    assert response["Location"] == folder_url
    assert folder_titles(client) == [third.title, first.title]

    response = post_form(
        client, folder_url, folder_url, title="Til mødet på Ærø", intro="Vi ses på fredag."
    )
    assert response.status_code == 302
    page = client.get(folder_url).content.decode()
    assert 'value="Til mødet på Ærø"' in page
    assert "Vi ses på fredag." in page

    response = client.get(reverse("booklets:folder_pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Til mødet på Ærø"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Vi ses på fredag." in text
    assert second.title not in text
    # Both are about "Fuldtid" and keep the folder's order inside that section.
    assert text.rindex(third.title) < text.rindex(first.title)


def test_save_and_download_goes_straight_to_the_pdf(client, cases):
    client = csrf_client(client)
    folder_url = reverse("booklets:folder")
    post_form(client, reverse("cases:list"), reverse("booklets:folder_add"), case=cases[0].pk)

    response = post_form(client, folder_url, folder_url, title="Mit hæfte", intro="", action="pdf")

    assert response["Location"] == reverse("booklets:folder_pdf")


def test_empty_folder_gives_a_danish_message_not_a_pdf(client, db):
    response = client.get(reverse("booklets:folder_pdf"), follow=True)

    assert response.redirect_chain == [(reverse("booklets:folder"), 302)]
    assert "Din inspirationsmappe er tom." in response.content.decode()


def test_a_full_folder_refuses_another_case_with_a_message(client, cases, monkeypatch):
    monkeypatch.setattr(folder_module, "MAX_CASES", 2)
    for case in cases:
        response = client.post(reverse("booklets:folder_add"), {"case": case.pk}, follow=True)

    assert "Din inspirationsmappe er fuld (2 cases)" in response.content.decode()
    assert len(folder_titles(client)) == 2


def test_adding_a_case_twice_keeps_it_once(client, cases):
    for _ in range(2):
        client.post(reverse("booklets:folder_add"), {"case": cases[0].pk})

    assert folder_titles(client) == [cases[0].title]


def test_changes_need_post_and_a_published_case(client, cases, make_case):
    draft = make_case("Kladde", status=Case.Status.DRAFT, published_at=None)

    assert client.get(reverse("booklets:folder_add"), {"case": cases[0].pk}).status_code == 405
    assert client.post(reverse("booklets:folder_add"), {"case": draft.pk}).status_code == 404
    assert client.post(reverse("booklets:folder_add"), {"case": "x"}).status_code == 404


def test_next_must_be_on_this_site(client, cases):
    response = client.post(
        reverse("booklets:folder_add"), {"case": cases[0].pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == cases[0].get_absolute_url()


def test_a_case_unpublished_after_it_was_added_drops_out(client, cases):
    client.post(reverse("booklets:folder_add"), {"case": cases[0].pk})
    client.post(reverse("booklets:folder_add"), {"case": cases[1].pk})
    Case.objects.filter(pk=cases[0].pk).update(status=Case.Status.DRAFT)

    assert folder_titles(client) == [cases[1].title]
    assert "Min inspirationsmappe (1)" in client.get(reverse("booklets:folder")).content.decode()


def test_folder_toggles_in_the_list_cost_no_query_per_case(client, cases):
    def list_queries():
        client.get(reverse("cases:list"))  # warm the list's count cache for both calls
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("cases:list"))
        return len(queries), page.content.decode()

    client.post(reverse("booklets:folder_add"), {"case": cases[0].pk})
    with_one, page = list_queries()
    assert page.count("Fjern fra min mappe") == 1
    for case in cases[1:]:
        client.post(reverse("booklets:folder_add"), {"case": case.pk})
    with_three, page = list_queries()
    assert page.count("Fjern fra min mappe") == 3
    assert with_three == with_one
