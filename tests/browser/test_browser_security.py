"""The Content Security Policy in a real Chromium: the pages people use load and run GOV.UK Frontend with no
violation of the policy and nothing in the console, and the Wagtail admin works under its own exceptions."""

import pytest

from cms.models import HomePage
from tests.cast import make_cast, report_in
from tests.factories import UserFactory
from workflow.models import ReportStatus

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"

# Runs before any script of the page's own: keeps every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class Watched:
    """A browser tab that keeps the console messages, uncaught errors and CSP violations of each page it opens."""

    def __init__(self, browser, live_server):
        self.context = browser.new_context()
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def open(self, path: str) -> dict:
        self.console.clear()
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        assert self.page.url == self.base + path, f"{path} went to {self.page.url}"
        # Scripts that load more (GOV.UK Frontend's modules, Wagtail's editor) have run by now.
        self.page.wait_for_load_state("networkidle")
        return {
            "policy": response.headers.get("content-security-policy", ""),
            "violations": self.page.evaluate("window.__cspViolations"),
            "console": list(self.console),
        }

    def sign_in(self, user, path: str):
        self.page.goto(self.base + path)
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.locator("form button[type=submit]").first.click()
        self.page.wait_for_load_state("networkidle")
        assert not self.page.url.startswith(self.base + path), "the sign-in did not go through"

    def close(self):
        self.context.close()


def test_public_pages_sign_in_and_an_assessor_form_run_with_no_violation(browser, live_server):
    published = report_in(ReportStatus.PUBLISHED, make_cast())
    panel = make_cast()
    draft = report_in(ReportStatus.DRAFT, panel)
    tab = Watched(browser, live_server)

    for path in ["/", "/reports/", published.url, "/guidance/", "/sign-in/", "/sign-in/link/"]:
        seen = tab.open(path)
        assert "script-src 'self';" in seen["policy"] + ";", path
        assert seen["violations"] == [], path
        assert seen["console"] == [], path
        # init.js ran: GOV.UK Frontend's JavaScript is allowed, from our own origin.
        assert tab.page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path

    tab.sign_in(panel.lead, "/sign-in/")
    for path in ["/assessor/", f"/assessor/reports/{draft.pk}/points/1/"]:
        seen = tab.open(path)
        assert "'unsafe-inline'" not in seen["policy"], path
        assert seen["violations"] == [], path
        assert seen["console"] == [], path
    assert tab.page.locator("form input[name=rating]").count() == 3, "the point's rating radios are there"
    tab.close()


def test_the_wagtail_admin_works_under_its_exceptions(browser, live_server):
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)
    home = HomePage.objects.get()
    tab = Watched(browser, live_server)
    tab.sign_in(cast.assessment_team, "/admin/login/")

    for path in ["/admin/", f"/admin/pages/{home.pk}/edit/", f"/admin/pages/{home.pk}/", "/admin/assessment-reports/"]:
        seen = tab.open(path)
        assert "script-src 'self' 'unsafe-inline'" in seen["policy"], path
        assert "'unsafe-eval'" not in seen["policy"], path
        assert seen["violations"] == [], path
        assert [line for line in seen["console"] if line.startswith(("error", "uncaught"))] == [], path
    seen = tab.open(f"/admin/pages/{home.pk}/edit/")
    assert tab.page.locator(".Draftail-Editor").count() >= 1, "Wagtail's rich text editor started"

    seen = tab.open(f"/admin/assessment-reports/inspect/{report.pk}/")
    assert seen["violations"] == []
    assert [line for line in seen["console"] if line.startswith(("error", "uncaught"))] == []
    assert tab.page.locator("[data-transition=check]").count() == 1
    tab.close()


def test_the_lockout_page_runs_with_no_violation_and_passes_axe(browser, live_server):
    person = UserFactory()
    tab = Watched(browser, live_server)
    tab.page.goto(live_server.url + "/sign-in/")
    for _ in range(5):
        tab.page.fill("input[name=username]", person.username)
        tab.page.fill("input[name=password]", "wrong-password")
        with tab.page.expect_navigation() as navigation:
            tab.page.locator("form button[type=submit]").first.click()
    assert navigation.value.status == 429
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("h1").inner_text() == "You cannot sign in at the moment"
    assert tab.page.evaluate("window.__cspViolations") == []
    assert axe_violations(tab.page) == []
    tab.close()
