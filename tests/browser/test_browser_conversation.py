"""The conversation around one report, in a real Chromium, by the people who hold it (issue 15): the panel comments
while drafting, the product manager asks a question that stops the response clock, challenges, the Service
Assessment Plus team arranges and moves a meeting and records what was agreed, the report is accepted, the team asks
the panel for follow-up support, and the service assessment team corrects and then withdraws the published report.

Every email on the way is read from the fake Notify server and each of its links is opened by the person it was sent
to, in their own signed-in browser (the public link by a stranger), and must answer 200 and pass axe."""

import datetime

import pytest
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, rate
from tests.notify_fixtures import running_fake_notify, sent
from workflow import deadlines
from workflow.models import Clarification, ReportPage, ReportStatus
from workflow.services.reports import report_create

from .test_browser_journey import Person
from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AMBER_POINT = 6
LINKS = ("report_link", "public_link", "dashboard_link")


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


def status_of(report) -> str:
    return ReportPage.objects.get(pk=report.pk).status


class Mailbox:
    """Opens every link of every email of a kind, as the person it went to."""

    def __init__(self, server, browser, live_server, people):
        self.server, self.browser, self.live_server = server, browser, live_server
        self.people = {user.email: user for user in people}
        self.sessions: dict[str, Person] = {}
        self.opened: set[str] = set()

    def session(self, address: str) -> Person:
        if address not in self.sessions:
            self.sessions[address] = Person(self.browser, self.live_server, self.people[address])
        return self.sessions[address]

    def follow(self, kind: str, *, to: set[str]) -> list[dict]:
        emails = sent(self.server, kind)
        assert {email["email_address"] for email in emails} == to, kind
        for email in emails:
            for key in LINKS:
                link = email["personalisation"].get(key)
                if not link:
                    continue
                assert link.startswith(self.live_server.url), (kind, link)
                if key == "public_link":
                    page = self.browser.new_page()
                    response = page.goto(link)
                else:
                    page = self.session(email["email_address"]).page
                    response = page.goto(link)
                assert response.status == 200, (kind, email["email_address"], link)
                assert "Sign in" not in page.locator("h1").inner_text(), (kind, link)
                assert axe_violations(page) == [], (kind, link)
                self.opened.add(kind)
        return emails

    def close(self):
        for person in self.sessions.values():
            person.close()


def test_comments_question_challenge_meeting_follow_up_correction_and_withdrawal(browser, live_server, fake_notify):
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment), "g" * 5 + "a" + "g" * 8)
    base = f"/reports/{report.pk}/"
    mail = Mailbox(
        fake_notify,
        browser,
        live_server,
        [cast.lead, cast.researcher, cast.observer, cast.assessment_team, cast.plus, cast.product_manager]
        + [cast.delivery_manager, cast.sro],
    )
    team = {cast.product_manager.email, cast.delivery_manager.email, cast.sro.email}

    # The user researcher comments on the amber point while the panel drafts; the lead reads it, replies and resolves it.
    researcher = Person(browser, live_server, cast.researcher)
    page = researcher.open(f"/assessor{base}points/{AMBER_POINT}/")
    page.locator("form:has(button:text('Add comment')) textarea[name=text]").fill("Did they test with screen readers?")
    researcher.click("Add comment")
    assert "Did they test with screen readers?" in page.content()
    researcher.close()

    lead = Person(browser, live_server, cast.lead)
    page = lead.open(f"/assessor{base}")
    assert "Did they test with screen readers?" in page.content()  # listed as unresolved before submitting
    page = lead.open(f"/assessor{base}points/{AMBER_POINT}/")
    page.locator("textarea[name=text]").last.fill("Yes, in March: I will add it to the report.")
    page.get_by_role("button", name="Reply").first.click()
    page.get_by_role("button", name="Resolve").first.click()
    assert "Resolved" in page.content()
    page = lead.open(f"/assessor{base}")
    lead.click("Submit report")
    assert status_of(report) == ReportStatus.SUBMITTED

    # Checked and shared.
    assessment_team = Person(browser, live_server, cast.assessment_team)
    assessment_team.open(f"/assessment-team{base}")
    assessment_team.click("Mark as checked")
    assessment_team.click("Share with the delivery team")
    assert status_of(report) == ReportStatus.SHARED
    shared_due = ReportPage.objects.get(pk=report.pk).response_due

    # The product manager asks about point 6, which stops the response clock.
    product_manager = Person(browser, live_server, cast.product_manager)
    page = product_manager.open(f"/team{base}")
    product_manager.click("Ask a question about the report")
    page.select_option("select[name=about]", label=f"Point {AMBER_POINT}: {report.ratings.get(number=6).title}")
    page.fill("textarea[name=question]", "What evidence of research with disabled users would the panel accept?")
    product_manager.click("Send your question")
    mail.follow(kinds.CLARIFICATION_ASKED, to={cast.assessment_team.email})
    page = product_manager.open("/team/")
    assert "response clock stopped" in page.content()

    # The report was shared, and the question asked, 3 working days ago (moved back here, as the test cannot wait).
    today = timezone.localdate()
    stopped_on = deadlines.add_working_days(today, -3)
    Clarification.objects.filter(report=report).update(clock_stopped_on=stopped_on)
    ReportPage.objects.filter(pk=report.pk).update(
        shared_at=timezone.make_aware(datetime.datetime.combine(stopped_on, datetime.time(9)))
    )
    page = assessment_team.open(f"/assessment-team{base}")
    page.fill("textarea[name=answer]", "A round with 5 screen reader users, written up in the report's point 6.")
    assessment_team.click("Send the answer")
    moved = deadlines.add_working_days(shared_due, deadlines.working_days_between(stopped_on, today))
    assert ReportPage.objects.get(pk=report.pk).response_due == moved > shared_due
    [answered] = mail.follow(kinds.CLARIFICATION_ANSWERED, to={cast.product_manager.email})
    assert answered["personalisation"]["what_next"] == f"Accept or challenge the report by {moved.day} {moved:%B %Y}."
    page = product_manager.open(f"/team{base}")
    assert "5 screen reader users" in page.content()

    # The product manager challenges; the Plus team and the panel hear of it.
    product_manager.click("Challenge report")
    product_manager.page.fill("textarea[name=reasons]", "Point 6: we tested with screen reader users in March.")
    product_manager.click("Challenge the report")
    assert status_of(report) == ReportStatus.CHALLENGED
    mail.follow(
        kinds.CHALLENGE_RECEIVED, to={cast.plus.email, cast.lead.email, cast.researcher.email, cast.observer.email}
    )
    page = product_manager.open("/team/")
    assert "Challenged: meeting not yet arranged" in page.content()

    # The Plus team arranges the meeting with the lead and the product manager, then moves it.
    plus = Person(browser, live_server, cast.plus)
    year = today.year + 1
    page = plus.open(f"/plus{base}")
    plus.click("Arrange the meeting")
    page.fill("input[name=date_day]", "3")
    page.fill("input[name=date_month]", "12")
    page.fill("input[name=date_year]", str(year))
    page.fill("input[name=time]", "2:30pm")
    page.fill("input[name=place]", "Room 4, 10 South Colonnade")
    page.check(f"input[name=attendees][value='{cast.lead.pk}']")
    page.check(f"input[name=attendees][value='{cast.product_manager.pk}']")
    plus.click("Arrange the meeting")
    [invitation, *_] = mail.follow(kinds.MEETING_INVITATION, to={cast.lead.email, cast.product_manager.email})
    assert invitation["personalisation"]["meeting_time"] == f"3 December {year} at 2:30pm"
    page = product_manager.open("/team/")
    assert "Challenged: meeting on 3 December" in page.content()
    page = plus.open(f"/plus{base}")
    plus.click("Change the meeting")
    page.fill("input[name=time]", "3pm")
    plus.click("Change the meeting")
    [changed, *_] = mail.follow(kinds.MEETING_CHANGED, to={cast.lead.email, cast.product_manager.email})
    assert changed["personalisation"]["meeting_time"] == f"3 December {year} at 3pm"

    # After the meeting the lead adds the March research to point 6.
    page = lead.open(f"/assessor{base}points/{AMBER_POINT}/")
    page.fill("textarea[name=done_well]", "Researched with 5 screen reader users in March.")
    lead.click("Save and continue")

    # The Plus team sees what the panel changed, then records what was agreed.
    page = plus.open(f"/plus{base}")
    assert "Researched with 5 screen reader users in March." in page.content()
    page.fill("textarea[name=outcome]", "The panel keeps point 6 amber and adds the March research.")
    page.fill("textarea[name=agreed_changes]", "Point 6 now records the March research.")
    plus.click("Record agreed changes and send back for checking")
    assert status_of(report) == ReportStatus.SUBMITTED
    mail.follow(kinds.CHALLENGE_RESOLVED, to=team)
    plus.close()

    # Checked and shared again: the team reads the whole thread, then accepts, which publishes the report.
    assessment_team.open(f"/assessment-team{base}")
    assessment_team.click("Mark as checked")
    assessment_team.click("Share with the delivery team")
    page = product_manager.open(f"/team{base}")
    for words in (
        "we tested with screen reader users in March",
        "Room 4, 10 South Colonnade",
        "The panel keeps point 6 amber",
        "Point 6 now records the March research.",
        "What evidence of research with disabled users",
        "5 screen reader users, written up",
    ):
        assert words in page.content(), words
    product_manager.click("Accept report")
    product_manager.click("Accept and publish the report")
    assert status_of(report) == ReportStatus.PUBLISHED

    # The team asks the panel for a workshop about the amber action; the lead arranges it.
    page = product_manager.open(f"/team{base}")
    assert cast.lead.get_full_name() in page.content()  # who was on the panel
    product_manager.click("Ask for a follow-up call or workshop")
    page.locator("input[name=actions]").first.check()
    page.check("input[name=support][value=workshop]")
    page.fill("textarea[name=details]", "A workshop on planning research with disabled users.")
    product_manager.click("Send request")
    mail.follow(kinds.FOLLOW_UP_REQUESTED, to={cast.lead.email, cast.assessment_team.email})
    page = lead.open(f"/assessor{base}")
    page.check("input[name=decision][value=arranged]")
    page.fill("textarea[name=outcome]", "Tuesday 10am, on a call.")
    page.get_by_role("button", name="Record the outcome").first.click()
    mail.follow(kinds.FOLLOW_UP_ANSWERED, to={cast.product_manager.email})
    page = product_manager.open(f"/team{base}")
    assert "Tuesday 10am, on a call." in page.content()
    lead.close()

    # The service assessment team corrects a word in the published report, with a public change note.
    page = assessment_team.open(f"/assessment-team{base}")
    assessment_team.click("Correct this report")
    page.fill(f"textarea[name=point-{AMBER_POINT}-done_well]", "Researched with 6 screen reader users in March.")
    page.fill("textarea[name=note]", "Corrected the number of research participants on point 6.")
    assessment_team.click("Publish the correction")
    [corrected, *_] = mail.follow(kinds.REPORT_CORRECTED, to=team)
    public = browser.new_page()
    public.goto(corrected["personalisation"]["public_link"])
    assert "Researched with 6 screen reader users in March." in public.content()
    assert f"Updated on {today.day} {today:%B %Y}" in public.locator("#updated-on").inner_text()
    assert "Corrected the number of research participants on point 6." in public.content()

    # Then withdraws it with a public reason: the page stays, saying so, and leaves the list.
    page = assessment_team.open(f"/assessment-team{base}")
    assessment_team.click("Withdraw the report")
    page.fill("textarea[name=reason]", "The assessment covered the wrong service.")
    assessment_team.click("Withdraw the report")
    assert status_of(report) == ReportStatus.WITHDRAWN
    [withdrawn, *_] = mail.follow(kinds.REPORT_WITHDRAWN, to=team)
    # A new visitor: the first one's browser may keep the page it read for as long as public pages may be cached.
    public = browser.new_page()
    public.goto(withdrawn["personalisation"]["public_link"])
    assert "This report was withdrawn on" in public.content()
    assert "The assessment covered the wrong service." in public.content()
    public.goto(f"{live_server.url}/reports/")
    assert cast.assessment.service.name not in public.locator("main").inner_text()

    assessment_team.close()
    product_manager.close()
    mail.close()
    assert mail.opened >= {
        kinds.CLARIFICATION_ASKED,
        kinds.CLARIFICATION_ANSWERED,
        kinds.CHALLENGE_RECEIVED,
        kinds.MEETING_INVITATION,
        kinds.MEETING_CHANGED,
        kinds.CHALLENGE_RESOLVED,
        kinds.FOLLOW_UP_REQUESTED,
        kinds.FOLLOW_UP_ANSWERED,
        kinds.REPORT_CORRECTED,
        kinds.REPORT_WITHDRAWN,
    }
