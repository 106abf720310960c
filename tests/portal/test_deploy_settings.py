"""Production settings: `check --deploy` is silent with nothing but the required variables,
and each HTTPS default can be changed by its environment variable."""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# Variables the test run sets for itself (tests/pytest_env.py) or a developer may have.
CLEARED = {
    "DEBUG",
    "TESTING",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "BEHIND_TLS_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "STATIC_ROOT",
    "DJANGO_SETTINGS_MODULE",
}


def production_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.dk",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    env.update(overrides)
    return env


def run(args, **overrides):
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER")}))
"""


def production_settings(**overrides):
    result = run(["-c", SHOW_SETTINGS], **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_is_silent_with_production_defaults():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_is_on_by_default_without_debug():
    values = production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_each_https_setting_is_overridable_for_a_deployment_that_needs_it():
    values = production_settings(
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        SECURE_COOKIES="false",
        BEHIND_TLS_PROXY="true",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_empty_variables_as_in_env_example_mean_the_defaults():
    empty = dict.fromkeys(CLEARED - {"DEBUG", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT"}, "")
    assert production_settings(**empty) == production_settings()


def test_debug_for_make_run_stays_on_plain_http():
    values = production_settings(DEBUG="1")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


@pytest.mark.django_db
def test_behind_a_tls_proxy_a_forwarded_https_request_gets_hsts_and_no_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/", headers={"host": "localhost"})
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    forwarded = client.get("/", headers={"x-forwarded-proto": "https"})
    assert forwarded.status_code == 200
    assert "max-age=31536000" in forwarded["Strict-Transport-Security"]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "unsafe" not in policy


def test_migrate_makes_the_shared_cache_table(tmp_path):
    """A deployment without Redis that runs `migrate` (README, Drift) has the table the
    limits count in."""
    database = tmp_path / "portal.sqlite3"
    result = run(
        ["manage.py", "migrate", "--noinput", "-v0"],
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_URL="",
        REDIS_URL="",
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "portal_cache" in tables
