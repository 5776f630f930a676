"""Open data and the headless API: CSV and JSON exports, the Atom feed, the sitemap, robots.txt, API v2."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing.exports import csv_columns
from publishing.sitemaps import PublicSitemap
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


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response) -> list[str]:
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(body(response)).iter(f"{SITEMAP}loc")]  # noqa: S314 - our own


def test_sitemap_and_robots(client, report):
    index = ET.fromstring(body(client.get("/sitemap.xml")))  # noqa: S314 - our own sitemap
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert locations(client.get("/sitemap.xml")) == ["http://testserver/sitemap-pages.xml"]
    sitemap = body(client.get("/sitemap-pages.xml"))
    assert report.url in sitemap
    assert "/reports/</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "User-agent: *\nAllow: /" in robots.text
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text


@pytest.fixture
def three_reports(report):
    return [report] + [
        report_in(ReportStatus.PUBLISHED, make_cast(service=ServiceFactory(name=f"Sitemap service {n}")))
        for n in range(2)
    ]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 addresses, as pages of 50,000 would page 100,000 reports."""
    monkeypatch.setattr(PublicSitemap, "limit", 2)


def test_the_sitemap_index_lists_a_page_for_each_limit_of_addresses(client, three_reports, small_pages):
    assert PublicSitemap.limit == 2
    addresses = PublicSitemap().items().count()  # the home page, the reports list and the reports, at least
    assert addresses >= 5
    pages = (addresses + 1) // 2
    index = locations(client.get("/sitemap.xml"))
    assert index == ["http://testserver/sitemap-pages.xml"] + [
        f"http://testserver/sitemap-pages.xml?p={n}" for n in range(2, pages + 1)
    ]
    seen = []
    for n in range(1, pages + 1):
        page = locations(client.get(f"/sitemap-pages.xml?p={n}"))
        assert 1 <= len(page) <= 2
        seen += page
    # Every page once, in order, each at BASE_URL.
    assert len(seen) == len(set(seen)) == addresses
    assert all(location.startswith("http://testserver/") for location in seen)
    assert {report.full_url for report in three_reports} <= set(seen)
    assert client.get(f"/sitemap-pages.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-pages.xml?p=x").status_code == 404
    assert client.get("/sitemap-other.xml").status_code == 404


def test_the_sitemap_names_base_url_whatever_the_host(client, three_reports, small_pages):
    for path in ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-pages.xml?p=2"]:
        found = locations(client.get(path, HTTP_HOST="localhost"))
        assert found and all(location.startswith("http://testserver/") for location in found), (path, found)


def test_the_sitemap_index_gives_the_latest_change(client, three_reports):
    assert client.get("/sitemap.xml").content.count(b"<lastmod>") == 1


def test_a_sitemap_page_takes_the_same_queries_whatever_the_number_of_reports(client, report, small_pages):
    def queries(path):
        cache.clear()
        client.get(path)  # Wagtail's site root paths, cached as in a running server
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-pages.xml?p=2"]
    before = [queries(path) for path in paths]
    for n in range(3):
        report_in(ReportStatus.PUBLISHED, make_cast(service=ServiceFactory(name=f"More service {n}")))
    assert [queries(path) for path in [*paths, "/sitemap-pages.xml?p=4"]] == [*before, before[-1]]


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
