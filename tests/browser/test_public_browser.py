"""The public reports pages in a real Chromium: axe finds no WCAG 2.2 AA violation, and a keyboard alone
reaches the filters and the first report, and follows it."""

import datetime

import pytest
from django.core.cache import cache

from tests.cast import make_cast, report_in
from tests.factories import DepartmentFactory, ServiceFactory
from workflow.models import Phase, ReportStatus

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reports():
    cache.clear()
    department = DepartmentFactory(name="Department for Testing")
    first = report_in(
        ReportStatus.PUBLISHED,
        make_cast(service=ServiceFactory(name="Renew a permit", department=department), date=datetime.date(2026, 1, 5)),
        "rggggggggggggg",
    )
    second = report_in(
        ReportStatus.PUBLISHED,
        make_cast(
            service=first.assessment.service,
            phase=Phase.ALPHA,
            date=datetime.date(2026, 5, 5),
            follows=first.assessment,
        ),
        "g",
    )
    return first, second


@pytest.mark.parametrize(
    "query",
    ["", "?result=amber&result=green&stage=alpha_reassessment", "?q=permit", "?date_from=31/2/2026&result=purple"],
)
def test_the_reports_list_passes_axe(live_server, page, reports, query):
    response = page.goto(live_server.url + "/reports/" + query)
    assert response.status == 200
    assert "GDS Transport" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert axe_violations(page) == [], query


def test_a_report_page_passes_axe(live_server, page, reports):
    first, second = reports
    for report in (first, second):
        response = page.goto(live_server.url + report.url)
        assert response.status == 200
        assert axe_violations(page) == [], report.url
    assert page.locator("text=Previous assessment reports").count() == 1


def focused(page) -> dict:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return {id: e.id, tag: e.tagName, href: e.getAttribute('href') || '', text: e.innerText || ''}; })()"
    )


def test_keyboard_alone_reaches_the_filters_and_follows_the_first_report(live_server, page, reports):
    first, second = reports
    page.goto(live_server.url + "/reports/")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        element = focused(page)
        seen.append(element)
        if element["href"] == second.url:  # the newest assessment is listed first
            break
    else:
        pytest.fail(f"Tab never reached the first report: {seen}")
    ids = [element["id"] for element in seen]
    assert "id_q" in ids, "Tab passes through the search box"
    assert "id_result_0" in ids, "Tab passes through the filters"
    assert ids.index("id_q") < ids.index("id_result_0")

    # Filter by keyboard: tick "Red" with Space, submit with Enter from the search box.
    page.focus("#id_result_2")
    page.keyboard.press("Space")
    page.focus("#id_q")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/?*result=red*")
    assert page.locator(f'a[href="{first.url}"]').count() == 1
    assert page.locator(f'a[href="{second.url}"]').count() == 0

    # Follow the first report with Enter.
    page.goto(live_server.url + "/reports/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(page)["href"] == second.url:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{second.url}")
    assert page.locator("h1").inner_text() == "Renew a permit"
