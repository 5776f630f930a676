"""The outbox: writing emails as rows, and sending the rows to GOV.UK Notify.

Writing happens inside the transaction of the event that causes the email (`write`), so an event that rolls
back sends nothing and one that commits always sends. Each row has a unique idempotency key, so writing the
same email twice (an event handled twice, a schedule run twice) inserts it once.

Sending (`drain`) claims due rows atomically (queued → sending, so two workers never send one row), sends
each through notifications-python-client with the row's id as Notify's `reference`, and records the
outcome:

- 201: sent.
- 429, 5xx, timeouts, refused or dropped connections: queued again with exponential backoff and jitter, up
  to NOTIFY_MAX_ATTEMPTS, then failed. After an attempt that got no answer the row is marked
  `lookup_needed`: the next attempt first asks Notify for the reference (GET /v2/notifications?reference=)
  and, if Notify has it, records it as sent instead of sending it twice.
- 400, 403 and other 4xx: failed at once, with Notify's message.
"""

from __future__ import annotations

import datetime
import logging
import random
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, InvalidResponse

from . import kinds
from .models import NotifyTemplates, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

SCRUBBED = "(removed once sent)"
_random = random.SystemRandom()


# --- writing ---------------------------------------------------------------------------------------


@dataclass
class NewEmail:
    kind: str
    email_address: str
    personalisation: dict[str, Any]
    idempotency_key: str
    subject: Any = None  # the model instance the email is about, if any
    event: str = ""  # the sender's key for the event that caused it
    extra: dict[str, Any] = field(default_factory=dict)


def write(emails: Iterable[NewEmail]) -> list[uuid.UUID]:
    """Insert the emails not already in the outbox; returns the ids of those inserted and ready to send.

    Runs in the caller's transaction. An email whose template id is not configured is written as failed,
    saying so, for the service assessment team to see in the outbox."""
    emails = list(emails)
    if not emails:
        return []
    templates = NotifyTemplates.current()
    now = timezone.now()
    rows = []
    for email in emails:
        kind = kinds.KINDS[email.kind]
        if set(email.personalisation) != set(kind.personalisation):
            raise ValueError(
                f"{email.kind} personalisation must be exactly {sorted(kind.personalisation)}, "
                f"not {sorted(email.personalisation)}"
            )
        template_id = templates.template_id(email.kind)
        row = OutboxEmail(
            id=uuid.uuid4(),
            kind=email.kind,
            template_id=template_id,
            email_address=email.email_address,
            personalisation=email.personalisation,
            idempotency_key=email.idempotency_key,
            subject=email.subject,
            event=email.event,
            next_attempt_at=now,
            **email.extra,
        )
        if not template_id:
            row.status = OutboxStatus.FAILED
            row.last_error = (
                f"No Notify template id is set for “{kind.name}”. Set it in Settings > Notify templates, "
                "then resend this email."
            )
        rows.append(row)
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    inserted = set(OutboxEmail.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
    unsendable = [row for row in rows if row.pk in inserted and row.status == OutboxStatus.FAILED]
    if unsendable:
        logger.error("%d emails cannot be sent: %s", len(unsendable), unsendable[0].last_error)
    return [row.pk for row in rows if row.pk in inserted and row.status == OutboxStatus.QUEUED]


def enqueue(ids: Sequence[uuid.UUID | str]) -> None:
    """Send these outbox rows in a django-q2 task once the current transaction commits.

    If the queue cannot take the task, the rows stay queued and the minute schedule sends them."""
    ids = [str(pk) for pk in ids]
    if ids:
        transaction.on_commit(lambda: _enqueue_now(ids))


def _enqueue_now(ids: list[str]) -> None:
    from django_q.tasks import async_task

    size = max(1, settings.NOTIFY_SEND_BATCH_SIZE)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        try:
            async_task("notify.tasks.send_outbox_emails", chunk, task_name=f"send {len(chunk)} emails")
        except Exception:
            logger.exception("Could not queue the sending of %d emails; the minute schedule will send them", len(chunk))


# --- the Notify client ------------------------------------------------------------------------------

_clients = threading.local()


def notify_client() -> NotificationsAPIClient | None:
    """One client (and HTTP session) per thread and configuration: the client is not thread-safe."""
    api_key = settings.NOTIFY_API_KEY
    if not api_key:
        return None
    config = (api_key, settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT)
    if getattr(_clients, "config", None) != config:
        _clients.client = NotificationsAPIClient(
            api_key, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
        )
        _clients.config = config
    return _clients.client


def describe(error: Exception) -> str:
    """An error as the outbox shows it: Notify's status and message, or why there was no answer."""
    if isinstance(error, APIError) and not isinstance(error, InvalidResponse):
        if error.response is None:
            cause = error.__cause__
            detail = f"{type(cause).__name__}: {cause}" if cause else "request failed"
            return f"No answer from Notify ({detail})"[:1000]
        message = error.message
        if isinstance(message, list):
            message = "; ".join(
                f"{item.get('error')}: {item.get('message')}" if isinstance(item, dict) else str(item)
                for item in message
            )
        return f"{error.status_code} {message}"[:1000]
    if isinstance(error, InvalidResponse):
        return f"Notify's answer could not be read ({error.status_code})"
    return f"{type(error).__name__}: {error}"[:1000]


def find_by_reference(client: NotificationsAPIClient, reference: uuid.UUID) -> dict[str, Any] | None:
    answer = client.get_all_notifications(reference=str(reference), template_type="email")
    for notification in answer.get("notifications", []):
        if notification.get("reference") == str(reference):
            return notification
    return None


# --- sending ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    notify_id: str
    note: str = ""


@dataclass(frozen=True)
class Retry:
    error: str
    lookup: bool  # the attempt may have reached Notify: look the reference up before sending again


@dataclass(frozen=True)
class Fail:
    error: str


Outcome = Sent | Retry | Fail


def attempt(client: NotificationsAPIClient, row: OutboxEmail) -> Outcome:
    if row.lookup_needed:
        try:
            found = find_by_reference(client, row.pk)
        except Exception as error:
            return Retry(f"Looking the reference up failed: {describe(error)}", lookup=True)
        if found:
            return Sent(found["id"], note="Notify already had it (found by reference), so it was not sent again.")
    try:
        response = client.send_email_notification(
            email_address=row.email_address,
            template_id=row.template_id,
            personalisation=row.personalisation,
            reference=str(row.pk),
        )
    except InvalidResponse as error:
        return Retry(describe(error), lookup=True)
    except APIError as error:
        if error.response is None:
            return Retry(describe(error), lookup=True)
        if error.status_code == 429 or error.status_code >= 500:
            return Retry(describe(error), lookup=False)
        return Fail(describe(error))
    except Exception as error:
        logger.exception("Unexpected error sending email %s", row.pk)
        return Retry(describe(error), lookup=True)
    return Sent(response["id"])


def backoff(attempts: int) -> float:
    """Seconds before the next attempt: exponential, capped, with jitter (between half and all of it)."""
    delay = min(settings.NOTIFY_RETRY_MAX_SECONDS, settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return _random.uniform(delay / 2, delay)


def _scrubbed(row: OutboxEmail) -> dict[str, Any]:
    if not row.is_secret:
        return row.personalisation
    return {key: (SCRUBBED if "link" in key else value) for key, value in row.personalisation.items()}


def record(client: NotificationsAPIClient, row: OutboxEmail, outcome: Outcome) -> str:
    """Store an attempt's outcome on the row; returns the row's new status."""
    now = timezone.now()
    if isinstance(outcome, Retry) and row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        outcome = _last_chance(client, row, outcome)
    mine = OutboxEmail.objects.filter(pk=row.pk, claim=row.claim, status=OutboxStatus.SENDING)
    if isinstance(outcome, Sent):
        updated = mine.update(
            status=OutboxStatus.SENT,
            notify_id=outcome.notify_id,
            sent_at=now,
            lookup_needed=False,
            claim=None,
            personalisation=_scrubbed(row),
            **({"last_error": outcome.note} if outcome.note else {}),
        )
        if not updated:  # a delivery receipt got here first: keep its status, add what it lacked
            OutboxEmail.objects.filter(pk=row.pk, notify_id__isnull=True).update(notify_id=outcome.notify_id)
            OutboxEmail.objects.filter(pk=row.pk, sent_at__isnull=True).update(sent_at=now)
        return OutboxStatus.SENT
    if isinstance(outcome, Retry):
        delay = backoff(row.attempts)
        mine.update(
            status=OutboxStatus.QUEUED,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
            last_error=outcome.error,
            lookup_needed=outcome.lookup,
            claim=None,
        )
        logger.warning("Email %s attempt %d failed, retrying in %.0fs: %s", row.pk, row.attempts, delay, outcome.error)
        return OutboxStatus.QUEUED
    mine.update(
        status=OutboxStatus.FAILED,
        last_error=outcome.error,
        lookup_needed=False,
        claim=None,
        personalisation=_scrubbed(row),
    )
    logger.error("Email %s (%s) failed: %s", row.pk, row.kind, outcome.error)
    return OutboxStatus.FAILED


def _last_chance(client: NotificationsAPIClient, row: OutboxEmail, outcome: Retry) -> Outcome:
    """Before giving up on an attempt that may have reached Notify, ask Notify once more."""
    if outcome.lookup:
        try:
            found = find_by_reference(client, row.pk)
        except Exception:  # noqa: S110 - giving up anyway; the failure says why
            found = None
        if found:
            return Sent(found["id"], note="Notify had it (found by reference after the last attempt).")
    return Fail(f"Gave up after {row.attempts} attempts. Last error: {outcome.error}")


def claim(*, ids: Sequence[uuid.UUID | str] | None = None, limit: int) -> list[OutboxEmail]:
    """Atomically take up to `limit` due rows (queued → sending), so that no other worker sends them."""
    now = timezone.now()
    due = OutboxEmail.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    due = due.order_by("next_attempt_at")
    token = uuid.uuid4()
    # The guarded UPDATE (status still queued) is what makes a claim safe. On PostgreSQL, SKIP LOCKED also
    # keeps concurrent workers from queueing behind each other's rows; SQLite has one writer at a time
    # anyway, and a read-then-write transaction there could fail to upgrade its lock, so it has none.
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if skip_locked else nullcontext():
        if skip_locked:
            due = due.select_for_update(skip_locked=True)
        pks = list(due.values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        OutboxEmail.objects.filter(pk__in=pks, status=OutboxStatus.QUEUED).update(
            status=OutboxStatus.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(OutboxEmail.objects.filter(claim=token, status=OutboxStatus.SENDING).order_by("next_attempt_at"))


def release(rows: Iterable[OutboxEmail]) -> None:
    """Give back claimed rows that were not attempted (the task ran out of time)."""
    for row in rows:
        OutboxEmail.objects.filter(pk=row.pk, claim=row.claim, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.QUEUED, claim=None, attempts=F("attempts") - 1
        )


def recover_stale() -> int:
    """Rows left "sending" by a worker that died: queue them again, to be looked up before resending."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.NOTIFY_STALE_SENDING_SECONDS)
    count = OutboxEmail.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=cutoff).update(
        status=OutboxStatus.QUEUED,
        claim=None,
        lookup_needed=True,
        next_attempt_at=timezone.now(),
        last_error="The worker stopped while sending; Notify is asked for it before it is sent again.",
    )
    if count:
        logger.warning("Recovered %d emails left sending by a stopped worker", count)
    return count


@dataclass
class DrainResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def drain(*, ids: Sequence[uuid.UUID | str] | None = None, budget: float | None = None) -> DrainResult:
    """Send due rows (only `ids`, if given) until none is due or the time budget is spent."""
    result = DrainResult()
    client = notify_client()
    if client is None:
        logger.error("NOTIFY_API_KEY is not set: emails stay queued")
        return result
    budget = settings.NOTIFY_SEND_BUDGET_SECONDS if budget is None else budget
    deadline = time.monotonic() + budget
    batch_size = max(1, settings.NOTIFY_SEND_BATCH_SIZE)
    while time.monotonic() < deadline:
        rows = claim(ids=ids, limit=batch_size)
        if not rows:
            wait = _seconds_to_next_retry(ids)
            if wait is None or wait > settings.NOTIFY_INLINE_RETRY_WAIT_SECONDS or wait > deadline - time.monotonic():
                break
            time.sleep(wait)
            continue
        for index, row in enumerate(rows):
            if time.monotonic() >= deadline:
                release(rows[index:])
                break
            status = record(client, row, attempt(client, row))
            if status == OutboxStatus.SENT:
                result.sent += 1
            elif status == OutboxStatus.QUEUED:
                result.retrying += 1
            else:
                result.failed += 1
    return result


def _seconds_to_next_retry(ids: Sequence[uuid.UUID | str] | None) -> float | None:
    if settings.NOTIFY_INLINE_RETRY_WAIT_SECONDS <= 0:
        return None
    waiting = OutboxEmail.objects.filter(status=OutboxStatus.QUEUED)
    if ids is not None:
        waiting = waiting.filter(pk__in=list(ids))
    next_at = waiting.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    if next_at is None:
        return None
    return max((next_at - timezone.now()).total_seconds(), 0.0) + 0.01


# --- delivery receipts and resending ---------------------------------------------------------------


def apply_receipt(
    *, reference: str, status: str, notify_id: str | None, completed_at: datetime.datetime | None
) -> bool:
    """Record a delivery receipt on the row whose id is the reference; False if there is no such row."""
    try:
        pk = uuid.UUID(str(reference))
    except ValueError:
        return False
    try:
        notify_id = str(uuid.UUID(str(notify_id))) if notify_id else None
    except ValueError:
        notify_id = None
    changes: dict[str, Any] = {"status": status, "completed_at": completed_at or timezone.now()}
    updated = OutboxEmail.objects.filter(pk=pk).update(**changes)
    if updated and notify_id:
        OutboxEmail.objects.filter(pk=pk, notify_id__isnull=True).update(notify_id=notify_id)
    return bool(updated)


class CannotResend(Exception):
    pass


@transaction.atomic
def resend(row: OutboxEmail) -> OutboxEmail:
    """Send a failed email again.

    One that Notify never accepted is queued again, and looked up by reference first in case Notify had
    it after all. One that Notify accepted but could not deliver is copied to a new row, with a new
    reference; resending it again resends that copy."""
    row = OutboxEmail.objects.select_for_update().get(pk=row.pk)
    if row.is_secret:
        raise CannotResend("Sign-in links expire, so they are never resent: the person can ask for a new one.")
    if row.status not in OutboxStatus.resendable():
        raise CannotResend(f"Only failed emails can be resent; this one is {row.get_status_display().lower()}.")
    if row.status == OutboxStatus.FAILED:
        row.status = OutboxStatus.QUEUED
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.lookup_needed = True
        row.template_id = row.template_id or NotifyTemplates.current().template_id(row.kind)
        if not row.template_id:
            raise CannotResend("This email's Notify template id is not set: set it in Settings > Notify templates.")
        row.save()
        enqueue([row.pk])
        return row
    copy, created = OutboxEmail.objects.get_or_create(
        idempotency_key=f"resend:{row.pk}",
        defaults={
            "kind": row.kind,
            "template_id": NotifyTemplates.current().template_id(row.kind) or row.template_id,
            "email_address": row.email_address,
            "personalisation": row.personalisation,
            "subject_type_id": row.subject_type_id,
            "subject_id": row.subject_id,
            "event": row.event,
            "resent_from": row,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        enqueue([copy.pk])
        return copy
    # Resent before: the copy is the email now, so resending again means resending the copy.
    if not copy.can_resend:
        raise CannotResend("This email has been resent already: see its copy in the outbox.")
    return resend(copy)
