"""The daily reminders go out at 7am UK time in winter (GMT) and summer (BST) alike, and on the days the clocks
change: the schedule runs the task every hour, and the task writes the day's emails from the first run at or after
7am UK time; later runs that day write nothing more (each email's idempotency key)."""

import datetime

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from notify import kinds
from notify.models import OutboxEmail
from tests.cast import make_cast
from workflow.tasks import reminders_day, send_scheduled_reminders

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def utc(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    "now, day",
    [
        # Winter: UK time is UTC.
        (utc(2026, 12, 1, 6, 59), None),
        (utc(2026, 12, 1, 7, 0), datetime.date(2026, 12, 1)),
        # Summer: UK time is UTC+1, so 7am UK time is 6am UTC.
        (utc(2027, 7, 1, 5, 59), None),
        (utc(2027, 7, 1, 6, 0), datetime.date(2027, 7, 1)),
        # Just before midnight UTC in summer is already the next day in the UK, after midnight and before 7am.
        (utc(2027, 7, 1, 23, 30), None),
        (utc(2027, 7, 2, 6, 0), datetime.date(2027, 7, 2)),
    ],
)
def test_the_day_of_reminders_starts_at_7am_uk_time(now, day):
    assert reminders_day(now) == day


@pytest.mark.parametrize(
    "day, first_utc_hour",
    [
        (datetime.date(2026, 12, 1), 7),  # winter
        (datetime.date(2027, 7, 1), 6),  # summer
        (datetime.date(2027, 3, 28), 6),  # the clocks went forward at 1am UTC
        (datetime.date(2026, 10, 25), 7),  # the clocks went back at 1am UTC
    ],
)
def test_hourly_runs_send_the_days_emails_once_at_7am_uk_time(day, first_utc_hour):
    # Feedback requests fall due the day after the assessment.
    cast = make_cast(date=day - datetime.timedelta(days=1))
    people = {cast.lead, cast.researcher, cast.observer, cast.product_manager, cast.delivery_manager, cast.sro}

    written_at = {}
    for hour in range(24):
        now = datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)
        result = send_scheduled_reminders(now=now)
        written_at[hour] = OutboxEmail.objects.filter(kind=kinds.FEEDBACK_REQUEST).count()
        if hour < first_utc_hour:
            assert result == "not yet 7am UK time", hour

    assert all(written_at[hour] == 0 for hour in range(first_utc_hour))
    assert all(written_at[hour] == len(people) for hour in range(first_utc_hour, 24))
    assert sorted(OutboxEmail.objects.values_list("email_address", flat=True)) == sorted(p.email for p in people)


def test_a_day_given_outright_is_sent_at_once_whatever_the_hour():
    # As the command line or a test passes it: the day is chosen, so there is nothing to wait for.
    make_cast(date=datetime.date(2026, 12, 1))
    assert send_scheduled_reminders("2026-12-02", now=utc(2026, 12, 2, 3)) == "queued=6"
    assert set(OutboxEmail.objects.values_list("kind", flat=True)) == {kinds.FEEDBACK_REQUEST}


def test_the_schedule_is_hourly_on_the_hour_and_an_old_daily_one_is_moved_over():
    Schedule.objects.create(
        name="Send scheduled reminders",
        func="workflow.tasks.send_scheduled_reminders",
        schedule_type=Schedule.DAILY,
        next_run=utc(2026, 12, 2, 8),  # an old daily schedule, an hour late after the clocks changed
        repeats=-1,
    )
    call_command("setup_schedules")
    schedule = Schedule.objects.get(name="Send scheduled reminders")
    assert schedule.schedule_type == Schedule.HOURLY
    assert schedule.next_run.astimezone(UTC).minute == 0
    assert schedule.next_run <= datetime.datetime.now(UTC) + datetime.timedelta(hours=1)
    # django-q2 moves an hourly schedule on by an hour, across a change of the clocks too.
    clocks_forward = utc(2027, 3, 28, 0)
    assert schedule.calculate_next_run(clocks_forward) == utc(2027, 3, 28, 1)
