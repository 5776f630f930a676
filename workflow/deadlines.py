"""Every deadline of the report process, in one place.

- A report is shared with the delivery team within 7 days of the assessment.
- The team has 10 working days from sharing to accept or challenge it; working days exclude weekends
  and England and Wales bank holidays.
- Amber actions are due 3 calendar months after the report is accepted; the delivery team is reminded 14 days before.
- A deadline is met on its own day and missed from the day after (`is_missed`): every page, list and email that
  calls something late or overdue asks this module.
"""

import datetime
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

SHARE_WITHIN_DAYS = 7
RESPOND_WITHIN_WORKING_DAYS = 10
AMBER_ACTIONS_WITHIN_MONTHS = 3
RESPONSE_REMINDER_WORKING_DAYS_BEFORE = 3
AMBER_ACTIONS_REMINDER_DAYS_BEFORE = 14


@lru_cache(maxsize=64)
def figures() -> dict[str, int]:
    """Every figure above by its name, for templates (workflow.context_processors) and email descriptions."""
    return {name: value for name, value in globals().items() if name.isupper() and isinstance(value, int)}


def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales: without subdiv="ENG" Easter Monday and the summer bank holiday are missing.
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`th working day after `start` (a negative count goes backwards); `start` itself never counts."""
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    day, remaining = start, abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(offset)))


def is_missed(due: datetime.date, today: datetime.date) -> bool:
    # Compared by calendar: on a Saturday a deadline of the Friday before is 0 working days away, yet missed.
    return due < today


def share_due(assessment_date: datetime.date) -> datetime.date:
    return assessment_date + datetime.timedelta(days=SHARE_WITHIN_DAYS)


def share_missed_for_assessments_before(today: datetime.date) -> datetime.date:
    """Assessments held before this date have missed their share-by date on `today`: the same rule as
    `is_missed(share_due(date), today)`, as a date a query can compare with."""
    return today - datetime.timedelta(days=SHARE_WITHIN_DAYS)


def share_missed_from(assessment_date: datetime.date) -> datetime.date:
    """The first day the report of this assessment is late, if it is still not shared."""
    return share_due(assessment_date) + datetime.timedelta(days=1)


def response_due(shared_on: datetime.date) -> datetime.date:
    return add_working_days(shared_on, RESPOND_WITHIN_WORKING_DAYS)


def response_reminder_on(due: datetime.date) -> datetime.date:
    return add_working_days(due, -RESPONSE_REMINDER_WORKING_DAYS_BEFORE)


def amber_actions_due(accepted_on: datetime.date) -> datetime.date:
    return accepted_on + relativedelta(months=AMBER_ACTIONS_WITHIN_MONTHS)


def amber_actions_reminder_on(due: datetime.date) -> datetime.date:
    return due - datetime.timedelta(days=AMBER_ACTIONS_REMINDER_DAYS_BEFORE)
