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
import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.machines import (  # noqa: E402
    EMAILS_PER_EVENT,
    FAULT_STATUSES,
    Saboteur,
    api_key,
    fake_notify,
    migrated,
    outstanding,
    queue_emails,
    spawn,
    stop,
    tally,
    template_ids,
    temporary_postgres,
)

API_KEY = api_key()


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


@contextmanager
def temporary_database(url: str | None):
    """A fresh database URL: a SQLite file in a temporary directory, or a new PostgreSQL database."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="bench-outbox-") as directory:
            # IMMEDIATE: a transaction takes the write lock when it begins, and waits for it, rather than
            # failing with "database is locked" when it writes after reading while another process writes.
            yield f"sqlite:///{directory}/bench.sqlite3?timeout=30&transaction_mode=IMMEDIATE", "SQLite"
        return
    with temporary_postgres(url, prefix="bench_outbox") as database_url:
        yield database_url, "PostgreSQL"


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


def main() -> int:
    args = parse_args()
    server = fake_notify(API_KEY, fault_rate=args.fault_rate, seed=args.seed)
    with temporary_database(args.database_url) as (database_url, database_name):
        env = environment(database_url, server.base_url, args.workers)
        print(f"database: {database_name}; migrating...", flush=True)
        migrated(database_url)  # a copy of a migrated database; `migrate` then applies nothing
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
        NotifyTemplates.objects.create(**template_ids())

        cluster_log = Path(tempfile.mkstemp(prefix="bench-qcluster-", suffix=".log")[1])
        with cluster_log.open("w") as log:
            cluster = spawn([sys.executable, "manage.py", "qcluster"], env=env, log=log)
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

    rows = {
        str(pk): notify_id and str(notify_id) for pk, notify_id in OutboxEmail.objects.values_list("pk", "notify_id")
    }
    ids = list(rows)  # every email queued
    counted = tally(server.sent, rows)
    received = len(server.sent)
    statuses = collections.Counter(OutboxEmail.objects.values_list("status", flat=True))
    attempts = collections.Counter(OutboxEmail.objects.values_list("attempts", flat=True))
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
    print(f"notify received {received} sends; outbox rows whose notify id differs: {counted.mismatched}")
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
    print(f"emails_per_minute={per_minute} lost={counted.lost} duplicated={counted.duplicated}", flush=True)
    return 0 if counted.lost == counted.duplicated == counted.mismatched == left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
