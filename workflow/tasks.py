"""The django-q2 tasks that send email. `setup_schedules` creates the schedules that run the periodic ones.

- `send_outbox_emails(ids)`: queued after commit by the code that wrote the rows.
- `send_due_emails()`: every minute: retries that have come due, rows whose task was lost, rows left
  "sending" by a worker that died.
- `send_scheduled_reminders(today)`: daily: reminders and overdue notices. Running it twice sends nothing
  twice (each email's idempotency key is unique).
"""

import datetime
import logging

from django.db import transaction

from workflow import emails
from workflow.notify import outbox

logger = logging.getLogger(__name__)


def send_outbox_email(outbox_id) -> str:
    return send_outbox_emails([outbox_id])


def send_outbox_emails(ids) -> str:
    result = outbox.drain(ids=list(ids))
    return f"sent={result.sent} retrying={result.retrying} failed={result.failed}"


def send_due_emails() -> str:
    recovered = outbox.recover_stale()
    result = outbox.drain()
    return f"sent={result.sent} retrying={result.retrying} failed={result.failed} recovered={recovered}"


def send_scheduled_reminders(today: datetime.date | str | None = None) -> str:
    if isinstance(today, str):
        today = datetime.date.fromisoformat(today)
    with transaction.atomic():
        ids = outbox.write(emails.scheduled_emails(today))
        outbox.enqueue(ids)
    logger.info("Scheduled emails: %d new", len(ids))
    return f"queued={len(ids)}"
