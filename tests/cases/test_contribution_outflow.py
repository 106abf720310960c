"""A contribution flows out only once an editor has published it: contribution →
moderation → publication → the feeds, the embeddable list and the open data (issue 16)."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cases import contributions
from tests.cases import test_contributions as contribution_tests
from tests.initiatives import conftest as initiatives_fixtures

# The contribution form's fixtures, and the account factories shared with tests/initiatives.
QUEUE = contribution_tests.QUEUE
admin_client = contribution_tests.admin_client
contributed = contribution_tests.contributed
contribution_data = contribution_tests.contribution_data
taxonomy = contribution_tests.taxonomy
applicant = initiatives_fixtures.applicant
make_user = initiatives_fixtures.make_user
make_secretariat_member = initiatives_fixtures.make_secretariat_member
secretariat = initiatives_fixtures.secretariat
fast_password_hashing = initiatives_fixtures.fast_password_hashing

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://arbejdsliv.example.dk"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def feed_entries(client, url):
    feed = ET.fromstring(client.get(url).content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def everywhere(client, theme):
    """The titles each way out of the portal shows, read back from what it sends."""
    csv_text = b"".join(client.get(reverse("cases:data_csv")).streaming_content)
    rows = csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"), newline=""), delimiter=";")
    data = json.loads(b"".join(client.get(reverse("cases:data_json")).streaming_content))
    embed = client.get(reverse("cases:embed"), {"theme": theme.slug}).content.decode()
    theme_feed = reverse("portal:theme_feed", kwargs={"slug": theme.slug})
    return {
        "feed": [entry["title"] for entry in feed_entries(client, reverse("cases:feed"))],
        "theme feed": [entry["title"] for entry in feed_entries(client, theme_feed)],
        "embed": embed,
        "csv": [row["Titel"] for row in rows],
        "json": [record["title"] for record in data["cases"]],
    }


def assert_nowhere(client, case, theme):
    for outlet, shown in everywhere(client, theme).items():
        assert case.title not in shown, outlet


def test_contribution_published_through_moderation_appears_in_the_feed(
    client, contributed, secretariat, taxonomy
):
    theme = taxonomy["theme"]
    case = contributed()
    client.logout()
    assert_nowhere(client, case, theme)

    client = admin_client(client, secretariat)
    response = client.post(
        QUEUE, {"action": "publish_contributions", "_selected_action": [case.pk]}
    )
    assert response.status_code == 302
    client.logout()

    (entry,) = feed_entries(client, reverse("cases:feed"))
    assert entry["title"] == case.title
    assert entry["link"] == SITE_URL + case.get_absolute_url()
    assert entry["categories"] == ["Fastholdelse"]
    # The workplace, and the person who agreed to be credited; never an address.
    assert entry["author"] == "Bodil Bidrag, Psykiatrisk afdeling, Slagelse"
    for outlet, shown in everywhere(client, theme).items():
        assert case.title in shown, outlet


def test_a_returned_contribution_never_flows_out(client, contributed, secretariat, taxonomy):
    case = contributed()

    contributions.return_to_contributor(case, secretariat, "Skriv gerne, hvor mange var med.")

    client.logout()
    assert_nowhere(client, case, taxonomy["theme"])


def test_a_contribution_taken_down_again_leaves_every_outlet(
    client, contributed, secretariat, taxonomy
):
    case = contributions.publish(contributed(), secretariat)
    client.logout()
    assert case.title in everywhere(client, taxonomy["theme"])["feed"]

    case.status = case.Status.DRAFT
    case.save()

    assert_nowhere(client, case, taxonomy["theme"])
