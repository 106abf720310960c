"""Many applicants at once, on PostgreSQL: every submission lands once, with one receipt."""

import collections
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from initiatives.models import ApplicationTransition, SupportApplication

Status = SupportApplication.Status
APPLICATIONS = 200
ACCOUNTS = 20  # ten applications each, so submissions of one account also meet
WORKERS = 20  # PostgreSQL allows 100 connections; each worker holds one


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database file; parallel submissions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_200_applications_submitted_in_parallel_end_as_200_with_one_receipt_each(
    settings, make_user, open_round, form_data, mailoutbox
):
    settings.APPLICATION_SUBMISSIONS_PER_DAY = APPLICATIONS // ACCOUNTS
    accounts = [make_user(f"ansoeger{n:02d}@example.dk") for n in range(ACCOUNTS)]
    requests = []
    for n in range(APPLICATIONS):
        client = Client()
        client.force_login(accounts[n % ACCOUNTS])
        requests.append((client, form_data(submit="1", initiative_title=f"Initiativ nr. {n}")))

    def submit(request):
        client, data = request
        try:
            return client.post(reverse("initiatives:apply"), data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        responses = list(pool.map(submit, requests))

    applications = SupportApplication.objects.all()
    assert [r.status_code for r in responses] == [302] * APPLICATIONS
    assert {r["Location"] for r in responses} == {a.get_absolute_url() for a in applications}
    assert applications.count() == APPLICATIONS
    assert set(applications.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert sorted(applications.values_list("initiative_title", flat=True)) == sorted(
        f"Initiativ nr. {n}" for n in range(APPLICATIONS)
    )

    submitted = ApplicationTransition.objects.filter(to_status=Status.SUBMITTED)
    per_application = collections.Counter(submitted.values_list("application_id", flat=True))
    assert len(per_application) == APPLICATIONS
    assert set(per_application.values()) == {1}
    assert not submitted.filter(email_sent_at__isnull=True).exists()

    owners = dict(applications.values_list("pk", "applicant__email"))
    receipts = collections.Counter()
    for mail in mailoutbox:
        if mail.subject.startswith("Kvittering"):
            pk = int(re.search(r"\(A-(\d+)\)", mail.subject).group(1))
            assert mail.to == [owners[pk]]
            receipts[pk] += 1
    assert receipts == collections.Counter(dict.fromkeys(owners, 1))


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database file; parallel submissions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_the_daily_limit_holds_when_one_account_submits_many_at_once(
    settings, applicant, open_round, form_data, mailoutbox
):
    settings.APPLICATION_SUBMISSIONS_PER_DAY = 5
    requests = []
    for n in range(WORKERS):
        client = Client()
        client.force_login(applicant)
        requests.append((client, form_data(submit="1", initiative_title=f"Forsøg {n}")))

    def submit(request):
        client, data = request
        try:
            return client.post(reverse("initiatives:apply"), data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        responses = list(pool.map(submit, requests))

    assert {r.status_code for r in responses} == {302}
    applications = SupportApplication.objects.all()
    assert applications.count() == WORKERS  # nothing typed is lost: the rest are drafts
    assert applications.filter(status=Status.SUBMITTED).count() == 5
    assert applications.filter(status=Status.DRAFT).count() == WORKERS - 5
    assert ApplicationTransition.objects.count() == 5
    assert len([m for m in mailoutbox if m.to == [applicant.email]]) == 5
