"""Faults: the database going away in the middle of a request or of sending email, and GOV.UK Notify failing
in each way it can. Nothing is lost and nothing is done twice.

The database fault is real, not a mock of the ORM: a `connection.execute_wrapper` (Django's hook around every
statement) waits for a chosen statement, then on PostgreSQL terminates the connection's own backend from a
second connection, as a database restart or failover does, and lets the statement run into the dead
connection. SQLite has no server to lose, so there the statement fails with the OperationalError a lost
database gives. Notify is the real notifications-python-client against the fake Notify server, told to fail.
"""

import datetime
import html
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import OrmQ

from notify import kinds
from notify.models import OutboxEmail, OutboxStatus
from notify.tasks import send_due_emails, send_outbox_emails
from tests.cast import make_cast, report_in
from tests.notify_fixtures import make_due, running_fake_notify, sent
from workflow.emails import status_change_event
from workflow.models import PointRating, ReportPage, ReportStatus, ReportStatusChange
from workflow.services.reports import report_create

# Transactional: a terminated backend takes its transaction with it, so the test's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Transaction control is not what a fault is aimed at: the statements of the request are.
CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class DatabaseGoesAway:
    """An execute wrapper: the `nth` statement containing every one of `fragments` (and, if `in_transaction`
    is given, running inside a transaction or not) finds the database gone."""

    def __init__(self, *fragments: str, nth: int = 1, in_transaction: bool | None = None):
        self.fragments = fragments
        self.nth = nth
        self.in_transaction = in_transaction
        self.seen = 0
        self.fired_on = None

    @property
    def fired(self) -> bool:
        return self.fired_on is not None

    def __call__(self, execute, sql, params, many, context):
        db = context["connection"]
        if not self.fired and self._aimed_at(sql, db):
            self.seen += 1
            if self.seen == self.nth:
                self.fired_on = sql
                self._lose(db)
        return execute(sql, params, many, context)

    def _aimed_at(self, sql: str, db) -> bool:
        if sql.lstrip().upper().startswith(CONTROL):
            return False
        if self.in_transaction is not None and db.in_atomic_block != self.in_transaction:
            return False
        return all(fragment in sql for fragment in self.fragments)

    @staticmethod
    def _lose(db) -> None:
        if db.vendor == "postgresql":
            pid = db.connection.info.backend_pid
            other = db.copy()
            try:
                with other.cursor() as cursor:
                    # Waits (up to 5 s) until the backend has gone, so the statement cannot slip in first.
                    cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                    assert cursor.fetchone()[0], "the backend was not terminated"
            finally:
                other.close()
            return
        # Raised where Django turns driver errors into its own, so the connection is marked as having failed.
        with db.wrap_database_errors:
            raise sqlite3.OperationalError("the database connection was lost")


@contextmanager
def database_goes_away(*fragments: str, nth: int = 1, in_transaction: bool | None = None) -> Iterator[DatabaseGoesAway]:
    fault = DatabaseGoesAway(*fragments, nth=nth, in_transaction=in_transaction)
    with connection.execute_wrapper(fault):
        yield fault
    # What a WSGI server does at the end of every request, and django-q before every task (Django's test
    # client does not): a connection that failed is closed, and the next request opens a new one.
    close_old_connections()
    assert fault.fired, f"no statement matched {fragments}: the fault never happened"


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def cast():
    return make_cast()


def signed_in(user) -> Client:
    # Django's test client re-raises a view's exception; a browser gets the error page.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def assert_database_page(response) -> None:
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "30"
    page = text(response)
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Nothing you entered has been saved, and the change you were making has not been made." in page
    assert "Go back and try again." in page
    assert 'class="govuk-template"' in page  # the GOV.UK page, not Django's bare one
    for leak in ("Traceback", "OperationalError", "Server Error (500)", "pg_terminate_backend", "SELECT"):
        assert leak not in page


def state(report: ReportPage) -> dict:
    """Everything a transition or an edit writes, to compare before and after a fault."""
    report = ReportPage.objects.get(pk=report.pk)
    ratings = PointRating.objects.filter(report=report)
    return {
        "status": report.status,
        "dates": (report.submitted_at, report.shared_at, report.response_due, report.accepted_at),
        "live": report.live,
        "version": report.version,
        "history": list(report.status_changes.values_list("pk", flat=True)),
        "emails": sorted(OutboxEmail.objects.values_list("pk", flat=True)),
        "revisions": report.revisions.count(),
        "ratings": list(ratings.values_list("pk", "rating", "done_well", "to_improve", "version")),
        "rating_history": PointRating.history.filter(report_id=report.pk).count(),
    }


def new_changes(report: ReportPage, before: dict) -> list[ReportStatusChange]:
    return list(report.status_changes.exclude(pk__in=before["history"]).order_by("pk"))


def assert_sent_once_each(server, rows) -> None:
    """Notify got each of these emails exactly once (the row id is the reference), and nothing else twice."""
    references = [notification["reference"] for notification in server.sent]
    assert len(references) == len(set(references)), "Notify got an email twice"
    assert {str(row.pk) for row in rows} <= set(references)
    assert {OutboxEmail.objects.get(pk=row.pk).status for row in rows} <= {OutboxStatus.SENT}


# --- the database going away during a request ---------------------------------------------------------


@dataclass(frozen=True)
class Post:
    starts_in: str
    actor: str  # who makes it, as named in tests.cast.Cast
    url_name: str
    ends_in: str
    transitions: tuple[str, ...]


POSTS = {
    "the delivery team accepting": Post(
        ReportStatus.SHARED, "product_manager", "delivery:accept", ReportStatus.PUBLISHED, ("accept", "publish")
    ),
    "the lead assessor submitting": Post(
        ReportStatus.DRAFT, "lead", "assessor:submit", ReportStatus.SUBMITTED, ("submit",)
    ),
    "the service assessment team sharing": Post(
        ReportStatus.CHECKED, "assessment_team", "assessment_team:share", ReportStatus.SHARED, ("share",)
    ),
}

# Moments inside the transition's transaction, each later than the one before.
MOMENTS = {
    "taking the row lock": dict(in_transaction=True),  # the transaction's first statement
    "recording the status history": dict(fragments=('INSERT INTO "workflow_reportstatuschange"',)),
    # SQLite writes them with INSERT OR IGNORE INTO, PostgreSQL with INSERT INTO ... ON CONFLICT DO NOTHING.
    "writing the emails": dict(fragments=("INSERT", 'INTO "notify_outboxemail"')),
}

CASES = [
    *[(post, moment) for post in POSTS for moment in MOMENTS],
    # Accepting publishes in the same transaction: the status history and the emails are already written.
    ("the delivery team accepting", "publishing the page"),
    # Before the transition starts: the session cannot be read.
    *[(post, "reading the session") for post in POSTS],
]
MOMENTS["publishing the page"] = dict(fragments=('INSERT INTO "wagtailcore_revision"',))
MOMENTS["reading the session"] = dict(fragments=('FROM "django_session"',))


def fault_at(moment: str):
    spec = MOMENTS[moment]
    return database_goes_away(*spec.get("fragments", ()), in_transaction=spec.get("in_transaction"))


@pytest.mark.parametrize(("post_name", "moment"), CASES)
def test_the_database_going_away_during_a_transition_rolls_it_all_back_and_says_so(
    cast, fake_notify, post_name, moment
):
    post = POSTS[post_name]
    report = report_in(post.starts_in, cast)
    client = signed_in(getattr(cast, post.actor))
    url = reverse(post.url_name, args=[report.pk])
    before = state(report)
    notifications_before = len(fake_notify.sent)

    with fault_at(moment):
        response = client.post(url)

    assert_database_page(response)
    assert state(report) == before
    assert len(fake_notify.sent) == notifications_before

    # Trying again once the database is back makes the change, once.
    again = client.post(url)
    assert again.status_code == 302
    after = state(report)
    assert after["status"] == post.ends_in
    changes = new_changes(report, before)
    assert [change.transition for change in changes] == list(post.transitions)
    emails = OutboxEmail.objects.exclude(pk__in=before["emails"])
    assert {email.event for email in emails} <= {status_change_event(change) for change in changes}
    assert_sent_once_each(fake_notify, emails)

    # ...and a third press of the button changes nothing more.
    third = client.post(url)
    assert third.status_code == 302
    assert state(report) == after


DRAFT_SAVE_MOMENTS = {
    "taking the row lock": dict(in_transaction=True),
    "recording the point's history": dict(fragments=('INSERT INTO "workflow_historicalpointrating"',)),
}


@pytest.mark.parametrize("moment", DRAFT_SAVE_MOMENTS)
def test_the_database_going_away_during_a_draft_save_saves_nothing_and_the_retry_saves_once(cast, moment):
    draft = report_create(assessment=cast.assessment)
    client = signed_in(cast.researcher)
    url = reverse("assessor:point", args=[draft.pk, 3])
    typed = {"version": 0, "rating": "amber", "done_well": "Talked to users.", "to_improve": "Test more.", "then": ""}
    before = state(draft)

    spec = DRAFT_SAVE_MOMENTS[moment]
    with database_goes_away(*spec.get("fragments", ()), in_transaction=spec.get("in_transaction")):
        response = client.post(url, typed)

    assert_database_page(response)
    assert state(draft) == before

    assert client.post(url, typed).status_code == 302
    rating = PointRating.objects.get(report=draft, number=3)
    assert (rating.rating, rating.done_well, rating.version) == ("amber", "Talked to users.", 1)
    assert rating.history.count() == 2  # created, then this one save
    # The same form sent again (the person pressed back and saved again) is now a stale copy, not a second save.
    third = client.post(url, typed)
    assert third.status_code == 200
    assert "Someone else saved a change to this point while you were editing" in text(third)
    assert rating.history.count() == 2


def test_a_public_page_with_the_database_gone_says_so_and_works_again_after(cast):
    report_in(ReportStatus.PUBLISHED, cast)
    public = Client(raise_request_exception=False)

    with database_goes_away("SELECT"):
        response = public.get("/reports/")

    assert_database_page(response)
    again = public.get("/reports/")
    assert again.status_code == 200
    assert cast.assessment.service.name in text(again)


def test_any_other_fault_gets_the_500_page_and_still_rolls_the_transition_back(cast):
    report = report_in(ReportStatus.CHECKED, cast)
    client = signed_in(cast.assessment_team)
    before = state(report)

    def bug(execute, sql, params, many, context):
        if 'INSERT INTO "workflow_reportstatuschange"' in sql:
            raise RuntimeError("a bug, not the database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(bug):
        response = client.post(reverse("assessment_team:share", args=[report.pk]))

    assert response.status_code == 500
    page = text(response)
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Try again later." in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert "Retry-After" not in response
    assert state(report) == before


# --- GOV.UK Notify failing -----------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rate_limited(fake, settings, count):
    fake.fail_next(429, count=count)


def server_error(fake, settings, count):
    fake.fail_next(500, count=count)


def timed_out_unseen(fake, settings, count):
    settings.NOTIFY_TIMEOUT = 0.3
    fake.delay_next(2, count=count)


def timed_out_after_accepting(fake, settings, count):
    settings.NOTIFY_TIMEOUT = 0.3
    fake.delay_next(2, count=count, accept_then_delay=True)


def dropped(fake, settings, count):
    fake.drop_next(count)


def down(fake, settings, count):
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{closed_port()}"


RETRIED = {
    "rate limited (429)": (rate_limited, "429 RateLimitError"),
    "server error (500)": (server_error, "500 Exception"),
    "timed out before Notify saw the email": (timed_out_unseen, "No answer from Notify (ReadTimeout"),
    "timed out after Notify accepted the email": (timed_out_after_accepting, "No answer from Notify (ReadTimeout"),
    "dropped the connection": (dropped, "No answer from Notify (ConnectionError"),
    "down (connection refused)": (down, "No answer from Notify (ConnectionError"),
}


def share(cast, report: ReportPage):
    """The team shares a checked report through the page, which queues an email to each of 3 people."""
    return signed_in(cast.assessment_team).post(reverse("assessment_team:share", args=[report.pk]))


def shared_emails(report: ReportPage):
    change = report.status_changes.get(transition="share")
    return OutboxEmail.objects.filter(event=status_change_event(change)).order_by("email_address")


def people_shared_with(cast) -> list[str]:
    return sorted(user.email for user in (cast.product_manager, cast.delivery_manager, cast.sro))


@pytest.mark.parametrize("fault", RETRIED)
def test_notify_failing_does_not_stop_the_transition_and_each_email_arrives_once_later(
    cast, fake_notify, settings, fault
):
    inject, error = RETRIED[fault]
    notify_url = settings.NOTIFY_BASE_URL
    report = report_in(ReportStatus.CHECKED, cast)
    inject(fake_notify, settings, count=3)

    response = share(cast, report)

    # The transition committed, whatever Notify did after it.
    assert response.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED
    emails = shared_emails(report)
    assert [email.email_address for email in emails] == people_shared_with(cast)
    for email in emails:
        assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 1)
        assert error in email.last_error

    # Notify is back; the minute schedule runs once the backoff has passed.
    settings.NOTIFY_BASE_URL = notify_url
    make_due()
    send_due_emails()

    assert_sent_once_each(fake_notify, emails)
    assert sorted(n["email_address"] for n in sent(fake_notify, kinds.REPORT_SHARED)) == people_shared_with(cast)
    # Running the schedule again sends nothing more.
    make_due()
    send_due_emails()
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 3


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "400 BadRequestError: Can't send to this recipient using a team-only API key"),
        (403, "403 AuthError: Invalid token: API key not found"),
    ],
)
def test_notify_refusing_an_email_fails_it_for_good_and_the_assessment_team_sees_it(cast, fake_notify, status, error):
    report = report_in(ReportStatus.CHECKED, cast)
    fake_notify.fail_next(status, count=3)

    response = share(cast, report)

    assert response.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED
    emails = shared_emails(report)
    assert [(e.status, e.attempts, e.last_error) for e in emails] == [(OutboxStatus.FAILED, 1, error)] * 3
    make_due()
    send_due_emails()
    assert [e.attempts for e in shared_emails(report)] == [1, 1, 1]  # never retried
    assert sent(fake_notify, kinds.REPORT_SHARED) == []

    assessment_team = signed_in(cast.assessment_team)
    home = text(assessment_team.get("/admin/"))
    label = home.index("Emails that failed")
    count = home.index("data-count>", label) + len("data-count>")
    assert home[count : home.index("<", count)] == "3"
    outbox = text(assessment_team.get("/admin/outbox/", {"status": OutboxStatus.FAILED}))
    for address in people_shared_with(cast):
        assert address in outbox
    assert error in text(assessment_team.get(f"/admin/outbox/inspect/{emails[0].pk}/"))


# --- the task queue failing ----------------------------------------------------------------------------


def test_the_send_task_failing_leaves_the_emails_queued_for_the_minute_schedule(cast, fake_notify):
    # The task dies on its first statement that claims emails, before any reached Notify.
    report = report_in(ReportStatus.CHECKED, cast)
    with database_goes_away('UPDATE "notify_outboxemail"', '"claimed_at" = '):
        response = share(cast, report)

    assert response.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED
    emails = shared_emails(report)
    assert [(e.status, e.attempts) for e in emails] == [(OutboxStatus.QUEUED, 0)] * 3
    assert sent(fake_notify, kinds.REPORT_SHARED) == []

    send_due_emails()

    assert_sent_once_each(fake_notify, emails)
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 3


@pytest.fixture
def real_queue(monkeypatch):
    """Tasks go into the database queue for a worker, as in production, instead of running at once."""
    monkeypatch.setattr(Conf, "SYNC", False)


def test_emails_whose_task_the_worker_never_ran_are_sent_by_the_schedule_and_the_late_task_sends_nothing(
    cast, fake_notify, real_queue
):
    report = report_in(ReportStatus.CHECKED, cast)
    OrmQ.objects.all().delete()  # the tasks of the steps that brought the report here

    response = share(cast, report)

    assert response.status_code == 302
    [queued_task] = OrmQ.objects.all()  # waiting for a worker that is down
    emails = shared_emails(report)
    assert {e.status for e in emails} == {OutboxStatus.QUEUED}

    send_due_emails()  # the minute schedule, run by the worker once it is back
    assert_sent_once_each(fake_notify, emails)

    # The worker gets round to the task at last: its emails have gone, so it sends nothing.
    assert send_outbox_emails(*queued_task.task["args"]) == "sent=0 retrying=0 failed=0"
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 3


def test_emails_the_queue_refused_are_sent_by_the_schedule(cast, fake_notify, real_queue):
    report = report_in(ReportStatus.CHECKED, cast)
    OrmQ.objects.all().delete()  # the tasks of the steps that brought the report here
    with database_goes_away('INSERT INTO "django_q_ormq"'):
        response = share(cast, report)

    assert response.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED
    assert not OrmQ.objects.exists()
    emails = shared_emails(report)
    assert {e.status for e in emails} == {OutboxStatus.QUEUED}

    send_due_emails()

    assert_sent_once_each(fake_notify, emails)


def test_the_database_going_away_after_notify_accepted_an_email_does_not_send_it_twice(cast, fake_notify):
    # The sender's statement that would record the first email as sent finds the database gone: Notify has it,
    # the outbox does not know.
    report = report_in(ReportStatus.CHECKED, cast)
    with database_goes_away('UPDATE "notify_outboxemail"', '"sent_at"'):
        response = share(cast, report)

    assert response.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED
    emails = shared_emails(report)
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 1
    assert {e.status for e in emails} == {OutboxStatus.SENDING}  # claimed by the task that died

    send_due_emails()  # too soon: the task that claimed them might still be running
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 1

    # Once they have been "sending" longer than a task can run, the schedule asks Notify before sending again.
    stale = datetime.timedelta(seconds=django_settings.NOTIFY_STALE_SENDING_SECONDS + 1)
    OutboxEmail.objects.filter(status=OutboxStatus.SENDING).update(claimed_at=F("claimed_at") - stale)
    send_due_emails()

    assert_sent_once_each(fake_notify, emails)
    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 3
    [found] = [e for e in shared_emails(report) if "found by reference" in e.last_error]
    assert found.attempts == 2


def test_the_database_going_away_just_after_a_transition_commits_does_not_say_nothing_was_saved(cast, fake_notify):
    report = report_in(ReportStatus.CHECKED, cast)

    # The first statement after the commit: the hook that hands the emails to the queue reads the status change.
    with database_goes_away('FROM "workflow_reportstatuschange"', in_transaction=False):
        response = share(cast, report)

    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED  # committed
    emails = shared_emails(report)
    assert {e.status for e in emails} == {OutboxStatus.QUEUED}  # written in the transaction, waiting
    # The change was made, so the page must not say it was not.
    assert response.status_code == 302, (response.status_code, text(response)[-600:])

    send_due_emails()
    assert_sent_once_each(fake_notify, emails)
