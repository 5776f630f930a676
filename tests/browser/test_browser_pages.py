"""The public pages in a real Chromium: GOV.UK Frontend loads, and axe finds no WCAG 2.2 AA violation."""

import pytest
from django.core.management import call_command

from workflow.models import ReportPage, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Only the violations come back: axe's passes and inapplicable rules, with every node they looked at, made a reply
    # many times larger that the browser had to serialise and the test to parse, on every page of every journey.
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{violation['id']}: {violation['help']}" for violation in results.response["violations"]]


def test_public_pages_use_govuk_frontend_and_pass_axe(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = ReportPage.objects.filter(status=ReportStatus.PUBLISHED).first()

    for path in ["/", "/guidance/", "/reports/", report.url, "/sign-in/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "GDS Transport" in font, (path, font)
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
        assert axe_violations(page) == [], path


def test_an_unpublished_report_is_not_found_in_the_browser(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The demo has two shared reports; neither is published.
    draft = ReportPage.objects.filter(status=ReportStatus.SHARED).first()
    response = page.goto(live_server.url + draft.url_path.removeprefix("/home"))
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
