"""What an anonymous visitor can make the server do with the folder and the PDF exports:
odd ids give a 404, not a 500; a search without words is no search; fresh PDF renders
per client are limited with a Danish "prøv igen om lidt" page."""

import pytest
from django.urls import reverse

ODD_IDS = ["²", "1²", "١", "٣٤", "-1", " 1", "1.0", "9" * 40, "", "\x00"]


@pytest.fixture
def library(make_case, make_theme):
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    ledelse = make_theme("Ledelse", slug="ledelse")
    return [
        make_case("Fleksibel vagtplan", themes=[fuldtid]),
        make_case("Coaching for ledere", themes=[ledelse]),
        make_case("Flyverkorps i hjemmeplejen", themes=[fuldtid]),
    ]


@pytest.mark.parametrize(
    "action", ["booklets:folder_add", "booklets:folder_remove", "booklets:folder_move"]
)
@pytest.mark.parametrize("value", ODD_IDS)
def test_odd_case_ids_to_the_folder_give_no_server_error(client, library, action, value):
    client.post(reverse("booklets:folder_add"), {"case": library[0].pk})
    response = client.post(reverse(action), {"case": value, "direction": "up"})
    assert response.status_code in (302, 404)
    folder = client.get(reverse("booklets:folder"))
    assert [case.pk for case in folder.context["folder_cases"]] == [library[0].pk]


@pytest.mark.parametrize(
    "value, shown", [("²", 1), ("1²", 1), ("x", 1), ("١", 1), ("9" * 40, 2), ("-1", 1)]
)
def test_odd_page_numbers_in_the_case_list_give_a_page(client, make_case, value, shown):
    """A number past the end shows the last page; anything that is no number the first."""
    for number in range(25):
        make_case(f"Case nummer {number}")
    response = client.get(reverse("cases:list"), {"page": value})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown


# -- a search without words --------------------------------------------------------


@pytest.mark.parametrize("query", ["!", "!!", "!!!", "  ", "?!", "_", "«»", "---"])
def test_a_query_without_words_is_no_query_in_the_case_list(client, library, query):
    response = client.get(reverse("cases:list"), {"q": query})
    assert response.status_code == 200
    assert not response.context["filter"].has_filters
    assert "Søgning:" not in response.content.decode()


def test_punctuation_and_case_in_a_query_do_not_make_a_new_booklet(client, library):
    url = reverse("booklets:booklet")
    keys = {client.get(url, {"q": query})["ETag"] for query in ["!", "!!", "!!!", "?", "---"]} | {
        client.get(url)["ETag"]
    }
    assert len(keys) == 1
    worded = {
        client.get(url, {"q": query})["ETag"] for query in ["Vagtplan", "vagtplan!", " VAGTPLAN "]
    }
    assert len(worded) == 1
    assert worded != keys


def test_stop_words_do_not_make_a_new_booklet(client, library):
    """A stop word searches for nothing: "og", "og i" and "i og og" give the whole
    library's booklet, and "og vagtplan" the booklet for "vagtplan"."""
    url = reverse("booklets:booklet")
    whole = {client.get(url, {"q": query})["ETag"] for query in ["og", "og i", "i og og", ""]}
    assert len(whole) == 1
    worded = {client.get(url, {"q": query})["ETag"] for query in ["og vagtplan", "vagtplan"]}
    assert len(worded) == 1
    assert worded != whole


# -- fresh renders are limited per client --------------------------------------------


def too_busy(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Prøv igen om lidt" in page
    assert response["Content-Type"].startswith("text/html")


def test_fresh_renders_per_client_are_limited_and_cached_pdfs_still_served(
    client, settings, library
):
    settings.PDF_RENDERS_PER_CLIENT = 2
    first, second, third = library
    assert client.get(reverse("booklets:case_pdf", args=[first.slug])).status_code == 200
    assert client.get(reverse("booklets:booklet"), {"theme": "fuldtid"}).status_code == 200

    too_busy(client.get(reverse("booklets:case_pdf", args=[second.slug])))
    too_busy(client.get(reverse("booklets:booklet"), {"theme": "ledelse"}))
    client.post(reverse("booklets:folder_add"), {"case": third.pk})
    too_busy(client.get(reverse("booklets:folder_pdf")))

    # What is rendered already is served as before.
    again = client.get(reverse("booklets:case_pdf", args=[first.slug]))
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert client.get(reverse("booklets:booklet"), {"theme": "fuldtid"}).status_code == 200

    # Another client is not held up by this one.
    other = client.__class__(REMOTE_ADDR="10.9.8.7")
    assert other.get(reverse("booklets:case_pdf", args=[second.slug])).status_code == 200


def test_control_characters_do_not_reach_the_folders_booklet(client, library):
    """NUL bytes and escape codes in the title or introduction would print as empty boxes
    (and make a new booklet); line breaks in the introduction stay."""
    client.post(reverse("booklets:folder_add"), {"case": library[0].pk})
    client.post(
        reverse("booklets:folder"),
        {"title": "Vores\x00 hæfte\x1b[31m", "intro": "Første linje\r\nAnden\x07 linje"},
    )
    page = client.get(reverse("booklets:folder"))
    assert page.context["folder"].title == "Vores hæfte[31m"
    assert page.context["folder"].intro == "Første linje\nAnden linje"
