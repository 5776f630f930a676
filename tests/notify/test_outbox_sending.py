"""Sending through the outbox: retries with backoff, failures, and never sending one email twice."""

import datetime
import socket
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from notify import kinds, outbox
from notify.models import NotifyTemplates, OutboxEmail, OutboxStatus
from notify.outbox import NewEmail
from notify.tasks import send_due_emails, send_outbox_emails

from ..notify_fixtures import make_due, running_fake_notify, sent, template_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


def new_email(address="sam@example.gov.uk", kind=kinds.REPORT_RETURNED, key=None) -> NewEmail:
    personalisation = {name: f"the {name.replace('_', ' ')}" for name in kinds.KINDS[kind].personalisation}
    return NewEmail(kind, address, personalisation, key or f"test:{uuid.uuid4()}")


def queue(*emails: NewEmail) -> list:
    """Write and send, as an event does: the rows are sent by the task queued on commit."""
    with transaction.atomic():
        return outbox.write(emails or [new_email()])


def row() -> OutboxEmail:
    return OutboxEmail.objects.get()


def test_a_queued_email_is_sent_with_its_id_as_the_reference(fake_notify):
    [pk] = queue()

    send_outbox_emails([pk])

    [notification] = sent(fake_notify)
    email = row()
    assert notification["reference"] == str(email.pk)
    assert notification["template_id"] == template_id(kinds.REPORT_RETURNED)
    assert notification["personalisation"] == email.personalisation
    assert (email.status, email.attempts, str(email.notify_id)) == (OutboxStatus.SENT, 1, notification["id"])
    assert email.sent_at is not None


def test_writing_the_same_email_twice_inserts_it_once(fake_notify):
    first = queue(new_email(key="same"))
    again = queue(new_email(key="same"))

    assert len(first) == 1
    assert again == []
    assert OutboxEmail.objects.count() == 1


def test_personalisation_must_match_the_catalogue():
    email = new_email()
    email.personalisation.pop("comment")

    with pytest.raises(ValueError, match="personalisation must be exactly"):
        queue(email)


@pytest.mark.parametrize(
    ("status", "message"), [(429, "429 RateLimitError: Exceeded rate limit"), (500, "500 Exception")]
)
def test_rate_limits_and_server_errors_are_retried_with_backoff(fake_notify, status, message):
    [pk] = queue()
    fake_notify.fail_next(status)

    before = timezone.now()
    send_outbox_emails([pk])
    email = row()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 1)
    assert email.last_error.startswith(message)
    assert not email.lookup_needed
    wait = (email.next_attempt_at - before).total_seconds()
    assert 5 - 1 <= wait <= 10 + 1  # base 10 s, jittered between half and all of it

    assert send_due_emails().startswith("sent=0")  # not due yet
    make_due()
    send_due_emails()

    email = row()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert len(sent(fake_notify)) == 1


def test_backoff_doubles_until_the_limit_then_the_email_fails(fake_notify, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    [pk] = queue()
    fake_notify.fail_next(500, count=10)

    waits = []
    send_outbox_emails([pk])
    for _ in range(3):
        email = row()
        waits.append((email.next_attempt_at - timezone.now()).total_seconds())
        make_due()
        send_due_emails()

    email = row()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 4)
    assert email.last_error == "Gave up after 4 attempts. Last error: 500 Exception: Internal server error"
    for wait, (low, high) in zip(waits, [(5, 10), (10, 20), (20, 40)], strict=True):
        assert low - 1 <= wait <= high + 1
    assert sent(fake_notify) == []


def test_backoff_is_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 10
    settings.NOTIFY_RETRY_MAX_SECONDS = 60

    assert all(30 <= outbox.backoff(attempts) <= 60 for attempts in range(4, 30))
    assert len({outbox.backoff(5) for _ in range(20)}) > 1  # jittered


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "400 BadRequestError: Can't send to this recipient using a team-only API key"),
        (403, "403 AuthError: Invalid token: API key not found"),
    ],
)
def test_400_and_403_fail_at_once_with_notifys_message(fake_notify, status, message):
    [pk] = queue()
    fake_notify.fail_next(status)

    send_outbox_emails([pk])

    email = row()
    assert (email.status, email.attempts, email.last_error) == (OutboxStatus.FAILED, 1, message)
    make_due()
    send_due_emails()
    assert row().attempts == 1
    assert sent(fake_notify) == []


def test_a_template_notify_does_not_know_fails_at_once(fake_notify):
    NotifyTemplates.objects.create(report_returned=str(uuid.uuid4()))
    [pk] = queue()

    send_outbox_emails([pk])

    assert (row().status, row().last_error) == (OutboxStatus.FAILED, "400 BadRequestError: Template not found")


def test_an_invalid_address_fails_at_once(fake_notify):
    [pk] = queue(new_email(address="sam@localhost"))

    send_outbox_emails([pk])

    assert row().last_error == "400 ValidationError: email_address Not a valid email address"


def test_a_timeout_after_notify_accepted_is_looked_up_and_not_sent_twice(fake_notify, settings):
    settings.NOTIFY_TIMEOUT = 0.3
    [pk] = queue()
    fake_notify.delay_next(2, accept_then_delay=True)

    send_outbox_emails([pk])
    email = row()
    assert email.status == OutboxStatus.QUEUED
    assert email.lookup_needed
    assert email.last_error.startswith("No answer from Notify (ReadTimeout")

    make_due()
    send_due_emails()

    [notification] = sent(fake_notify)
    email = row()
    assert (email.status, str(email.notify_id), email.attempts) == (OutboxStatus.SENT, notification["id"], 2)
    assert "not sent again" in email.last_error


def test_a_timeout_before_notify_saw_it_is_looked_up_then_sent(fake_notify, settings):
    settings.NOTIFY_TIMEOUT = 0.3
    [pk] = queue()
    fake_notify.delay_next(2)

    send_outbox_emails([pk])
    make_due()
    send_due_emails()

    [notification] = sent(fake_notify)
    assert (row().status, str(row().notify_id)) == (OutboxStatus.SENT, notification["id"])


def test_a_dropped_connection_is_retried_and_sent_once(fake_notify):
    [pk] = queue()
    fake_notify.drop_next()

    send_outbox_emails([pk])
    assert row().status == OutboxStatus.QUEUED
    assert row().lookup_needed
    make_due()
    send_due_emails()

    assert len(sent(fake_notify)) == 1
    assert row().status == OutboxStatus.SENT


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_retried_until_notify_is_back(fake_notify, settings):
    notify_url = settings.NOTIFY_BASE_URL
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    [pk] = queue()

    send_outbox_emails([pk])
    make_due()
    send_due_emails()
    email = row()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 2)
    assert email.last_error.startswith("Looking the reference up failed: No answer from Notify (ConnectionError")

    settings.NOTIFY_BASE_URL = notify_url
    make_due()
    send_due_emails()
    assert row().status == OutboxStatus.SENT
    assert len(sent(fake_notify)) == 1


def test_the_last_attempt_after_a_timeout_asks_notify_before_failing(fake_notify, settings):
    settings.NOTIFY_TIMEOUT = 0.3
    settings.NOTIFY_MAX_ATTEMPTS = 1
    [pk] = queue()
    fake_notify.delay_next(2, accept_then_delay=True)

    send_outbox_emails([pk])

    assert row().status == OutboxStatus.SENT
    assert len(sent(fake_notify)) == 1


def test_a_claimed_email_is_not_claimed_again():
    [pk] = queue()

    first = outbox.claim(limit=10)
    second = outbox.claim(limit=10)

    assert [email.pk for email in first] == [pk]
    assert second == []
    assert row().status == OutboxStatus.SENDING


def test_an_email_left_sending_by_a_dead_worker_is_looked_up_then_sent_once(fake_notify):
    [pk] = queue()
    [claimed] = outbox.claim(limit=1)  # the worker that claimed it died before it could record anything
    OutboxEmail.objects.filter(pk=pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))

    send_due_emails()

    assert row().status == OutboxStatus.SENT
    assert len(sent(fake_notify)) == 1


def test_an_email_left_sending_after_notify_accepted_it_is_not_sent_again(fake_notify, settings):
    [pk] = queue()
    [claimed] = outbox.claim(limit=1)
    client = outbox.notify_client()
    client.send_email_notification(
        email_address=claimed.email_address,
        template_id=claimed.template_id,
        personalisation=claimed.personalisation,
        reference=str(claimed.pk),
    )  # ...and then the worker died
    OutboxEmail.objects.filter(pk=pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))

    send_due_emails()

    assert row().status == OutboxStatus.SENT
    assert len(sent(fake_notify)) == 1


def test_a_task_out_of_time_gives_its_emails_back(fake_notify):
    ids = queue(new_email(), new_email())

    result = outbox.drain(ids=ids, budget=0)

    assert result.attempted == 0
    assert sorted(OutboxEmail.objects.values_list("status", "attempts")) == [(OutboxStatus.QUEUED, 0)] * 2


def test_without_an_api_key_emails_stay_queued(settings):
    settings.NOTIFY_API_KEY = None
    [pk] = queue()

    send_outbox_emails([pk])

    assert (row().status, row().attempts) == (OutboxStatus.QUEUED, 0)


def test_emails_queued_by_an_event_are_sent_after_commit(fake_notify, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        outbox.enqueue(outbox.write([new_email(), new_email("kim@example.gov.uk")]))
    assert sent(fake_notify) == []  # nothing before commit

    for callback in callbacks:
        callback()

    assert sorted(n["email_address"] for n in sent(fake_notify)) == ["kim@example.gov.uk", "sam@example.gov.uk"]
