"""Password guessing is limited on both logins, by one limiter that all worker processes
share: five wrong passwords for an account lock it for a while, at /admin/login/ as at
the applicant login, with a Danish message."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "rigtigt-kodeord-91"
LOCKED = "For mange mislykkede loginforsøg"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(email, staff=False):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if staff:
        group, _ = Group.objects.get_or_create(name="Sekretariat")
        user.groups.add(group)
    return user


@pytest.fixture
def secretariat_member(db):
    return make_user("sekretaer@example.dk", staff=True)


@pytest.fixture
def applicant(db):
    return make_user("ansoeger@example.dk")


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def applicant_login(client, email, password):
    return client.post("/konto/login/", {"login": email, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


def test_admin_login_locks_after_five_wrong_passwords(client, secretariat_member):
    for _ in range(5):
        response = admin_login(client, "sekretaer@example.dk", "forkert")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = admin_login(client, "sekretaer@example.dk", PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert LOCKED in page
    assert "Prøv igen om 5 minutter" in page
    assert not logged_in(client)


def test_applicant_login_locks_after_five_wrong_passwords_with_a_danish_message(client, applicant):
    for _ in range(5):
        applicant_login(client, "ansoeger@example.dk", "forkert")
    response = applicant_login(client, "ansoeger@example.dk", PASSWORD)
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_both_logins_count_together(client, secretariat_member):
    for _ in range(3):
        admin_login(client, "sekretaer@example.dk", "forkert")
    for _ in range(2):
        applicant_login(client, "SEKRETAER@example.dk", "forkert")
    assert LOCKED in admin_login(client, "sekretaer@example.dk", PASSWORD).content.decode()
    assert LOCKED in applicant_login(client, "sekretaer@example.dk", PASSWORD).content.decode()


def test_a_right_password_before_the_limit_logs_in(client, secretariat_member):
    for _ in range(4):
        admin_login(client, "sekretaer@example.dk", "forkert")
    response = admin_login(client, "sekretaer@example.dk", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_one_address_guessing_many_accounts_is_stopped(client, settings, applicant):
    settings.LOGIN_FAILURES_PER_CLIENT = 8
    for number in range(8):
        admin_login(client, f"gaet{number}@example.dk", "forkert")
    assert LOCKED in applicant_login(client, "ansoeger@example.dk", PASSWORD).content.decode()
    # Another address (a different client) is not locked out by it.
    other = applicant_login(
        client.__class__(REMOTE_ADDR="10.1.2.3"), "ansoeger@example.dk", PASSWORD
    )
    assert other.status_code == 302


def test_the_lock_lifts_after_the_lock_time(client, settings, secretariat_member):
    settings.LOGIN_LOCK_SECONDS = 2
    for _ in range(5):
        admin_login(client, "sekretaer@example.dk", "forkert")
    assert LOCKED in admin_login(client, "sekretaer@example.dk", PASSWORD).content.decode()
    time.sleep(2.1)
    assert admin_login(client, "sekretaer@example.dk", PASSWORD).status_code == 302


FAIL_IN_ANOTHER_PROCESS = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
for _ in range(5):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "sekretaer@example.dk", "password": "x"}
    )
    assert response.status_code == 200, response.status_code
print("ok")
"""


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_failures_in_another_worker_process_count_here(client):
    """A gunicorn worker is a process of its own: its failures lock the account here too."""
    make_user("sekretaer@example.dk", staff=True)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", FAIL_IN_ANOTHER_PROCESS],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    response = admin_login(client, "sekretaer@example.dk", PASSWORD)
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_behind_a_proxy_each_client_address_counts_and_cannot_be_spoofed(
    client, settings, applicant
):
    """One TLS proxy: the client is the address it appended to X-Forwarded-For, whatever
    the client itself wrote in front of it."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    for number in range(3):
        client.post(
            "/konto/login/",
            {"login": f"gaet{number}@example.dk", "password": "x"},
            headers={"x-forwarded-for": f"10.0.0.{number}, 192.0.2.7"},
        )
    locked = client.post(
        "/konto/login/",
        {"login": "ansoeger@example.dk", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.1, 192.0.2.7"},
    )
    assert LOCKED in locked.content.decode()
    other_client = client.__class__().post(
        "/konto/login/",
        {"login": "ansoeger@example.dk", "password": PASSWORD},
        headers={"x-forwarded-for": "192.0.2.99"},
    )
    assert other_client.status_code == 302
