"""The report form's new states in a real Chromium, each passing axe: the point page with its guidance and the warning
after "Save and continue", the action form's GOV.UK date input (typed, refused, then saved), an action someone else
removed, the overview marking a point still short of an action, and the check page showing both ratings and the
lead's reason."""

import pytest

from tests.cast import make_cast, rate
from workflow.models import PointRating, Rating, ReportAction, ReportPage, ReportStatus
from workflow.services.reports import report_create

from .test_browser_journey import Person
from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_point_page_and_the_action_form_in_the_browser(browser, live_server):
    cast = make_cast()
    report = report_create(assessment=cast.assessment)
    lead = Person(browser, live_server, cast.lead)
    page = lead.open(f"/assessor/reports/{report.pk}/points/3/")
    guidance_links = page.locator("aside a")
    assert guidance_links.count() >= 2
    for index in range(guidance_links.count()):
        assert "govuk-link" in guidance_links.nth(index).get_attribute("class")

    # Save and continue past an amber point without an action: the next page says what is still needed.
    page.check("input[name=rating][value=amber]")
    lead.click("Save and continue")
    assert "/points/4/" in page.url
    assert (
        "Point 3 is rated amber, so it still needs at least one action"
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # The overview marks point 3.
    page = lead.open(f"/assessor/reports/{report.pk}/")
    assert "No actions yet: amber points need at least one" in page.locator("#point-3-hint").inner_text()

    # The action form: a due date that is not a real one is refused, the words kept; then saved.
    page = lead.open(f"/assessor/reports/{report.pk}/points/3/actions/add/")
    assert page.locator("input[type=date]").count() == 0
    page.fill("textarea[name=description]", "Test the journey with screen reader users.")
    page.fill("input[name=due_date_day]", "31")
    page.fill("input[name=due_date_month]", "2")
    page.fill("input[name=due_date_year]", "2027")
    lead.click("Save action")
    assert "Due date must be a real date" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("textarea[name=description]").input_value() == "Test the journey with screen reader users."
    page.locator(".govuk-error-summary a").click()
    assert page.evaluate("document.activeElement.name") == "due_date_day"
    page.fill("input[name=due_date_day]", "28")
    lead.click("Save action")
    action = ReportAction.objects.get(rating__report=report)
    assert (action.description, str(action.due_date)) == ("Test the journey with screen reader users.", "2027-02-28")
    assert "Due 28 February 2027" in page.content()
    assert axe_violations(page) == []

    # Someone else removes it while the lead is changing it: the words stay, to add as a new action.
    page = lead.open(f"/assessor/reports/{report.pk}/actions/{action.pk}/edit/")
    page.fill("textarea[name=description]", "Test with screen reader and magnifier users.")
    ReportAction.objects.filter(pk=action.pk).delete()
    lead.click("Save action")
    assert (
        "Someone else removed this action while you were editing it."
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.locator("textarea[name=description]").input_value() == "Test with screen reader and magnifier users."
    lead.click("Add as a new action")
    assert ReportAction.objects.get(rating__report=report).description == "Test with screen reader and magnifier users."
    lead.close()


def test_the_check_page_in_the_browser(browser, live_server):
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment), "gggggagggggggg")
    lead = Person(browser, live_server, cast.lead)
    page = lead.open(f"/assessor/reports/{report.pk}/overall/")
    page.check("input[name=overall_rating][value=green]")
    page.fill("textarea[name=reason]", "Point 6 is nearly met.")
    lead.click("Save and return to overview")
    lead.click("Submit report")
    report = ReportPage.objects.get(pk=report.pk)
    assert (report.status, report.overall_rating) == (ReportStatus.SUBMITTED, Rating.GREEN)
    assert PointRating.objects.get(report=report, number=6).rating == Rating.AMBER
    lead.close()

    assessment_team = Person(browser, live_server, cast.assessment_team)
    page = assessment_team.open(f"/assessment-team/reports/{report.pk}/")
    assert page.locator("#suggested-rating dd").inner_text() == "Amber"
    assert page.locator("#lead-rating dd").inner_text() == "Green"
    assert page.locator("#lead-reason dd").inner_text() == "Point 6 is nearly met."
    assessment_team.close()
