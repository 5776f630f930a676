"""What each dashboard lists and what it leaves out, the deadlines it shows, and that it takes the same number of
queries however many reports there are.

Deadlines are tested through the selectors with a fixed `today`; the pages, which use the real date, are
given deadlines relative to it."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cast import make_cast, report_in
from tests.factories import DeliveryTeamMemberFactory, ServiceFactory
from workflow import deadlines, selectors
from workflow.models import DeliveryTeamRole, Rating, ReportAction, ReportActionStatus, ReportPage
from workflow.services import transitions
from workflow.transitions import ReportTransition

pytestmark = pytest.mark.django_db


def d(year, month, day):
    return datetime.date(year, month, day)


def text(response):
    return html.unescape(response.content.decode())


ASSESSED_ON = datetime.date(2026, 10, 1)


def report_on(service, status, *, date=ASSESSED_ON, letters="gggggagggggggg"):
    """A report for a new assessment of `service`, driven to `status` by its own cast of people."""
    return report_in(status, make_cast(service=service, date=date), letters)


def set_response_due(report, due):
    # The due date is a plain field; only the status is guarded. Setting it here pins the deadline to a known day.
    ReportPage.objects.filter(pk=report.pk).update(response_due=due)


@pytest.fixture
def cast():
    return make_cast()


# --- the delivery team's dashboard -----------------------------------------------------------------


def test_the_delivery_team_sees_its_services_reports_once_shared_and_never_before(cast):
    service = cast.assessment.service
    shown = {status: report_on(service, status) for status in ("shared", "challenged", "published")}
    hidden = [report_on(service, status) for status in ("draft", "submitted", "checked")]
    elsewhere = [report_on(ServiceFactory(), status) for status in ("shared", "published")]

    for user in (cast.product_manager, cast.delivery_manager, cast.sro):
        listed = [row.report.pk for row in selectors.reports_for_delivery_team(user, today=d(2026, 10, 1))]
        assert sorted(listed) == sorted(report.pk for report in shown.values())
        assert listed[0] == shown["shared"].pk  # what needs an answer comes first
        assert not {report.pk for report in hidden + elsewhere} & set(listed)


def test_another_services_delivery_team_sees_none_of_these_reports(cast):
    report_on(cast.assessment.service, "shared")
    assert selectors.reports_for_delivery_team(cast.other_service_product_manager) == []


@pytest.mark.parametrize(
    "today, days_left, overdue, due_today",
    [
        (d(2026, 12, 18), 10, False, False),  # the day it was shared
        (d(2026, 12, 24), 6, False, False),
        (d(2026, 12, 25), 6, False, False),  # Christmas Day is no working day, so no day is lost to it
        (d(2027, 1, 5), 1, False, False),
        (d(2027, 1, 6), 0, False, True),
        (d(2027, 1, 7), -1, True, False),
        (d(2027, 1, 9), -2, True, False),
    ],
)
def test_days_left_to_respond_count_working_days_and_flag_a_missed_deadline(cast, today, days_left, overdue, due_today):
    report = report_on(cast.assessment.service, "shared")
    set_response_due(report, deadlines.response_due(d(2026, 12, 18), 10))
    (row,) = selectors.reports_for_delivery_team(cast.product_manager, today=today)
    assert row.deadline.due == d(2027, 1, 6)
    assert row.deadline.working_days_left == days_left
    assert row.deadline.overdue is overdue
    assert row.deadline.due_today is due_today


def test_a_deadline_missed_on_friday_is_overdue_on_saturday_with_no_working_day_between():
    deadline = selectors.Deadline(due=d(2027, 1, 8), today=d(2027, 1, 9))
    assert deadline.working_days_left == 0
    assert deadline.overdue and not deadline.due_today


def test_only_a_shared_report_has_a_response_deadline(cast):
    service = cast.assessment.service
    report_on(service, "challenged")
    report_on(service, "published")
    rows = selectors.reports_for_delivery_team(cast.product_manager, today=d(2026, 10, 1))
    assert [row.deadline for row in rows] == [None, None]


def test_the_delivery_dashboard_page_shows_days_left_and_overdue(client, cast):
    service = cast.assessment.service
    today = timezone.localdate()
    on_time, late, done = (report_on(service, "shared"), report_on(service, "shared"), report_on(service, "published"))
    set_response_due(on_time, deadlines.add_working_days(today, 3))
    set_response_due(late, today - datetime.timedelta(days=1))
    hidden = report_on(service, "checked")

    client.force_login(cast.delivery_manager)
    response = client.get(reverse("delivery:dashboard"))
    assert response.status_code == 200
    page = text(response)
    assert "3 working days left" in page
    assert "Overdue" in page
    assert "Waiting for your response" in page and "Accepted and published" in page
    for report in (on_time, late, done):
        assert reverse("delivery:report", args=[report.pk]) in page
    assert reverse("delivery:report", args=[hidden.pk]) not in page


def test_one_working_day_left_is_said_in_the_singular(client, cast):
    report = report_on(cast.assessment.service, "shared")
    set_response_due(report, deadlines.add_working_days(timezone.localdate(), 1))
    client.force_login(cast.product_manager)
    assert "1 working day left" in text(client.get(reverse("delivery:dashboard")))


# --- the delivery team's open actions ----------------------------------------------------------


def test_open_actions_come_from_accepted_reports_of_the_delivery_teams_services_only(cast):
    service = cast.assessment.service
    published = report_on(service, "published", letters="gggggagggrgggg")
    report_on(service, "shared", letters="aggggggggggggg")  # not accepted: its actions may still change
    report_on(ServiceFactory(), "published", letters="aggggggggggggg")  # someone else's
    done = ReportAction.objects.create(
        rating=published.ratings.get(number=6), description="Already done.", status=ReportActionStatus.DONE
    )

    rows = selectors.open_actions_for_delivery_team(cast.sro, today=d(2026, 10, 1))
    assert {row.action.rating.report_id for row in rows} == {published.pk}
    assert [row.action.rating.number for row in rows] == [6, 10]  # dated amber first, undated red last
    assert done.pk not in {row.action.pk for row in rows}
    assert selectors.open_actions_for_delivery_team(cast.other_service_product_manager) == []


def test_amber_actions_are_due_three_months_after_acceptance_and_flagged_once_overdue(cast):
    report = report_on(cast.assessment.service, "published", letters="gggggagggrgggg")
    due = deadlines.amber_actions_due(timezone.localdate(report.accepted_at), 3)

    amber, red = selectors.open_actions_for_delivery_team(cast.product_manager, today=due)
    assert (amber.action.rating.rating, amber.due, amber.overdue) == (Rating.AMBER, due, False)
    assert (red.action.rating.rating, red.due, red.overdue) == (Rating.RED, None, False)

    amber, red = selectors.open_actions_for_delivery_team(cast.product_manager, today=due + datetime.timedelta(1))
    assert amber.overdue
    assert not red.overdue  # a red action waits for the reassessment, not for a date


def test_an_amber_action_without_a_recorded_date_is_still_due_on_the_rule(cast):
    report = report_on(cast.assessment.service, "published")
    ReportAction.objects.filter(rating__report=report).update(due_date=None)
    (row,) = selectors.open_actions_for_delivery_team(cast.product_manager, today=d(2026, 10, 1))
    assert row.due == deadlines.amber_actions_due(timezone.localdate(report.accepted_at), 3)


def test_the_delivery_dashboard_page_lists_open_actions_with_due_dates(client, cast):
    report = report_on(cast.assessment.service, "published", letters="gggggagggrgggg")
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    ReportAction.objects.filter(rating__report=report, rating__rating=Rating.AMBER).update(due_date=overdue)
    client.force_login(cast.product_manager)
    page = text(client.get(reverse("delivery:dashboard")))
    assert "Fix point 6." in page and "Fix point 10." in page
    assert overdue.strftime("%-d %B %Y") in page
    assert "Overdue" in page
    assert "Before reassessment" in page


def test_the_delivery_dashboard_takes_the_same_queries_for_many_reports(client, cast, django_assert_max_num_queries):
    service = cast.assessment.service
    pm = cast.product_manager
    client.force_login(pm)
    report_on(service, "published", letters="ggaggagggrgggg")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("delivery:dashboard")).status_code == 200

    # More reports, on more of the person's services, with more actions.
    for _ in range(2):
        other = ServiceFactory()
        DeliveryTeamMemberFactory(service=other, user=pm, role=DeliveryTeamRole.PRODUCT_MANAGER)
        for status in ("shared", "challenged", "published"):
            report_on(other, status, letters="aaggaggggrgggg")
    assert len(selectors.reports_for_delivery_team(pm)) == 7
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("delivery:dashboard"))
    assert response.status_code == 200
    assert len(response.context["actions"]) > 10


# --- the service assessment team's worklist -----------------------------------------------------


def test_the_worklist_sorts_reports_by_what_the_assessment_team_must_do(cast):
    service = cast.assessment.service
    reports = {status: report_on(service, status) for status in ("submitted", "checked", "shared", "challenged")}
    report_on(service, "draft")
    report_on(service, "published")
    worklist = selectors.assessment_team_worklist(d(2026, 10, 2))

    def pks(rows):
        return [row.report.pk for row in rows]

    assert pks(worklist.to_check) == [reports["submitted"].pk]
    assert pks(worklist.to_share) == [reports["checked"].pk]
    assert pks(worklist.awaiting_response) == [reports["shared"].pk]
    assert pks(worklist.challenged) == [reports["challenged"].pk]
    assert worklist.challenged[0].challenge.comment == "We disagree with point 6."


@pytest.mark.parametrize(
    "today, overdue",
    [(d(2026, 10, 7), False), (d(2026, 10, 8), False), (d(2026, 10, 9), True), (d(2027, 1, 1), True)],
)
def test_a_report_to_share_is_overdue_seven_days_after_the_assessment(cast, today, overdue):
    report_on(cast.assessment.service, "checked", date=d(2026, 10, 1))
    (row,) = selectors.assessment_team_worklist(today).to_share
    assert row.deadline.due == d(2026, 10, 8)
    assert row.deadline.overdue is overdue
    # The cast's own assessment, held the same day and never started, is late by the same rule.
    worklist = selectors.assessment_team_worklist(today)
    assert [row.assessment for row in worklist.late_with_panel] == ([cast.assessment] if overdue else [])
    assert worklist.overdue_count == 2 * int(overdue)


@pytest.mark.parametrize("today, overdue", [(d(2027, 1, 6), False), (d(2027, 1, 7), True)])
def test_a_report_waiting_for_the_delivery_team_is_overdue_after_its_response_date(cast, today, overdue):
    report = report_on(cast.assessment.service, "shared")
    set_response_due(report, d(2027, 1, 6))
    (row,) = selectors.assessment_team_worklist(today).awaiting_response
    assert row.deadline.due == d(2027, 1, 6)
    assert row.deadline.overdue is overdue


def test_the_worklist_page_shows_counts_dates_and_overdue_flags(client, cast):
    service = cast.assessment.service
    today = timezone.localdate()
    late = report_on(service, "checked", date=today - datetime.timedelta(days=8))
    on_time = report_on(service, "submitted", date=today)
    shared = report_on(service, "shared")
    set_response_due(shared, deadlines.add_working_days(today, 2))

    client.force_login(cast.assessment_team)
    page = text(client.get(reverse("assessment_team:dashboard")))
    headings = ("To check (1)", "To share (1)", "Waiting for the team's response (1)", "Challenged (0)")
    # The cast's own assessment (1 October 2026) was never started: late, and still with the panel.
    for heading in (*headings, "Late, still with the panel (1)"):
        assert heading in page
    assert deadlines.share_due(late.assessment.date, 7).strftime("%-d %B %Y") in page
    assert deadlines.share_due(on_time.assessment.date, 7).strftime("%-d %B %Y") in page
    assert page.count('govuk-tag--red">Overdue</strong>') == 2
    for report in (late, on_time, shared):
        assert reverse("assessment_team:report", args=[report.pk]) in page


def test_the_worklist_takes_the_same_queries_for_many_reports(client, cast, django_assert_max_num_queries):
    client.force_login(cast.assessment_team)
    report_on(cast.assessment.service, "submitted")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("assessment_team:dashboard")).status_code == 200

    for _ in range(2):
        service = ServiceFactory()
        for status in ("submitted", "checked", "shared", "challenged"):
            report_on(service, status)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("assessment_team:dashboard"))
    worklist = response.context["worklist"]
    assert [len(worklist.to_check), len(worklist.to_share), len(worklist.awaiting_response)] == [3, 2, 2]
    assert len(worklist.challenged) == 2


# --- the Service Assessment Plus team's dashboard ----------------------------------------------


def test_plus_sees_challenged_reports_with_the_reasons_that_stand_now(cast):
    report = report_on(cast.assessment.service, "challenged")
    report_on(cast.assessment.service, "shared")
    report_on(ServiceFactory(), "published")

    # Resolved, shared again and challenged a second time: the second reasons are the ones to resolve.
    report = transitions.report_transition(
        report=report, name=ReportTransition.RESOLVE, user=cast.plus, comment="Point 6 green."
    )
    report = transitions.report_transition(report=report, name=ReportTransition.CHECK, user=cast.assessment_team)
    report = transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)
    transitions.report_transition(
        report=report, name=ReportTransition.CHALLENGE, user=cast.delivery_manager, comment="Point 9 now."
    )

    (row,) = selectors.challenged_reports()
    assert row.report.pk == report.pk
    assert (row.challenge.comment, row.challenge.by) == ("Point 9 now.", cast.delivery_manager)


def test_the_plus_dashboard_page_lists_challenged_reports_with_reasons(client, cast):
    challenged = report_on(cast.assessment.service, "challenged")
    shared = report_on(cast.assessment.service, "shared")
    client.force_login(cast.plus)
    page = text(client.get(reverse("plus:dashboard")))
    assert reverse("plus:report", args=[challenged.pk]) in page
    assert "We disagree with point 6." in page
    assert reverse("plus:report", args=[shared.pk]) not in page


def test_the_plus_dashboard_takes_the_same_queries_for_many_reports(client, cast, django_assert_max_num_queries):
    client.force_login(cast.plus)
    report_on(cast.assessment.service, "challenged")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("plus:dashboard")).status_code == 200
    for _ in range(4):
        report_on(ServiceFactory(), "challenged")
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("plus:dashboard"))
    assert len(response.context["rows"]) == 5


# --- the report pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, url_name",
    [("product_manager", "delivery:report"), ("assessment_team", "assessment_team:report"), ("plus", "plus:report")],
)
def test_report_pages_take_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, who, url_name):
    # Fourteen points, each with actions: the page must not ask for each point's actions in turn.
    report = report_on(cast.assessment.service, "challenged", letters="aaaaaaaaaaaaar")
    client.force_login(getattr(cast, who))
    # The Plus team's page also reads what the panel changed since the challenge: five queries of history, however
    # many points changed. The service assessment team's also lists the delivery team's questions, follow-up requests
    # and corrections: one query each.
    limits = {"plus:report": 16, "assessment_team:report": 14}
    client.get(
        reverse(url_name, args=[report.pk])
    )  # warms the shared caches (the Sites, the restrictions), as a server's are
    with django_assert_max_num_queries(limits.get(url_name, 12)):
        assert client.get(reverse(url_name, args=[report.pk])).status_code == 200


def test_a_published_report_page_for_the_delivery_team_links_to_the_public_page(client, cast):
    report = report_on(cast.assessment.service, "published")
    client.force_login(cast.sro)
    page = text(client.get(reverse("delivery:report", args=[report.pk])))
    assert "View the published report" in page
    assert report.live
