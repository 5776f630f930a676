"""After the report, in a real Chromium (issue 16): a service's alpha report has an amber point (6) and a red one (11).
The product manager records evidence on the amber action, the lead assessor asks for more, then the team marks it
ready; the team books an amber evidence review, whose panel reads the evidence and rates point 6 green, closing the
amber action; booking the next phase is refused while point 11 is red; a reassessment rates point 11 green, closing
its red action; then the next phase is booked and accepted. The service's record page is read at each step, and
every email's links are opened by the person it went to."""

import pytest

from notify import kinds
from tests.cast import make_cast, report_in
from tests.notify_fixtures import running_fake_notify
from workflow.models import Assessment, ReportAction, ReportActionStatus, ReportPage, ReportStatus

from .test_browser_conversation import Mailbox
from .test_browser_journey import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AMBER, RED = 6, 11


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


def action_on(report, number) -> ReportAction:
    return ReportAction.objects.get(rating__report=report, rating__number=number)


def book(person: Person, service, kind_label: str, phase_label: str):
    page = person.open("/bookings/new/")
    page.get_by_label(service.name).check()
    page.get_by_label(kind_label, exact=True).check()
    page.get_by_label(phase_label, exact=True).check()
    person.click("Send request")
    return page


def accept_booking(mail: Mailbox, admin: Person, lead, day: str):
    """The service assessment team follows the email of the latest booking request to the admin and accepts it, with
    the lead assessor on the panel."""
    received = mail.follow(kinds.BOOKING_RECEIVED, to={admin_email(admin)})
    page = admin.page
    page.goto(received[-1]["personalisation"]["booking_link"])
    page.get_by_label("Accept").check()
    page.fill("input[name=date_day]", day)
    page.fill("input[name=date_month]", "1")
    page.fill("input[name=date_year]", "2027")
    page.locator("main select").first.select_option(label=lead.get_username())
    page.get_by_role("button", name="Save the answer").click()
    assert "is booked" in page.locator("main").inner_text()


def admin_email(admin: Person) -> str:
    return admin.user.email


def rate_and_submit(lead: Person, report, number: int, words: str):
    page = lead.open(f"/assessor/reports/{report.pk}/points/{number}/")
    page.check("input[name=rating][value=green]")
    page.fill("textarea[name=done_well]", words)
    lead.click("Save and continue")
    page = lead.open(f"/assessor/reports/{report.pk}/overall/")
    page.check("input[name=overall_rating][value=green]")
    lead.click("Save and return to overview")
    lead.click("Submit report")
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def check_share_accept(team: Person, product_manager: Person, report):
    team.open(f"/assessment-team/reports/{report.pk}/")
    team.click("Mark as checked")
    team.click("Share with the delivery team")
    product_manager.open(f"/team/reports/{report.pk}/")
    product_manager.click("Accept report")
    product_manager.click("Accept and publish the report")
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.PUBLISHED


def test_evidence_review_amber_evidence_review_refused_booking_reassessment_and_next_phase(
    browser, live_server, fake_notify
):
    cast = make_cast()
    service = cast.assessment.service
    alpha = report_in(ReportStatus.PUBLISHED, cast, letters="g" * 5 + "a" + "g" * 4 + "r" + "g" * 3)
    amber_action, red_action = action_on(alpha, AMBER), action_on(alpha, RED)
    mail = Mailbox(fake_notify, browser, live_server, [cast.lead, cast.assessment_team, cast.product_manager])
    mail.people.update({user.email: user for user in (cast.delivery_manager, cast.sro, cast.researcher, cast.observer)})
    team_emails = {cast.product_manager.email, cast.delivery_manager.email, cast.sro.email}
    record = f"/services/{service.pk}/"

    product_manager = Person(browser, live_server, cast.product_manager)
    page = product_manager.open(record)
    assert "Red" in page.locator("main").inner_text()
    assert amber_action.description in page.content()

    # The team records evidence on the amber action and asks for a review; the lead asks for more.
    page = product_manager.open(f"/team/reports/{alpha.pk}/actions/{amber_action.pk}/")
    page.fill("textarea[name=text]", "We tested with 5 screen reader users: https://example.gov.uk/research-round-3")
    page.check("input[name=ready_for_review]")
    product_manager.click("Save")
    mail.follow(kinds.ACTION_READY_FOR_REVIEW, to={cast.lead.email, cast.assessment_team.email})
    lead = mail.session(cast.lead.email)
    page = lead.open(f"/assessor/reports/{alpha.pk}/")
    assert "research-round-3" in page.content()
    page.check(f"#action-{amber_action.pk} input[name=decision][value=more_needed]")
    page.fill(f"#action-{amber_action.pk} textarea[name=comment]", "Say what you changed after the research.")
    page.get_by_role("button", name="Send your review").first.click()
    [more] = mail.follow(kinds.ACTION_REVIEWED, to=team_emails)[:1]
    assert "Say what you changed" in more["personalisation"]["comment"]

    page = product_manager.open(f"/team/reports/{alpha.pk}/actions/{amber_action.pk}/")
    page.fill("textarea[name=text]", "We fixed the focus order and the error messages the research found.")
    page.check("input[name=ready_for_review]")
    product_manager.click("Save")
    page = product_manager.open(record)
    assert "ready for review" in page.locator("main").inner_text().lower()

    # Every amber action has evidence: the team books an amber evidence review, which the team accepts.
    book(product_manager, service, "Amber evidence review", "Alpha")
    assert "Your request has been sent" in product_manager.page.content(), product_manager.page.content()[:2000]
    admin = Person(browser, live_server, cast.assessment_team)
    admin.user = cast.assessment_team
    accept_booking(mail, admin, cast.lead, "11")
    review = Assessment.objects.filter(service=service, follows=cast.assessment).latest("pk")
    review_report = ReportPage.objects.get(assessment=review)

    # Its panel reads the evidence beside the amber action and rates point 6 green.
    page = lead.open(f"/assessor/reports/{review_report.pk}/points/{AMBER}/")
    assert "We fixed the focus order" in page.content()
    rate_and_submit(lead, review_report, AMBER, "The research and the fixes meet the standard.")
    check_share_accept(admin, product_manager, review_report)
    assert action_on(alpha, AMBER).status == ReportActionStatus.DONE
    assert action_on(alpha, AMBER).closed_by_report_id == review_report.pk
    page = product_manager.open(record)
    assert review.stage_name in page.locator("main").inner_text()

    # Point 11 is still red: the next phase is refused, naming the point and linking to it.
    page = book(product_manager, service, "Service assessment", "Private beta")
    summary = page.locator(".govuk-error-summary")
    assert "11" in summary.inner_text()
    assert summary.locator(f"a[href$='#point-{RED}']").count() >= 1
    page = product_manager.open(record)
    assert "11" in page.locator("main").inner_text()

    # A reassessment rates point 11 green, closing its red action.
    book(product_manager, service, "Reassessment", "Alpha")
    assert "Your request has been sent" in product_manager.page.content()
    accept_booking(mail, admin, cast.lead, "18")
    reassessment = Assessment.objects.filter(service=service).latest("pk")
    reassessment_report = ReportPage.objects.get(assessment=reassessment)
    page = lead.open(f"/assessor/reports/{reassessment_report.pk}/points/{RED}/")
    assert red_action.description in page.content()
    rate_and_submit(lead, reassessment_report, RED, "The team fixed the data protection gaps.")
    check_share_accept(admin, product_manager, reassessment_report)
    assert action_on(alpha, RED).status == ReportActionStatus.DONE

    # Now the next phase is booked, and accepted.
    book(product_manager, service, "Service assessment", "Private beta")
    assert "Your request has been sent" in product_manager.page.content()
    accept_booking(mail, admin, cast.lead, "25")
    beta = Assessment.objects.filter(service=service).latest("pk")
    assert beta.phase == "private_beta"
    page = product_manager.open(record)
    assert beta.stage_name in page.locator("main").inner_text()

    assert kinds.ACTION_REVIEWED in mail.opened and kinds.ACTION_READY_FOR_REVIEW in mail.opened
    product_manager.close()
    admin.close()
    mail.close()
