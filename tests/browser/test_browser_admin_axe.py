"""The service assessment team's admin pages in a real Chromium: the admin home (the team's dashboard), the insights
page with and without a mistake in its dates, answering a booking request, the reports list and its inspect view,
the lists behind "Your actions" and the audit pass axe (WCAG 2.2 AA)."""

import datetime

import pytest

from tests.cast import make_cast, report_in
from tests.notify_fixtures import running_fake_notify
from workflow.models import Phase, ReportStatus
from workflow.services.booking import booking_request

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def assessment_team_page(browser, live_server, fake_notify):
    """A browser signed in to the Wagtail admin as the service assessment team, with a report of each kind the
    admin home and the insights charts show."""
    cast = make_cast(date=datetime.date(2026, 3, 2))
    report_in(ReportStatus.SHARED, cast, "ragggggggggggg")
    other = make_cast()
    booking = booking_request(service=other.assessment.service, user=other.product_manager, phase=Phase.PRIVATE_BETA)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", cast.assessment_team.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page, live_server.url, booking
    context.close()


def test_the_admin_home_and_insights_pass_axe(assessment_team_page):
    page, base, booking = assessment_team_page
    for path in [
        "/admin/",
        "/admin/insights/?start=2026-03-01&end=2026-03-31",
        "/admin/insights/?start_day=31&start_month=2&start_year=2026&end_day=1&end_month=3&end_year=2026",
        f"/admin/bookings/decide/{booking.pk}/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path


def test_the_insights_header_names_the_page_and_the_period_is_typed_in_boxes(assessment_team_page):
    page, base, _ = assessment_team_page
    page.goto(base + "/admin/insights/?start=2026-03-01&end=2026-03-31")

    assert page.title().startswith("Insights")
    assert page.locator("h1").inner_text().strip() == "Insights"
    assert page.locator('input[type="date"]').count() == 0
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("button", name="Show").click()
    assert "Assessments from 1 February 2026 to 31 March 2026" in page.locator("main").inner_text()


def test_the_reports_list_its_inspect_view_the_your_actions_lists_and_the_audit_pass_axe(assessment_team_page):
    page, base, _ = assessment_team_page
    page.goto(base + "/admin/")
    your_actions = page.eval_on_selector_all("tr:has([data-count]) a", "links => links.map(link => link.href)")
    assert len(your_actions) == 8
    for url in [base + "/admin/assessment-reports/", *your_actions, base + "/admin/audit/"]:
        response = page.goto(url)
        assert response.status == 200, url
        assert axe_violations(page) == [], url

    page.goto(base + "/admin/assessment-reports/")
    page.locator("table.listing tbody tr td a").first.click()
    page.wait_for_url("**/admin/assessment-reports/inspect/**")
    assert axe_violations(page) == [], page.url
