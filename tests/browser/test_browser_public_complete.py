"""The guidance, the footer's pages and a report page with its summary of ratings in a real Chromium: axe finds no
WCAG 2.2 AA violation, the footer and banner links lead to real pages, and a rating in the summary jumps to its
point."""

import datetime

import pytest
from django.core.cache import cache

from tests.cast import make_cast, report_in
from tests.factories import DepartmentFactory, ServiceFactory
from workflow.models import Phase, ReportStatus

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTENT_PAGES = {
    "/guidance/": "Guidance",
    "/guidance/service-assessments/": "Service assessments",
    "/guidance/writing-an-assessment-report/": "Writing an assessment report",
    "/accessibility-statement/": "Accessibility statement",
    "/privacy-notice/": "Privacy notice",
    "/cookies/": "Cookies",
    "/feedback/": "Give feedback on this service",
}


@pytest.fixture
def report():
    cache.clear()
    return report_in(
        ReportStatus.PUBLISHED,
        make_cast(
            service=ServiceFactory(name="Renew a permit", department=DepartmentFactory(name="Department for Testing")),
            phase=Phase.PUBLIC_BETA,
            date=datetime.date(2026, 1, 5),
        ),
        "rggggaggggggga",
    )


@pytest.mark.parametrize(("path", "heading"), CONTENT_PAGES.items())
def test_the_guidance_and_footer_pages_pass_axe(live_server, page, path, heading):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.locator("h1").inner_text() == heading
    assert "GDS Transport" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert axe_violations(page) == [], path


def test_the_guidance_index_leads_to_both_guides(live_server, page):
    page.goto(live_server.url + "/guidance/")
    page.get_by_role("link", name="Writing an assessment report").click()
    page.wait_for_url("**/guidance/writing-an-assessment-report/")
    assert page.get_by_role("heading", name="Give the overall rating").is_visible()
    page.goto(live_server.url + "/guidance/")
    page.get_by_role("link", name="Service assessments").click()
    page.wait_for_url("**/guidance/service-assessments/")
    assert page.get_by_role("heading", name="Accept or challenge the report").is_visible()


def test_the_footer_and_phase_banner_links_lead_to_their_pages(live_server, page, report):
    for name, heading in [
        ("Accessibility statement", "Accessibility statement"),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
    ]:
        page.goto(live_server.url + report.url)
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == heading
    page.goto(live_server.url + "/reports/")
    page.locator(".govuk-phase-banner").get_by_role("link", name="give your feedback").click()
    page.wait_for_url("**/feedback/")
    assert page.locator("h1").inner_text() == "Give feedback on this service"


def test_a_report_page_with_its_summary_of_ratings_passes_axe_and_each_rating_jumps_to_its_point(
    live_server, page, report
):
    response = page.goto(live_server.url + report.url)
    assert response.status == 200
    assert axe_violations(page) == []

    table = page.locator("table.app-ratings-summary")
    assert table.locator("tbody tr").count() == 14
    # The summary is near the top: a reader sees it without scrolling far.
    assert table.bounding_box()["y"] < 1500
    assert table.locator("tbody tr").nth(5).locator("td").inner_text() == "Amber"

    table.get_by_role("link", name="6. Have a multidisciplinary team").click()
    page.wait_for_url("**#point-6")
    top = page.evaluate("document.getElementById('point-6').getBoundingClientRect().top")
    assert 0 <= top < 50  # scrolled to the point's heading
    assert page.locator("#point-6").inner_text() == "6. Have a multidisciplinary team"


def test_the_reports_list_search_button_and_date_errors_pass_axe(live_server, page, report):
    page.goto(live_server.url + "/reports/")
    page.fill("#id_q", "permit")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/reports/?*q=permit*")
    assert page.locator(f'a[href="{report.url}"]').count() == 1

    page.goto(live_server.url + "/reports/?date_from_day=31&date_from_month=2&date_from_year=2026")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_date_from_0"
