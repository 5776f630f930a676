"""Open data and the headless API: CSV and JSON exports, the Atom feed, the sitemap, robots.txt, API v2."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from publishing.exports import csv_columns
from tests.cast import make_cast, report_in
from tests.factories import ServiceFactory
from workflow.models import ReportStatus

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def report():
    return report_in(
        ReportStatus.PUBLISHED, make_cast(service=ServiceFactory(name="Open data service")), "gaggggggggggrg"
    )


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_csv_has_one_row_per_report_with_per_point_ratings(client, report):
    response = client.get("/reports/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert list(rows[0].keys()) == csv_columns(14)
    (row,) = rows
    assert row["service_public_id"] == str(report.assessment.service.public_id)
    assert row["service_name"] == "Open data service"
    assert row["stage"] == "Alpha"
    assert row["reassessment"] == "no"
    assert row["assessment_type"] == "Service assessment"
    assert (row["standard"], row["standard_version"]) == ("GOV.UK Service Standard", "2019")
    assert row["overall_rating"] == "red"
    assert row["point_2"] == "amber" and row["point_13"] == "red" and row["point_1"] == "green"
    assert row["url"].endswith(report.url)


def test_json_nests_points_and_actions(client, report):
    (item,) = json.loads(body(client.get("/reports/export.json")))
    assert item["service_public_id"] == str(report.assessment.service.public_id)
    assert [point["number"] for point in item["points"]] == list(range(1, 15))
    point_2 = item["points"][1]
    assert point_2["rating"] == "amber"
    assert point_2["actions"][0]["description"] == "Fix point 2."


def test_the_service_id_is_stable_across_reassessments(client, report):
    report_in(
        ReportStatus.PUBLISHED,
        make_cast(service=report.assessment.service, follows=report.assessment, date=datetime.date(2026, 12, 1)),
        "g",
    )
    items = json.loads(body(client.get("/reports/export.json")))
    assert len(items) == 2
    assert {item["service_public_id"] for item in items} == {str(report.assessment.service.public_id)}
    assert sorted(item["reassessment"] for item in items) == [False, True]


def test_atom_feed_lists_published_reports(client, report):
    response = client.get("/reports/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}link").get("href").endswith(report.url)
    assert "Result: Red" in entries[0].find(f"{ATOM}summary").text


def test_sitemap_and_robots(client, report):
    sitemap = body(client.get("/sitemap.xml"))
    assert report.url in sitemap
    assert "/reports/</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "User-agent: *\nAllow: /" in robots.text
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text


def test_api_gives_a_report_with_its_ratings_and_actions(client, report):
    response = client.get(f"/api/v2/pages/{report.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "workflow.ReportPage"
    assert data["service"]["public_id"] == str(report.assessment.service.public_id)
    assert data["assessment_summary"] == {
        "phase": "alpha",
        "stage": "Alpha",
        "type": "Service assessment",
        "reassessment": False,
        "date": "2026-10-01",
        "standard": {"name": "GOV.UK Service Standard", "version": "2019"},
    }
    assert data["overall_rating"] == "red"
    assert data["points"][1]["rating"] == "amber"
    assert data["points"][1]["actions"][0]["description"] == "Fix point 2."


def test_api_lists_guidance_pages_and_is_read_only(client, report):
    guidance = client.get("/api/v2/pages/?type=cms.GuidancePage&fields=summary,body").json()
    for item in guidance["items"]:
        assert "summary" in item and "body" in item
    assert client.post("/api/v2/pages/", {}).status_code == 405
    assert client.delete(f"/api/v2/pages/{report.pk}/").status_code == 405
    assert client.get("/api/v2/pages/?type=cms.HomePage").status_code == 400
