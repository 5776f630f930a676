"""The whole life of a report, in a real Chromium, by the people who do each step: the panel writes and
submits it, the service assessment team checks and shares it, the delivery team challenges it, the
Service Assessment Plus team records the agreed changes, the team checks and shares it again, the
delivery team accepts it, and the public reads it. Every page on the way must pass axe."""

import pytest

from tests.cast import make_cast
from tests.notify_fixtures import running_fake_notify, sent
from workflow.models import ReportPage, ReportStatus
from workflow.services.reports import report_create

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"
AMBER_POINT = 6


class Person:
    """One person's browser session."""

    def __init__(self, browser, live_server, user):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base = live_server.url
        self.page.goto(f"{self.base}/sign-in/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()

    def open(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        assert axe_violations(self.page) == [], path
        return self.page

    def click(self, name: str):
        # GOV.UK "start" actions that lead to a confirmation page are links styled as buttons.
        self.page.get_by_role("button", name=name).or_(self.page.get_by_role("link", name=name)).first.click()
        assert axe_violations(self.page) == [], name

    def close(self):
        self.context.close()


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


def status_of(report) -> str:
    return ReportPage.objects.get(pk=report.pk).status


def test_a_report_from_draft_to_published(browser, live_server, fake_notify):
    cast = make_cast()
    report = report_create(assessment=cast.assessment)
    service = cast.assessment.service.name

    # The lead assessor rates every point, with an action on the amber one, then submits.
    lead = Person(browser, live_server, cast.lead)
    page = lead.open("/assessor/")
    assert service in page.content()
    page = lead.open(f"/assessor/reports/{report.pk}/points/1/")
    for number in range(1, 15):
        assert f"{number}." in page.locator("h1").inner_text()
        rating = "amber" if number == AMBER_POINT else "green"
        page.check(f"input[name=rating][value={rating}]")
        page.fill("textarea[name=done_well]", f"Clear evidence for point {number}.")
        if number == AMBER_POINT:
            page.fill("textarea[name=to_improve]", "Test with users of assistive technology.")
            lead.click("Add an action")
            page.fill("textarea[name=description]", "Run a round of research with disabled users.")
            lead.click("Save action")
            assert "Run a round of research with disabled users." in page.content()
        lead.click("Save and continue")
    page = lead.open(f"/assessor/reports/{report.pk}/overall/")
    assert page.locator("input[name=overall_rating][value=amber]").is_checked()
    lead.click("Save and return to overview")
    lead.click("Submit report")
    assert status_of(report) == ReportStatus.SUBMITTED
    lead.close()

    # The service assessment team checks and shares it.
    assessment_team = Person(browser, live_server, cast.assessment_team)
    page = assessment_team.open("/assessment-team/")
    assert service in page.content()
    assessment_team.open(f"/assessment-team/reports/{report.pk}/")
    assessment_team.click("Mark as checked")
    assessment_team.click("Share with the delivery team")
    assert status_of(report) == ReportStatus.SHARED

    # The product manager follows the link in the email Notify sent them, and challenges the report.
    shared_email = next(
        email for email in sent(fake_notify, "report_shared") if email["email_address"] == cast.product_manager.email
    )
    product_manager = Person(browser, live_server, cast.product_manager)
    page = product_manager.open("/team/")
    assert "working days left" in page.content()
    product_manager.open(shared_email["personalisation"]["report_link"].removeprefix(live_server.url))
    product_manager.click("Challenge report")
    product_manager.page.fill("textarea[name=reasons]", "Point 6: we tested with screen reader users in March.")
    product_manager.click("Challenge the report")
    assert status_of(report) == ReportStatus.CHALLENGED

    # The Plus team records what the meeting with the panel agreed.
    plus = Person(browser, live_server, cast.plus)
    page = plus.open("/plus/")
    assert "screen reader users in March" in page.content()
    plus.open(f"/plus/reports/{report.pk}/")
    plus.page.fill("textarea[name=outcome]", "The panel accepts the March research as evidence.")
    plus.page.fill("textarea[name=agreed_changes]", "The panel will add the March research to point 6.")
    plus.click("Record agreed changes and send back for checking")
    assert status_of(report) == ReportStatus.SUBMITTED
    plus.close()

    # Checked and shared again, then accepted, which publishes it.
    assessment_team.open(f"/assessment-team/reports/{report.pk}/")
    assessment_team.click("Mark as checked")
    assessment_team.click("Share with the delivery team")
    page = assessment_team.open(f"/assessment-team/reports/{report.pk}/")
    assessment_team.close()

    product_manager.open(f"/team/reports/{report.pk}/")
    product_manager.click("Accept report")
    product_manager.click("Accept and publish the report")
    assert status_of(report) == ReportStatus.PUBLISHED
    product_manager.close()

    transitions = list(ReportPage.objects.get(pk=report.pk).status_changes.values_list("transition", flat=True))
    assert transitions == ["submit", "check", "share", "challenge", "resolve", "check", "share", "accept", "publish"]

    # The public reads it, and the team and panel were told where.
    published_to = {email["email_address"] for email in sent(fake_notify, "report_published")}
    assert {cast.product_manager.email, cast.lead.email} <= published_to
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/reports/")
    public.get_by_role("link", name=service).click()
    assert public.locator("h1").inner_text() == service
    assert "Run a round of research with disabled users." in public.content()
    assert "Amber" in public.locator(f"#point-{AMBER_POINT} ~ p").first.inner_text()
    assert axe_violations(public) == []
