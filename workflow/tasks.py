"""The workflow's own schedule of emails; `setup_schedules` creates the schedule that runs it. Sending is notify's
(notify.tasks).

- `send_scheduled_reminders()`: every hour; from 7am UK time it writes the day's reminders and overdue notices.
  Running it again the same day sends nothing twice (each email's idempotency key is unique), so the reminders go
  out once a day at the first run from 7am, in winter (GMT) and summer (BST) alike, and a run missed at 7am (the
  worker was down) is made up by the next one. An hourly schedule needs no time zone arithmetic from django-q2.
"""

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone

from notify import outbox
from workflow import emails

logger = logging.getLogger(__name__)


UK = zoneinfo.ZoneInfo("Europe/London")
REMINDERS_FROM = datetime.time(7, 0)  # UK time


def reminders_day(now: datetime.datetime | None = None) -> datetime.date | None:
    """The UK date whose reminders are due at `now`, or None before 7am UK time."""
    local = timezone.localtime(now or timezone.now(), UK)
    return local.date() if local.time() >= REMINDERS_FROM else None


def send_scheduled_reminders(today: datetime.date | str | None = None, *, now: datetime.datetime | None = None) -> str:
    """The day's scheduled emails. Given a day (a date, or an ISO date from the command line or the admin), for that
    day at once; otherwise for today, once it is 7am UK time."""
    if isinstance(today, str):
        today = datetime.date.fromisoformat(today)
    if today is None:
        today = reminders_day(now)
        if today is None:
            return "not yet 7am UK time"
    with transaction.atomic():
        ids = outbox.write(emails.scheduled_emails(today))
        outbox.enqueue(ids)
    logger.info("Scheduled emails: %d new", len(ids))
    return f"queued={len(ids)}"
