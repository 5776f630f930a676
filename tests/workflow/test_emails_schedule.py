"""The daily schedule: reminders, overdue notices and feedback requests, each sent once however often it runs."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from notify import kinds
from notify.models import OutboxEmail
from tests.cast import make_cast, report_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow import deadlines
from workflow.models import ReportAction, ReportActionStatus, ReportStatus
from workflow.tasks import send_scheduled_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


ASSESSED_ON = datetime.date(2026, 10, 1)  # the cast's assessment date


def run_schedule(today, capture):
    with capture(execute=True):
        return send_scheduled_reminders(today)


def emails_of(*users):
    return sorted(user.email for user in users)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def test_response_reminder_goes_to_the_managers_three_working_days_before_the_deadline_once(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)
    reminder_day = deadlines.response_reminder_on(report.response_due, 3)

    run_schedule(reminder_day - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.RESPONSE_REMINDER) == []

    run_schedule(reminder_day, django_capture_on_commit_callbacks)
    run_schedule(reminder_day, django_capture_on_commit_callbacks)
    run_schedule(reminder_day + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert addresses(fake_notify, kinds.RESPONSE_REMINDER) == emails_of(cast.product_manager, cast.delivery_manager)
    email = sent(fake_notify, kinds.RESPONSE_REMINDER)[0]
    assert email["personalisation"]["response_deadline"] == long_date(report.response_due)
    assert set(email["personalisation"]) == set(kinds.KINDS[kinds.RESPONSE_REMINDER].personalisation)


def test_overdue_notice_goes_to_the_assessment_team_the_day_after_the_deadline(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    run_schedule(report.response_due, django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.RESPONSE_OVERDUE) == []
    run_schedule(report.response_due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run_schedule(report.response_due + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert addresses(fake_notify, kinds.RESPONSE_OVERDUE) == emails_of(cast.assessment_team)


def test_a_missed_reminder_is_sent_late_but_never_after_the_deadline(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    run_schedule(report.response_due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.RESPONSE_REMINDER) == []
    run_schedule(report.response_due, django_capture_on_commit_callbacks)
    assert len(sent(fake_notify, kinds.RESPONSE_REMINDER)) == 2


def test_no_overdue_notice_once_the_delivery_team_has_responded(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.CHALLENGED, cast)

    run_schedule(report.response_due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent(fake_notify, kinds.RESPONSE_OVERDUE) == []


def test_a_report_not_shared_by_its_share_by_date_is_flagged_to_the_lead_and_the_assessment_team_the_day_after(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report_in(ReportStatus.CHECKED, cast)

    # Shared within 7 days of the assessment is on time: late, as every page says, from the day after.
    run_schedule(ASSESSED_ON + datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.REPORT_NOT_SHARED) == []
    run_schedule(ASSESSED_ON + datetime.timedelta(days=8), django_capture_on_commit_callbacks)
    run_schedule(ASSESSED_ON + datetime.timedelta(days=9), django_capture_on_commit_callbacks)

    assert addresses(fake_notify, kinds.REPORT_NOT_SHARED) == emails_of(cast.lead, cast.assessment_team)
    email = sent(fake_notify, kinds.REPORT_NOT_SHARED)[0]
    assert email["personalisation"]["report_status"] == "Checked"
    assert email["personalisation"]["share_deadline"] == "8 October 2026"


def test_an_assessment_without_a_report_yet_is_flagged_too(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()

    run_schedule(ASSESSED_ON + datetime.timedelta(days=8), django_capture_on_commit_callbacks)

    assert addresses(fake_notify, kinds.REPORT_NOT_SHARED) == emails_of(cast.lead, cast.assessment_team)
    assert sent(fake_notify, kinds.REPORT_NOT_SHARED)[0]["personalisation"]["report_status"] == "Not started"


def test_a_shared_report_is_not_flagged(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report_in(ReportStatus.SHARED, cast)

    run_schedule(ASSESSED_ON + datetime.timedelta(days=8), django_capture_on_commit_callbacks)

    assert sent(fake_notify, kinds.REPORT_NOT_SHARED) == []


def test_feedback_request_goes_to_the_delivery_team_and_panel_the_day_after_the_assessment(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()

    run_schedule(ASSESSED_ON, django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.FEEDBACK_REQUEST) == []
    run_schedule(ASSESSED_ON + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run_schedule(ASSESSED_ON + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert addresses(fake_notify, kinds.FEEDBACK_REQUEST) == emails_of(
        cast.product_manager, cast.delivery_manager, cast.sro, cast.lead, cast.researcher, cast.observer
    )
    # Each person gets their own one-time link to the survey, tied to this assessment.
    from workflow.models import FeedbackInvitation

    for email in sent(fake_notify, kinds.FEEDBACK_REQUEST):
        link = email["personalisation"]["survey_link"]
        invitation = FeedbackInvitation.objects.get(email=email["email_address"], assessment=cast.assessment)
        assert link == f"http://testserver/assessment-feedback/?token={invitation.token}"


def test_a_missed_day_is_caught_up_but_not_for_ever(fake_notify, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_SCHEDULE_CATCH_UP_DAYS = 3
    make_cast()

    run_schedule(ASSESSED_ON + datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.FEEDBACK_REQUEST) == []  # 4 days late: too late
    OutboxEmail.objects.all().delete()
    fake_notify.clear()

    run_schedule(ASSESSED_ON + datetime.timedelta(days=4), django_capture_on_commit_callbacks)
    assert len(sent(fake_notify, kinds.FEEDBACK_REQUEST)) == 6  # 3 days late: still sent


def test_amber_actions_due_in_two_weeks_then_overdue(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.PUBLISHED, cast, letters="gggggagggggggg")
    action = ReportAction.objects.get(rating__report=report)
    due = action.due_date
    assert due == deadlines.amber_actions_due(timezone.localdate(report.accepted_at), 3)

    run_schedule(due - datetime.timedelta(days=15), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.AMBER_ACTIONS_DUE) == []
    run_schedule(due - datetime.timedelta(days=14), django_capture_on_commit_callbacks)
    run_schedule(due - datetime.timedelta(days=13), django_capture_on_commit_callbacks)
    assert addresses(fake_notify, kinds.AMBER_ACTIONS_DUE) == emails_of(
        cast.product_manager, cast.delivery_manager, cast.sro
    )
    email = sent(fake_notify, kinds.AMBER_ACTIONS_DUE)[0]
    assert email["personalisation"]["actions"] == ["Point 6: Fix point 6."]
    assert email["personalisation"]["due_date"] == long_date(due)

    run_schedule(due, django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.AMBER_ACTIONS_OVERDUE) == []
    run_schedule(due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run_schedule(due + datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    assert len(sent(fake_notify, kinds.AMBER_ACTIONS_OVERDUE)) == 3


def test_done_amber_actions_are_not_chased(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.PUBLISHED, cast, letters="gggggagggggggg")
    action = ReportAction.objects.get(rating__report=report)
    action.status = ReportActionStatus.DONE
    action.save()

    run_schedule(action.due_date - datetime.timedelta(days=14), django_capture_on_commit_callbacks)
    run_schedule(action.due_date + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent(fake_notify, kinds.AMBER_ACTIONS_DUE) == sent(fake_notify, kinds.AMBER_ACTIONS_OVERDUE) == []


def test_the_task_accepts_an_iso_date_and_reports_what_it_queued(fake_notify, django_capture_on_commit_callbacks):
    make_cast()

    first = run_schedule("2026-10-02", django_capture_on_commit_callbacks)
    again = run_schedule("2026-10-02", django_capture_on_commit_callbacks)

    assert (first, again) == ("queued=6", "queued=0")


def test_setup_schedules_creates_the_schedules_once(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    Schedule.objects.filter(name="Send due emails").update(minutes=5)
    call_command("setup_schedules")

    schedules = {s.name: s for s in Schedule.objects.all()}
    assert set(schedules) == {"Send due emails", "Send scheduled reminders"}
    assert schedules["Send due emails"].func == "notify.tasks.send_due_emails"
    assert schedules["Send due emails"].minutes == 1
    # Hourly: the task itself waits for 7am UK time (tests/workflow/test_daily_schedule.py).
    assert schedules["Send scheduled reminders"].schedule_type == Schedule.HOURLY
    assert schedules["Send scheduled reminders"].next_run.astimezone(datetime.UTC).minute == 0
