"""The deadlines of the report process, on the dates where they are easiest to get wrong: bank holidays that
fall on weekends, Easter, the May bank holidays, the turn of the year and short months."""

import datetime

import pytest
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in
from workflow import deadlines
from workflow.models import Rating, ReportAction


def d(year, month, day):
    return datetime.date(year, month, day)


# --- working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, why",
    [
        (d(2026, 12, 25), "Christmas Day"),
        (d(2026, 12, 28), "Boxing Day falls on a Saturday in 2026, so the Monday after is the bank holiday"),
        (d(2027, 1, 1), "New Year's Day"),
        (d(2027, 3, 26), "Good Friday"),
        (d(2027, 3, 29), "Easter Monday, a bank holiday in England and Wales only"),
        (d(2027, 5, 3), "Early May bank holiday"),
        (d(2027, 5, 31), "Spring bank holiday"),
        (d(2027, 8, 30), "Summer bank holiday, the last Monday of August in England and Wales"),
        (d(2026, 12, 26), "Saturday"),
        (d(2026, 12, 27), "Sunday"),
    ],
)
def test_weekends_and_england_and_wales_bank_holidays_are_not_working_days(day, why):
    assert not deadlines.is_working_day(day), why


@pytest.mark.parametrize(
    "day, why",
    [
        (d(2026, 11, 30), "St Andrew's Day is a bank holiday in Scotland only"),
        (d(2027, 1, 4), "2 January (substitute day) is a bank holiday in Scotland only"),
        (d(2027, 7, 12), "Battle of the Boyne is a bank holiday in Northern Ireland only"),
        (d(2027, 8, 2), "The summer bank holiday in Scotland is the first Monday of August"),
        (d(2026, 12, 24), "Christmas Eve is a working day"),
        (d(2026, 12, 31), "New Year's Eve is a working day"),
    ],
)
def test_bank_holidays_elsewhere_in_the_uk_are_working_days(day, why):
    assert deadlines.is_working_day(day), why


# --- the response deadline: 10 working days after sharing ----------------------------------------


@pytest.mark.parametrize(
    "shared_on, due, why",
    [
        (d(2026, 10, 5), d(2026, 10, 19), "a Monday, two full working weeks"),
        (d(2026, 10, 9), d(2026, 10, 23), "a Friday: the weekend after does not count"),
        (d(2026, 10, 10), d(2026, 10, 23), "a Saturday: counting starts on the Monday"),
        (d(2026, 12, 18), d(2027, 1, 6), "Friday before Christmas: 25 and 28 December and 1 January excluded"),
        (d(2026, 12, 24), d(2027, 1, 12), "Christmas Eve: the whole holiday season excluded"),
        (d(2027, 3, 25), d(2027, 4, 12), "the day before Good Friday: Good Friday and Easter Monday excluded"),
        (d(2027, 4, 30), d(2027, 5, 17), "the Friday before the early May bank holiday"),
        (d(2027, 5, 21), d(2027, 6, 7), "two Fridays before the spring bank holiday"),
    ],
)
def test_the_delivery_team_has_ten_working_days_from_sharing_to_respond(shared_on, due, why):
    assert deadlines.response_due(shared_on, 10) == due, why


def test_the_response_deadline_excludes_each_holiday_over_christmas_and_new_year():
    shared_on = d(2026, 12, 18)
    due = deadlines.response_due(shared_on, 10)
    days = [shared_on + datetime.timedelta(offset) for offset in range(1, (due - shared_on).days + 1)]
    counted = [day for day in days if deadlines.is_working_day(day)]
    assert len(counted) == 10
    assert counted[-1] == due
    for holiday in (d(2026, 12, 25), d(2026, 12, 28), d(2027, 1, 1)):
        assert holiday in days and holiday not in counted


def test_the_response_deadline_is_always_ten_working_days_on_and_a_working_day():
    day = d(2026, 1, 1)
    while day < d(2028, 1, 1):
        due = deadlines.response_due(day, 10)
        assert deadlines.working_days_between(day, due) == 10, day
        assert deadlines.is_working_day(due), day
        day += datetime.timedelta(days=1)


# --- the reminder: 3 working days before the response is due -------------------------------------


@pytest.mark.parametrize(
    "due, reminder, why",
    [
        (d(2026, 10, 23), d(2026, 10, 20), "a Friday: the Tuesday before"),
        (d(2026, 10, 19), d(2026, 10, 14), "a Monday: the weekend does not count"),
        (d(2027, 1, 6), d(2026, 12, 31), "New Year's Day does not count"),
        (d(2027, 4, 12), d(2027, 4, 7), "the week after Easter"),
        (d(2027, 3, 30), d(2027, 3, 23), "the day after Easter Monday: Good Friday and Easter Monday skipped"),
    ],
)
def test_the_reminder_goes_three_working_days_before_the_deadline(due, reminder, why):
    assert deadlines.response_reminder_on(due, 3) == reminder, why
    assert deadlines.working_days_between(reminder, due) == 3


# --- the share deadline: 7 calendar days after the assessment -------------------------------------


@pytest.mark.parametrize(
    "assessed_on, due",
    [
        (d(2026, 10, 1), d(2026, 10, 8)),
        (d(2026, 10, 9), d(2026, 10, 16)),
        (d(2026, 12, 28), d(2027, 1, 4)),  # calendar days: the bank holidays between still count
        (d(2027, 3, 24), d(2027, 3, 31)),
        (d(2028, 2, 25), d(2028, 3, 3)),  # through a leap day
    ],
)
def test_a_report_is_due_to_be_shared_seven_calendar_days_after_the_assessment(assessed_on, due):
    assert deadlines.share_due(assessed_on, 7) == due


# --- amber actions: 3 calendar months after acceptance --------------------------------------------


@pytest.mark.parametrize(
    "accepted_on, due",
    [
        (d(2026, 10, 15), d(2027, 1, 15)),
        (d(2026, 11, 30), d(2027, 2, 28)),  # February is shorter: its last day
        (d(2027, 11, 30), d(2028, 2, 29)),  # a leap year's last day of February
        (d(2026, 8, 31), d(2026, 11, 30)),  # November has 30 days
        (d(2026, 12, 31), d(2027, 3, 31)),
        (d(2026, 12, 25), d(2027, 3, 25)),  # calendar months: a holiday acceptance date is no different
    ],
)
def test_amber_actions_are_due_three_calendar_months_after_acceptance(accepted_on, due):
    assert deadlines.amber_actions_due(accepted_on, 3) == due


# --- the arithmetic underneath ----------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, days",
    [
        (d(2026, 10, 5), d(2026, 10, 9), 4),  # Monday to Friday: the start never counts, the end does
        (d(2026, 10, 9), d(2026, 10, 5), -4),  # backwards: negative
        (d(2026, 10, 5), d(2026, 10, 5), 0),
        (d(2026, 10, 9), d(2026, 10, 12), 1),  # Friday to Monday
        (d(2026, 10, 10), d(2026, 10, 11), 0),  # Saturday to Sunday
        (d(2026, 10, 10), d(2026, 10, 9), 0),  # Saturday back to Friday: a day late, yet no working day between
        (d(2026, 10, 12), d(2026, 10, 9), -1),  # Monday back to Friday
        (d(2026, 12, 24), d(2026, 12, 29), 1),  # over Christmas only the 29th counts
        (d(2026, 12, 18), d(2027, 1, 6), 10),
    ],
)
def test_working_days_between_counts_after_start_up_to_end_and_is_negative_backwards(start, end, days):
    assert deadlines.working_days_between(start, end) == days


@pytest.mark.parametrize("count", [-15, -3, -1, 0, 1, 3, 10, 25])
@pytest.mark.parametrize("start", [d(2026, 12, 18), d(2026, 12, 24), d(2027, 3, 30), d(2027, 5, 4)])
def test_adding_working_days_and_counting_them_agree_from_a_working_day(start, count):
    end = deadlines.add_working_days(start, count)
    assert deadlines.working_days_between(start, end) == count
    assert deadlines.is_working_day(end)


@pytest.mark.parametrize("count", [1, 3, 10])
@pytest.mark.parametrize("start", [d(2026, 12, 25), d(2027, 3, 26), d(2027, 5, 1)])
def test_counting_forwards_from_a_day_off_agrees_too(start, count):
    # Backwards from a day off it cannot: the count runs up to and including the later day, which is the day off.
    # Nothing counts backwards from a day off: reminders count back from a deadline, always a working day.
    end = deadlines.add_working_days(start, count)
    assert deadlines.working_days_between(start, end) == count


# --- the deadlines the transitions record ------------------------------------------------------


@pytest.mark.django_db
def test_sharing_a_report_sets_its_response_deadline_from_the_day_it_was_shared():
    report = report_in("shared", make_cast())
    assert report.response_due == deadlines.response_due(timezone.localdate(report.shared_at), 10)


@pytest.mark.django_db
def test_accepting_a_report_makes_its_amber_actions_due_in_three_months_and_leaves_red_ones_undated():
    report = report_in("published", make_cast(), letters="gggggagggrgggg")
    due = deadlines.amber_actions_due(timezone.localdate(report.accepted_at), 3)
    actions = ReportAction.objects.filter(rating__report=report).select_related("rating")
    assert {action.rating.rating: action.due_date for action in actions} == {Rating.AMBER: due, Rating.RED: None}


@pytest.mark.django_db
def test_the_email_descriptions_say_the_figures_in_force():
    """check_notify_templates and the Notify templates' help in the admin describe each email with the figures the
    schedule uses, filled in from the team's policy figures, never typed into the catalogue
    (tests/workflow/test_policy_figures.py changes one)."""
    assert all("{" not in kind.when for kind in kinds.KINDS.values())
    assert not any(char.isdigit() for kind in kinds.KINDS.values() for char in kind.trigger)
    assert "3 working days before" in kinds.KINDS[kinds.RESPONSE_REMINDER].when
    assert "14 days before open amber actions are due" in kinds.KINDS[kinds.AMBER_ACTIONS_DUE].when
