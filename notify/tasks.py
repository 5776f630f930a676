"""The django-q2 tasks that send the outbox. `setup_schedules` (workflow) creates the schedule of the periodic one.

- `send_outbox_emails(ids)`: queued after commit by the code that wrote the rows.
- `send_due_emails()`: every minute: retries that have come due, rows whose task was lost, rows left
  "sending" by a worker that died.
"""

from . import outbox


def send_outbox_emails(ids) -> str:
    result = outbox.drain(ids=list(ids))
    return f"sent={result.sent} retrying={result.retrying} failed={result.failed}"


def send_due_emails() -> str:
    recovered = outbox.recover_stale()
    result = outbox.drain()
    return f"sent={result.sent} retrying={result.retrying} failed={result.failed} recovered={recovered}"
