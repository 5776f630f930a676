"""Several machines, one service: two web servers and two workers share one PostgreSQL and one Redis.

    make test-several-machines

Runs only when REDIS_URL and a PostgreSQL DATABASE_URL are set, so `make test` skips it. It makes its own database on
that server (dropped at the end) and empties the Redis database REDIS_URL names, at the start and at the end. About
three minutes on a 2-core machine, half of it to migrate and load the demo content.

The service runs as production runs it on several machines (production settings, from a settings module written for
the run, with plain HTTP on the loopback): two gunicorn servers and two `manage.py qcluster` workers, each its own
process tree with its own memory, with the demo content (`seed_demo`: people, reports at every stage, and today's
reminders) and the schedules of `setup_schedules`. Notify is the fake server, failing 10% of sends at random, and
for the first 20 seconds of the emails every 3 seconds dropping a connection and taking a send but answering it too
late.

1. Publishing a report through one web server clears the public page cache of the other at once.
2. 5,000 emails queued at once are drained by both workers, none lost, none doubled.
3. The reminder schedule, due on both workers at once, runs once; its task run again sends nothing twice.
4. A worker killed (SIGKILL) while Notify holds its send: the email is sent once, later, by a worker still running.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from devtools import machines
from notify import kinds
from workflow.management.commands.seed_demo import DEMO_PASSWORD

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not (REDIS_URL and DATABASE_URL.startswith(("postgres://", "postgresql://"))),
        reason="several machines need REDIS_URL and a PostgreSQL DATABASE_URL (make test-several-machines)",
    ),
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds the sending process through Linux's /proc"),
    pytest.mark.postgres,
]

ROOT = machines.ROOT
EMAILS = 5000
FAULT_RATE = 0.1
NOTIFY_TIMEOUT = 2  # seconds; the saboteur holds its sends longer, so the worker gives up on a send Notify took
SABOTAGE_SECONDS = 20
STALE_SENDING_SECONDS = 30  # longer than a task holds a claimed email: its 10 s budget plus 3 requests of 2 s
SCHEDULED_KINDS = {
    kinds.RESPONSE_REMINDER,
    kinds.RESPONSE_OVERDUE,
    kinds.REPORT_NOT_SHARED,
    kinds.FEEDBACK_REQUEST,
    kinds.AMBER_ACTIONS_DUE,
    kinds.AMBER_ACTIONS_OVERDUE,
}
REMINDERS = "Send scheduled reminders"

SETTINGS = """
import warnings

from cms.settings.fake_notify import template_ids
from cms.settings.production import *  # noqa: F403

# The test talks to the servers over plain HTTP on the loopback, where a Secure cookie would never come back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Static files are not under test: no collectstatic, so no STATIC_ROOT, which WhiteNoise mentions.
warnings.filterwarnings("ignore", message="No directory at")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The fake Notify's templates, as the team would set them in Settings > Notify templates.
NOTIFY_TEMPLATE_IDS = template_ids()
"""


# --- the service --------------------------------------------------------------------------------------------------


@dataclass
class Service:
    env: dict[str, str]
    database_url: str
    notify: Any  # the fake Notify server
    web: list[str] = field(default_factory=list)  # base URLs of the two web servers
    workers: list[subprocess.Popen] = field(default_factory=list)
    worker_logs: list[Path] = field(default_factory=list)
    started: float = 0.0  # when the workers started (time.monotonic)

    def sql(self, query: str, *params: Any) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def django(self, code: str) -> str:
        """Runs `code` in a process of the service's own (Django set up as the servers are); returns what it printed."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        result = subprocess.run(  # noqa: S603 - our own code
            [sys.executable, "-c", script], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def outbox(self) -> dict[str, dict[str, Any]]:
        rows = self.sql(
            "SELECT id::text, status, notify_id::text, kind, idempotency_key, last_error FROM notify_outboxemail"
        )
        return {
            pk: {"status": status, "notify_id": notify_id, "kind": kind, "key": key, "last_error": error}
            for pk, status, notify_id, kind, key, error in rows
        }

    def outstanding(self) -> int:
        return self.sql("SELECT count(*) FROM notify_outboxemail WHERE status IN ('queued', 'sending')")[0][0]

    def worker_log(self, number: int) -> str:
        return self.worker_logs[number].read_text(errors="replace")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=180,
    )


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def wait_for(what: str, ready: Callable[[], Any], *, seconds: float, every: float = 0.5) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answer := ready():
            return answer
        time.sleep(every)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def serving(url: str) -> bool:
    try:
        return requests.get(f"{url}/reports/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    workdir = tmp_path_factory.mktemp("several-machines")
    (workdir / "several_machines_settings.py").write_text(textwrap.dedent(SETTINGS))
    key = machines.api_key()
    with ExitStack() as cleanup:
        started = time.monotonic()
        # Each of some 10,000 requests to the fake Notify would be a line of the report of a failure.
        notify_log = logging.getLogger("devtools.fake_notify")
        cleanup.callback(notify_log.setLevel, notify_log.level)
        notify_log.setLevel(logging.WARNING)
        flush_redis()
        cleanup.callback(flush_redis)
        database_url = cleanup.enter_context(machines.temporary_postgres(DATABASE_URL, prefix="several_machines"))
        notify = machines.fake_notify(key, fault_rate=FAULT_RATE)
        cleanup.callback(notify.stop)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "several_machines_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BASE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "NOTIFY_API_KEY": key,
            "NOTIFY_CALLBACK_TOKEN": secrets.token_urlsafe(32),
            "NOTIFY_BASE_URL": notify.base_url,
            "NOTIFY_TIMEOUT": str(NOTIFY_TIMEOUT),
            # Short retries, waited for in the task, as in bench/notify_outbox.py.
            "NOTIFY_RETRY_BASE_SECONDS": "0.2",
            "NOTIFY_RETRY_MAX_SECONDS": "2",
            "NOTIFY_INLINE_RETRY_WAIT_SECONDS": "3",
            "NOTIFY_SEND_BUDGET_SECONDS": "10",
            "NOTIFY_STALE_SENDING_SECONDS": str(STALE_SENDING_SECONDS),
            "Q_WORKERS": "2",
            # The workers' log says which of them ran each task.
            "LOG_LEVEL": "INFO",
        }
        machines.migrated(database_url)  # a copy of a migrated database; `migrate` then applies nothing
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "setup_schedules")
        service = Service(env=env, database_url=database_url, notify=notify)
        # The reminders, due now on both workers, for today (given, so that the run does not depend on the hour).
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).date()
        service.sql(
            "UPDATE django_q_schedule SET next_run = now() - interval '1 minute', args = %s WHERE name = %s",
            repr(today.isoformat()),
            REMINDERS,
        )

        for _ in range(2):
            port = machines.free_port()
            command = [sys.executable, "-m", "gunicorn", "--workers=2", f"--bind=127.0.0.1:{port}"]
            web = machines.spawn([*command, "--log-level=warning", "cms.wsgi:application"], env=env)
            cleanup.callback(machines.stop, web)
            service.web.append(f"http://127.0.0.1:{port}")
        for number in range(2):
            log_path = workdir / f"qcluster-{number}.log"
            with log_path.open("w") as log:
                worker = machines.spawn([sys.executable, "manage.py", "qcluster"], env=env, log=log)
            # SIGINT, as Ctrl-C would: django-q2's cluster can hang on SIGTERM.
            cleanup.callback(machines.stop, worker, sig=signal.SIGINT, timeout=5)
            service.workers.append(worker)
            service.worker_logs.append(log_path)
        service.started = time.monotonic()
        print(f"\nset up in {service.started - started:.0f} s (migrate, demo content, schedules)", file=sys.stderr)
        for url in service.web:
            wait_for(f"the web server at {url}", lambda url=url: serving(url), seconds=60)
        for number in range(2):
            wait_for(f"worker {number}", lambda number=number: "running" in service.worker_log(number), seconds=60)
        yield service


# --- 1. the page cache ----------------------------------------------------------------------------------------------


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        kind, name, value = (re.search(rf'{attr}="([^"]*)"', tag) for attr in ("type", "name", "value"))
        if kind and kind[1] == "hidden" and name:
            fields[name[1]] = value[1] if value else ""
    return fields


def sign_in(url: str, username: str) -> requests.Session:
    person = requests.Session()
    page = person.get(f"{url}/sign-in/", timeout=10)
    form = {**hidden_inputs(page.text), "username": username, "password": DEMO_PASSWORD}
    answer = person.post(f"{url}/sign-in/", data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:2000]
    return person


def test_publishing_through_one_web_server_clears_the_other_servers_page_cache_at_once(service: Service) -> None:
    one, other = service.web
    ((report_id, slug),) = service.sql(
        "SELECT page.id, page.slug FROM workflow_reportpage report "
        "JOIN wagtailcore_page page ON page.id = report.page_ptr_id "
        "JOIN workflow_assessment assessment ON assessment.id = report.assessment_id "
        "WHERE report.status = 'shared' AND NOT assessment.confidential ORDER BY page.id LIMIT 1"
    )
    public_path = f"/reports/{slug}/"
    visitor = requests.Session()  # anonymous: only they get the shared page cache
    for url in (one, other, other):
        listing = visitor.get(f"{url}/reports/", timeout=10)
        assert listing.status_code == 200
        assert public_path not in listing.text
    assert listing.headers["X-Page-Cache"] == "hit"  # the other server's reports list is cached now

    manager = sign_in(one, "product")
    # Sessions live in the shared database: signed in on one machine is signed in on all.
    assert manager.get(f"{other}/team/", allow_redirects=False, timeout=10).status_code == 200
    accept_page = manager.get(f"{one}/team/reports/{report_id}/accept/", timeout=10)
    assert "Accept and publish the report" in accept_page.text
    accepted = manager.post(
        f"{one}/team/reports/{report_id}/accept/",
        data=hidden_inputs(accept_page.text),
        allow_redirects=False,
        timeout=30,
    )
    assert accepted.status_code == 302

    listing = visitor.get(f"{other}/reports/", timeout=10)
    assert listing.headers.get("X-Page-Cache") == "miss"
    assert public_path in listing.text
    assert visitor.get(f"{other}{public_path}", timeout=10).status_code == 200
    assert visitor.get(f"{other}/reports/", timeout=10).headers.get("X-Page-Cache") == "hit"


# --- 2 and 4. emails, and a worker killed mid-send -------------------------------------------------------------------


def _descendants(pids: set[int]) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command may hold spaces and parentheses: the fields after its closing one are fixed.
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, grew = set(pids), True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


def sender_of(client: tuple[str, int], among: set[int]) -> int | None:
    """The process, among `among` and their descendants, with an open TCP socket from this local port."""
    port = client[1]
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in _descendants(among):
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) in inodes:
                    return pid
        except OSError:
            continue
    return None


@dataclass(frozen=True)
class Kill:
    pid: int
    worker: int  # which of the two workers the killed process belonged to
    reference: str  # the outbox row whose send Notify was holding
    held_after: bool  # Notify was still holding the send once the worker was dead: it died mid-send


@dataclass(frozen=True)
class Drained:
    ids: set[str]
    kill: Kill
    seconds: float
    outbox: dict[str, dict[str, Any]]
    sent: list[dict[str, Any]]
    dropped: int  # connections the saboteur dropped, and sends it held past the client's timeout
    held: int


def kill_a_worker_mid_send(service: Service, *, seconds: float) -> Kill:
    """SIGKILL the worker process whose send Notify has taken and not yet answered."""
    trees = [{worker.pid} for worker in service.workers]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for held in service.notify.stalled_sends():
            if held.reference is None:  # taken but refused (400): not an email of the outbox
                continue
            for number, tree in enumerate(trees):
                pid = sender_of(held.client, tree)
                if pid is not None and pid not in tree:  # a worker process, not the cluster's main process
                    os.kill(pid, signal.SIGKILL)
                    held_after = held in service.notify.stalled_sends()
                    return Kill(pid=pid, worker=number, reference=held.reference, held_after=held_after)
        time.sleep(0.01)
    raise AssertionError(f"no send was held by Notify in {seconds:.0f} s")


@pytest.fixture(scope="module")
def drained(service: Service) -> Drained:
    saboteur = machines.Saboteur(service.notify, every=3.0, stall=NOTIFY_TIMEOUT + 1.5)
    saboteur.start()
    try:
        started = time.monotonic()
        service.django(f"""
            from devtools.machines import queue_emails
            queue_emails({EMAILS}, tag="several-machines")
        """)
        kill = kill_a_worker_mid_send(service, seconds=30)
        # Dropped and stalled sends for the first SABOTAGE_SECONDS only: by the tail of the drain they would fall on
        # the few emails left, one attempt in two, and fail them for good. The random 10% go on to the end.
        time.sleep(max(0.0, started + SABOTAGE_SECONDS - time.monotonic()))
        saboteur.stopping.set()
        # The killed worker's emails wait STALE_SENDING_SECONDS, then the next run of the minute schedule.
        wait_for("the outbox to drain", lambda: service.outstanding() == 0, seconds=180)
        seconds = time.monotonic() - started
        print(f"{EMAILS} emails drained in {seconds:.0f} s; killed mid-send: {kill}", file=sys.stderr)
    finally:
        saboteur.stopping.set()
    outbox = service.outbox()
    ids = {pk for pk, row in outbox.items() if row["key"].startswith("several-machines:")}
    return Drained(
        ids=ids,
        kill=kill,
        seconds=seconds,
        outbox=outbox,
        sent=service.notify.sent,
        dropped=saboteur.drops,
        held=saboteur.stalls,
    )


def test_emails_queued_at_once_are_drained_by_both_workers_none_lost_none_doubled(
    service: Service, drained: Drained
) -> None:
    assert len(drained.ids) == EMAILS
    assert drained.dropped and drained.held
    statuses = {row["status"] for pk, row in drained.outbox.items() if pk in drained.ids}
    assert statuses == {"sent"}
    rows = {pk: row["notify_id"] for pk, row in drained.outbox.items()}
    assert machines.tally(drained.sent, rows) == machines.Tally(lost=0, duplicated=0, mismatched=0)
    for number in range(2):
        sending = re.findall(r"processing .* 'notify\.tasks\.send_outbox_emails'", service.worker_log(number))
        assert sending, f"worker {number} sent none of the emails"


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(service: Service, drained: Drained) -> None:
    kill = drained.kill
    assert kill.held_after
    row = drained.outbox[kill.reference]
    received = [notification for notification in drained.sent if notification["reference"] == kill.reference]
    # Notify took the send the worker died waiting for; a worker still running looked it up rather than resend it.
    assert len(received) == 1
    assert (row["status"], row["notify_id"]) == ("sent", received[0]["id"])
    assert "found by reference" in row["last_error"]
    assert not Path(f"/proc/{kill.pid}").exists()
    logs = service.worker_log(0) + service.worker_log(1)
    assert re.search(r"Recovered \d+ emails left sending by a stopped worker", logs)
    # The killed worker's cluster replaced it and kept working.
    assert service.workers[kill.worker].poll() is None
    assert "reincarnated worker" in service.worker_log(kill.worker)


# --- 3. the reminder schedule ----------------------------------------------------------------------------------------


def test_the_reminder_schedule_due_on_both_workers_sends_each_reminder_once(service: Service, drained: Drained) -> None:
    # Each worker's scheduler looks at the schedules about every 30 seconds: let both look more than once.
    time.sleep(max(0.0, service.started + 70 - time.monotonic()))
    runs = [
        line
        for number in range(2)
        for line in service.worker_log(number).splitlines()
        if f"from schedule [{REMINDERS}]" in line
    ]
    assert len(runs) == 1, runs
    ((next_run,),) = service.sql("SELECT next_run > now() FROM django_q_schedule WHERE name = %s", REMINDERS)
    assert next_run

    reminders = {pk for pk, row in service.outbox().items() if row["kind"] in SCHEDULED_KINDS}
    assert reminders, "the demo content has no reminder due today"
    # As if the schedule had run on each worker after all: the task itself writes each reminder once.
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).date()
    service.django(f"""
        from django_q.tasks import async_task
        for _ in range(2):
            async_task("workflow.tasks.send_scheduled_reminders", {today.isoformat()!r}, group="again")
    """)
    wait_for(
        "the reminder task to run twice more",
        lambda: service.sql("SELECT count(*) FROM django_q_task WHERE \"group\" = 'again' AND success")[0][0] == 2,
        seconds=60,
    )
    wait_for("the outbox to drain", lambda: service.outstanding() == 0, seconds=60)

    outbox = service.outbox()
    assert {pk for pk, row in outbox.items() if row["kind"] in SCHEDULED_KINDS} == reminders
    sent = [notification for notification in service.notify.sent if notification["reference"] in reminders]
    assert machines.tally(sent, {pk: outbox[pk]["notify_id"] for pk in reminders}) == machines.Tally(0, 0, 0)
