"""Nothing unpublished leaks: a report in any status short of published appears in no list, search result,
feed, sitemap, export or API answer, and its URL answers 404 to the public.

("Accepted" is at rest only for a confidential assessment or a type never published, such as a peer review: they
have a test of their own; accepting any other report publishes it at once.)"""

import html
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from cms.models import AssessmentType
from tests.cast import PATH_TO, make_cast, report_in
from tests.factories import ServiceFactory
from workflow.models import ReportStatus
from workflow.services import transitions
from workflow.services.comments import comment_add

pytestmark = pytest.mark.django_db

UNPUBLISHED = [status for status in PATH_TO if status != ReportStatus.PUBLISHED]
SECRET = "Zanzibarquux"  # a word that appears only in the report under test


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def sitemap_text(client) -> str:
    """The sitemap index and every page it lists."""
    index = body(client.get("/sitemap.xml"))
    pages = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", index)
    assert pages, index
    return index + "".join(body(client.get(html.unescape(page))) for page in pages)


def report_of(status, secret=SECRET):
    cast = make_cast(service=ServiceFactory(name=f"{secret} service", description=f"About {secret}."))
    report = report_in(status, cast)
    public_path = report.url_path.removeprefix("/home")
    return report, public_path


def everywhere(client, report, public_path) -> dict[str, bool]:
    """Where the report shows, in each public place."""
    seen = {}
    listing = client.get("/reports/")
    seen["list"] = report.pk in [r.pk for r in listing.context["reports"]] or public_path in listing.text
    search = client.get(f"/reports/?q={SECRET}")
    seen["search"] = report.pk in [r.pk for r in search.context["reports"]]
    seen["feed"] = public_path in body(client.get("/reports/feed/"))
    seen["sitemap"] = public_path in sitemap_text(client)
    csv_text = body(client.get("/reports/export.csv"))
    seen["csv"] = SECRET in csv_text or str(report.assessment.service.public_id) in csv_text
    exported = json.loads(body(client.get("/reports/export.json")))
    seen["json"] = any(item["url"].endswith(public_path) for item in exported)
    api_list = client.get("/api/v2/pages/?limit=20").json()
    seen["api list"] = report.pk in [item["id"] for item in api_list["items"]]
    api_typed = client.get("/api/v2/pages/?type=workflow.ReportPage&fields=*&limit=20").json()
    seen["api typed list"] = report.pk in [item["id"] for item in api_typed["items"]]
    seen["api search"] = bool(client.get(f"/api/v2/pages/?search={SECRET}").json()["items"])
    seen["api detail"] = client.get(f"/api/v2/pages/{report.pk}/").status_code != 404
    seen["api find"] = client.get(f"/api/v2/pages/find/?html_path={public_path}").status_code != 404
    seen["page"] = client.get(public_path).status_code != 404
    return seen


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_report_leaks_nowhere(client, status):
    report, public_path = report_of(status)
    assert report.status == status
    seen = everywhere(client, report, public_path)
    assert not any(seen.values()), {place: shown for place, shown in seen.items() if shown}


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_nor_to_a_second_request_once_cached(client, status):
    # A published report warms the caches; the unpublished one must still not appear in any of them.
    report_of(ReportStatus.PUBLISHED, secret="Published")
    for path in ["/reports/", f"/reports/?q={SECRET}", "/reports/feed/", "/sitemap.xml", "/sitemap-pages.xml"]:
        assert client.get(path).status_code == 200
    report, public_path = report_of(status)
    seen = everywhere(client, report, public_path)
    assert not any(seen.values()), {place: shown for place, shown in seen.items() if shown}


@pytest.mark.parametrize("never_published", ["confidential", "peer review"])
def test_an_accepted_report_that_is_never_published_leaks_nowhere(client, never_published):
    # The whole path to publication; a confidential assessment's report, or a peer review's, stops at accepted.
    kind = {
        "peer review": {"type": AssessmentType.objects.get(slug="peer-review")},
        "confidential": {"confidential": True},
    }
    cast = make_cast(
        **kind[never_published], service=ServiceFactory(name=f"{SECRET} service", description=f"About {SECRET}.")
    )
    report = report_in(ReportStatus.PUBLISHED, cast)
    assert report.status == ReportStatus.ACCEPTED
    report_of(ReportStatus.PUBLISHED, secret="Published")  # so the lists and caches are not simply empty
    seen = everywhere(client, report, report.url_path.removeprefix("/home"))
    assert not any(seen.values()), {place: shown for place, shown in seen.items() if shown}


def test_a_published_report_shows_everywhere(client):
    """The checks above can see a report: a published one is found in every place."""
    report, public_path = report_of(ReportStatus.PUBLISHED)
    seen = everywhere(client, report, public_path)
    assert all(seen.values()), {place: shown for place, shown in seen.items() if not shown}


def test_a_signed_in_person_does_not_see_unpublished_reports_either(client):
    report, public_path = report_of(ReportStatus.SHARED)
    client.force_login(make_cast().assessment_team)
    assert client.get(public_path).status_code == 404
    assert report.pk not in [r.pk for r in client.get("/reports/").context["reports"]]


COMMENT_WORD = "Plughcommentword"  # a word only the panel's comments hold


def test_the_panels_comments_leak_nowhere(client):
    """The panel's comments stay with the panel and the central teams: not on the published page, in the exports,
    the feed, the sitemap or the API, nor on the delivery team's page."""
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)
    thread = comment_add(report=report, user=cast.researcher, text=f"{COMMENT_WORD} on point 6.", point_number=6)
    comment_add(report=report, user=cast.lead, text=f"Reply {COMMENT_WORD}.", parent=thread)
    comment_add(report=report, user=cast.lead, text=f"Whole report {COMMENT_WORD}.")
    for step, who in [("submit", cast.lead), ("check", cast.assessment_team), ("share", cast.assessment_team)]:
        report = transitions.report_transition(report=report, name=step, user=who)
    team = Client()
    team.force_login(cast.product_manager)
    assert COMMENT_WORD not in team.get(f"/team/reports/{report.pk}/").text
    report = transitions.report_transition(report=report, name="accept", user=cast.product_manager)
    assert report.status == ReportStatus.PUBLISHED
    assert COMMENT_WORD not in team.get(f"/team/reports/{report.pk}/").text
    public_path = report.url_path.removeprefix("/home")
    assert report.pk in [r.pk for r in client.get("/reports/").context["reports"]]  # there to be read
    for path in [
        public_path,
        "/reports/",
        "/reports/feed/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/reports/export.csv",
        "/reports/export.json",
        "/api/v2/pages/?type=workflow.ReportPage&fields=*&limit=20",
        f"/api/v2/pages/{report.pk}/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert COMMENT_WORD not in body(response), path
    # Searching for a comment's words finds nothing.
    assert not client.get(f"/reports/?q={COMMENT_WORD}").context["reports"]
    assert not client.get(f"/api/v2/pages/?search={COMMENT_WORD}").json()["items"]


def withdrawn_report():
    report, public_path = report_of(ReportStatus.PUBLISHED)
    team = make_cast().assessment_team
    report = transitions.report_transition(
        report=report, name="withdraw", user=team, comment=f"{SECRET} was withdrawn."
    )
    assert report.status == ReportStatus.WITHDRAWN
    return report, public_path


@pytest.mark.parametrize("warmed", [False, True])
def test_a_withdrawn_report_keeps_its_page_and_leaves_every_list(client, warmed):
    """Withdrawn: its address still answers, with the notice and the reason, and it is in no list, search, feed,
    sitemap, export or API answer, even once the caches had it."""
    if warmed:
        report, public_path = report_of(ReportStatus.PUBLISHED)
        assert all(everywhere(client, report, public_path).values())
        report = transitions.report_transition(
            report=report, name="withdraw", user=make_cast().assessment_team, comment=f"{SECRET} was withdrawn."
        )
    else:
        report_of(ReportStatus.PUBLISHED, secret="Published")  # so the lists and caches are not simply empty
        report, public_path = withdrawn_report()
    seen = everywhere(client, report, public_path)
    assert seen.pop("page") is True
    assert not any(seen.values()), {place: shown for place, shown in seen.items() if shown}
    page = client.get(public_path).text
    assert "This report was withdrawn on" in page and f"{SECRET} was withdrawn." in page
