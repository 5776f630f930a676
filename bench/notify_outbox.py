"""Benchmark: drain the email outbox through real django-q2 workers into a faulty fake Notify.

    .venv/bin/python bench/notify_outbox.py            # 5,000 emails, temporary SQLite database
    .venv/bin/python bench/notify_outbox.py --quick    # 500 emails, for CI
    .venv/bin/python bench/notify_outbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres

What it does:

1. Makes a fresh database (a temporary SQLite file, or a temporary database on the PostgreSQL server given)
   and migrates it.
2. Starts the fake Notify server (devtools/fake_notify.py) in this process, with the project's
   templates, failing 10% of sends at random with 429, 500, 502 or 503; it also drops a connection and
   accepts-then-stalls a send (so that the client times out on an email Notify did take) every few
   seconds.
3. Starts `manage.py qcluster` (the real worker, production settings) against that database.
4. Queues the emails through the outbox as events do: 100 per transaction, each commit queueing a task.
5. Waits until no email is queued or sending, then checks what the fake received against the outbox:
   `lost` counts emails Notify never received, `duplicated` emails it received more than once.

The last line is `emails_per_minute=N lost=N duplicated=N`. The time counted runs from the first email
queued to the last one sent. Retries use short backoff here (0.2 s doubling to 2 s, waited in the task),
where production waits 10 s doubling to 30 minutes and leaves retries to the minute schedule.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.fake_notify import FakeNotifyServer, FakeTemplate  # noqa: E402

API_KEY = f"bench-{uuid.uuid4()}-{uuid.uuid4()}"
FAULT_STATUSES = (429, 500, 502, 503)
EMAILS_PER_EVENT = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="500 emails, for CI")
    parser.add_argument("--workers", type=int, default=4, help="django-q2 worker processes (default 4)")
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--database-url", help="a PostgreSQL server to make a temporary database on")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--per-second", action="store_true", help="also print how many were sent each second")
    args = parser.parse_args()
    if args.quick:
        args.emails = 500
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def temporary_database(url: str | None):
    """A fresh database URL: a SQLite file in a temporary directory, or a new PostgreSQL database."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="bench-outbox-") as directory:
            # IMMEDIATE: a transaction takes the write lock when it begins, and waits for it, rather than
            # failing with "database is locked" when it writes after reading while another process writes.
            yield f"sqlite:///{directory}/bench.sqlite3?timeout=30&transaction_mode=IMMEDIATE", "SQLite"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"bench_outbox_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), "PostgreSQL"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def project_templates() -> list[FakeTemplate]:
    items = json.loads((ROOT / "devtools" / "notify_templates.json").read_text(encoding="utf-8"))
    return [FakeTemplate(id=i["id"], name=i["name"], subject=i["subject"], body=i["body"]) for i in items]


def local_template_ids() -> dict[str, str]:
    items = json.loads((ROOT / "devtools" / "notify_templates.json").read_text(encoding="utf-8"))
    return {item["key"]: item["id"] for item in items}


def environment(database_url: str, notify_url: str, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "localhost",
        "BASE_URL": "https://reports.example.gov.uk",
        "DATABASE_URL": database_url,
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_CALLBACK_TOKEN": secrets.token_urlsafe(32),
        "NOTIFY_BASE_URL": notify_url,
        "NOTIFY_TIMEOUT": "1",
        "NOTIFY_RETRY_BASE_SECONDS": "0.2",
        "NOTIFY_RETRY_MAX_SECONDS": "2",
        "NOTIFY_INLINE_RETRY_WAIT_SECONDS": "3",
        "NOTIFY_SEND_BATCH_SIZE": str(EMAILS_PER_EVENT),
        "Q_WORKERS": str(workers),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


class Saboteur(threading.Thread):
    """Every few seconds: one dropped connection, and one send that Notify takes but answers too late."""

    def __init__(self, server: FakeNotifyServer, every: float = 3.0) -> None:
        super().__init__(daemon=True)
        self.server, self.every, self.stopping = server, every, threading.Event()
        self.drops = self.stalls = 0

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            self.server.drop_next()
            self.server.delay_next(2.0, accept_then_delay=True)  # the client gives up after 1 s
            self.drops += 1
            self.stalls += 1


def queue_emails(count: int) -> list[str]:
    from django.db import transaction

    from notify import kinds, outbox

    kind = kinds.KINDS[kinds.REPORT_SHARED]
    ids: list[str] = []
    run = uuid.uuid4().hex[:8]
    for start in range(0, count, EMAILS_PER_EVENT):
        emails = []
        for number in range(start, min(start + EMAILS_PER_EVENT, count)):
            personalisation = {name: f"{name} {number}" for name in kind.personalisation}
            personalisation["report_link"] = f"https://reports.example.gov.uk/team/reports/{number}/"
            emails.append(
                outbox.NewEmail(kind.key, f"person{number}@example.gov.uk", personalisation, f"bench:{run}:{number}")
            )
        with transaction.atomic():
            written = outbox.write(emails)
            outbox.enqueue(written)
        ids += [str(pk) for pk in written]
    return ids


def outstanding() -> int:
    from notify.models import OutboxEmail, OutboxStatus

    return OutboxEmail.objects.filter(status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]).count()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # django-q2's cluster can hang on shutdown (upstream issue #346)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    args = parse_args()
    server = FakeNotifyServer(api_key=API_KEY, templates=project_templates(), port=free_port()).start()
    server.set_fault_rate(args.fault_rate, statuses=FAULT_STATUSES, seed=args.seed)
    with temporary_database(args.database_url) as (database_url, database_name):
        env = environment(database_url, server.base_url, args.workers)
        print(f"database: {database_name}; migrating...", flush=True)
        manage(env, "migrate", "--noinput")
        if database_url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(urlsplit(database_url).path) as connection:
                connection.execute("PRAGMA journal_mode=WAL")
        manage(env, "setup_schedules")
        os.environ.update(env)
        import django

        django.setup()
        from notify.models import NotifyTemplates

        # As the service assessment team would, in Settings > Notify templates.
        NotifyTemplates.objects.create(**{key: template_id for key, template_id in local_template_ids().items()})

        cluster_log = Path(tempfile.mkstemp(prefix="bench-qcluster-", suffix=".log")[1])
        with cluster_log.open("w") as log:
            cluster = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        saboteur = Saboteur(server)
        try:
            time.sleep(3)  # let the cluster start its workers
            print(f"queueing {args.emails} emails; {args.workers} workers; {args.fault_rate:.0%} faults", flush=True)
            saboteur.start()
            started = time.monotonic()
            queue_emails(args.emails)
            queued_in = time.monotonic() - started
            deadline = started + args.timeout
            while (left := outstanding()) and time.monotonic() < deadline:
                if cluster.poll() is not None:
                    print(f"the cluster stopped (exit code {cluster.returncode})", flush=True)
                    break
                time.sleep(0.2)
            elapsed = time.monotonic() - started
            saboteur.stopping.set()
        finally:
            stop(cluster)
        return report(server, left, elapsed, queued_in, saboteur, args.fault_rate, args.per_second, cluster_log)


def report(server, left, elapsed, queued_in, saboteur, fault_rate, per_second, cluster_log) -> int:
    from notify.models import OutboxEmail

    ids = [str(pk) for pk in OutboxEmail.objects.values_list("pk", flat=True)]  # every email queued
    received = collections.Counter(notification["reference"] for notification in server.sent)
    notify_ids = {notification["reference"]: notification["id"] for notification in server.sent}
    expected = set(ids)
    lost = sum(1 for pk in expected if pk not in received)
    duplicated = sum(count - 1 for count in received.values() if count > 1) + sum(
        count for reference, count in received.items() if reference not in expected
    )
    statuses = collections.Counter(OutboxEmail.objects.values_list("status", flat=True))
    attempts = collections.Counter(OutboxEmail.objects.values_list("attempts", flat=True))
    mismatched = sum(
        1
        for pk, notify_id in OutboxEmail.objects.filter(status="sent").values_list("pk", "notify_id")
        if notify_ids.get(str(pk)) != str(notify_id)
    )
    if per_second:
        times = sorted(OutboxEmail.objects.values_list("sent_at", flat=True))
        first = times[0]
        buckets = collections.Counter(int((t - first).total_seconds()) for t in times)
        print("sent per second:", dict(sorted(buckets.items())))
    sent = statuses.get("sent", 0)
    per_minute = int(sent / elapsed * 60) if elapsed else 0
    print(f"queued {len(ids)} emails in {queued_in:.1f}s; drained in {elapsed:.1f}s; {left} left unsent")
    print(f"outbox statuses: {dict(statuses)}")
    print(f"attempts per email: {dict(sorted(attempts.items()))}")
    total = sum(count * n for n, count in attempts.items())
    print(
        f"{total} attempts for {len(ids)} emails; injected: {fault_rate:.0%} of sends answered "
        f"{'/'.join(map(str, FAULT_STATUSES))}, {saboteur.drops} connections dropped, {saboteur.stalls} sends timed out"
    )
    print(f"notify received {sum(received.values())} sends; outbox rows whose notify id differs: {mismatched}")
    lines = cluster_log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if " ERROR " in line or "Traceback" in line]
    if errors:
        print(f"worker log: {cluster_log} ({len(errors)} errors), the first:")
        for line in errors[:5]:
            print(f"  {line}")
    else:
        print(f"worker log: {len(lines)} lines, no errors")
        cluster_log.unlink()
    server.stop()
    print(f"emails_per_minute={per_minute} lost={lost} duplicated={duplicated}", flush=True)
    return 0 if lost == duplicated == mismatched == left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
