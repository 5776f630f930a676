"""Every deadline of the report process, in one place.

The figures are the service assessment team's to set, in the admin's Settings > Policy figures (`in_force`). With
their defaults:

- A report is shared with the delivery team within 7 days of the assessment.
- The team has 10 working days from sharing to accept or challenge it, and is reminded 3 working days before the
  deadline; working days exclude weekends and England and Wales bank holidays.
- Amber actions are due 3 calendar months after the report is accepted; the delivery team is reminded 14 days before.
- Each deadline keeps the figures in force when its clock started, stored beside what it times: the assessment's
  when it was booked, the report's response figures when it was shared, its amber actions' when it was accepted. So
  a change of figure applies to clocks started after it and never moves a deadline already running.
- While a question the delivery team asked about its shared report is open, its response clock stands still: once
  the last open question is answered, the response deadline moves later by the working days after the clock stopped
  up to and including the answering day (asked and answered the same day moves nothing), and is stored so that
  every page and the reminder and overdue emails follow it. While stopped, no reminder or overdue email goes, and
  the deadline is missed only if it was missed before the clock stopped (`response_clock_stopped_on`,
  `response_due_restarted`).
- A deadline is met on its own day and missed from the day after (`is_missed`): every page, list and email that
  calls something late or overdue asks this module.
"""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, fields

import holidays
from dateutil.relativedelta import relativedelta
from django.db.models import DateField, F, Func


@dataclass(frozen=True)
class Figures:
    share_within_days: int = 7
    respond_within_working_days: int = 10
    response_reminder_working_days_before: int = 3
    amber_actions_within_months: int = 3
    amber_actions_reminder_days_before: int = 14

    def by_name(self) -> dict[str, int]:
        """Each figure under the name that pages (`{{ deadlines.SHARE_WITHIN_DAYS }}`), the emails' descriptions and
        the team's own text in the CMS (`{SHARE_WITHIN_DAYS}`) call it by."""
        return {field.name.upper(): getattr(self, field.name) for field in fields(self)}


DEFAULTS = Figures()


def in_force(request=None) -> Figures:
    """The figures as the team has set them now. Read afresh each time, so a change applies to the very next clock;
    given the request, once for the whole request."""
    # Imported when asked: workflow.models uses the rules below.
    from workflow.models import PolicyFigures

    setting = PolicyFigures.load(request)
    return Figures(**{field.name: getattr(setting, field.name) for field in fields(Figures)})


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # Worked out once a year per process: `holidays` builds a whole calendar each time it is asked, which made every
    # working day counted cost milliseconds (insights counts the days of every report in the period).
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


def missed_from(due: datetime.date) -> datetime.date:
    """The first day `is_missed(due, day)`: when the emails that say something is late go."""
    return due + datetime.timedelta(days=1)


def share_due(assessment_date: datetime.date, within_days: int) -> datetime.date:
    return assessment_date + datetime.timedelta(days=within_days)


def response_due(shared_on: datetime.date, within_working_days: int) -> datetime.date:
    return add_working_days(shared_on, within_working_days)


def response_reminder_on(due: datetime.date, working_days_before: int) -> datetime.date:
    return add_working_days(due, -working_days_before)


def response_clock_stopped_on(
    shared_on: datetime.date | None, stopped_on_each_open_question: Iterable[datetime.date]
) -> datetime.date | None:
    """The day the response clock stopped, given each open question's `clock_stopped_on`; None while it runs. A
    question left open from before the report was last shared stops the new clock from the day it was shared."""
    days = list(stopped_on_each_open_question)
    if not days:
        return None
    return max(min(days), shared_on) if shared_on else min(days)


def response_due_restarted(
    due: datetime.date, stopped_on: datetime.date, restarted_on: datetime.date
) -> tuple[datetime.date, int]:
    """The response deadline once the clock starts again, and the working days it moved. A deadline missed before the
    clock stopped stays missed: a question asked late gives no more time."""
    if is_missed(due, stopped_on):
        return due, 0
    added = max(0, working_days_between(stopped_on, restarted_on))
    return add_working_days(due, added), added


def response_missed_while_stopped(due: datetime.date, stopped_on: datetime.date) -> bool:
    # Stopped, the clock reads as it did on the day it stopped: a deadline missed before the question was asked stays
    # missed, and one not yet missed is never overdue while the team waits for its answer.
    return is_missed(due, stopped_on)


def amber_actions_due(accepted_on: datetime.date, within_months: int) -> datetime.date:
    return accepted_on + relativedelta(months=within_months)


def amber_actions_reminder_on(due: datetime.date, days_before: int) -> datetime.date:
    return due - datetime.timedelta(days=days_before)


# --- the same rules as query expressions, over the columns a deadline is kept in ------------------------------


class DaysAfter(Func):
    """`day + timedelta(days=count)` in SQL, where both may be columns (a negative count goes back), on SQLite and
    PostgreSQL: Django's own date arithmetic cannot multiply a column into a duration on SQLite."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: a date plus a whole number is that many days later, still a date.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        (day, day_params), (count, count_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"date({day}, ({count}) || ' days')", (*day_params, *count_params)


def share_due_in_query(assessment_date: str, within_days: str) -> DaysAfter:
    """`share_due` over the named columns."""
    return DaysAfter(assessment_date, within_days)


def amber_actions_reminder_on_in_query(due: str, days_before: str) -> DaysAfter:
    """`amber_actions_reminder_on` over the named columns."""
    return DaysAfter(due, -F(days_before))
