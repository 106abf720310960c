"""The public workshop pages: list, detail and udviklingsrum."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_list_detail_and_room_answer(client, make_workshop, make_development_room):
    workshop = make_workshop("Årsmøde for fuldtidsfacilitatorer")
    room = make_development_room("Udviklingsrum om fuldtid")
    assert client.get(reverse("workshops:list")).status_code == 200
    assert client.get(workshop.get_absolute_url()).status_code == 200
    assert client.get(room.get_absolute_url()).status_code == 200
