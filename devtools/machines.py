"""Real processes against a temporary database, the pieces `bench/notify_outbox.py` and the several-machines test
(`tests/several_machines/`) share.

- `temporary_postgres(server_url)`: a fresh database on a PostgreSQL server, dropped at the end however it ends.
- `migrated(database_url)`: an empty database given every migration's schema and data, copied from a migrated one kept
  on this machine (the tests and benchmarks that need a database of their own used to migrate one each).
- `fake_notify(fault_rate)`: the fake Notify server (`devtools/fake_notify.py`) with the project's templates,
  failing a share of sends at random; `Saboteur` adds a dropped connection and a send taken but answered too late.
- `queue_emails(count)`: emails written and queued through the outbox as events do (Django set up).
- `tally(sent, ids)`: what Notify received against the outbox's rows: how many lost, how many doubled.
- `spawn(...)`, `stop(process)`: a process in its own session, and stopping it with everything it started.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from devtools.fake_notify import FakeNotifyServer, FakeTemplate

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_FILE = ROOT / "devtools" / "notify_templates.json"
FAULT_STATUSES = (429, 500, 502, 503)
EMAILS_PER_EVENT = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api_key() -> str:
    """A key of the shape Notify issues, which the fake server checks tokens against."""
    return f"local-{uuid.uuid4()}-{uuid.uuid4()}"


@contextmanager
def temporary_postgres(server_url: str, *, prefix: str) -> Iterator[str]:
    """A new database on the server of `server_url` (whatever database it names, which need not exist)."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Migrating from nothing renders the models' state after each of some 260 migrations: a minute or more on a busy
# 2-core machine, and each benchmark, the several-machines test and several tests used to do it again. A database
# migrated once is kept on this machine for the migrations and installed packages as they are now (a SQLite file in
# the temporary directory, or a template database on the PostgreSQL server) and copied. Callers still run `migrate`
# after the copy: it applies nothing, but runs what follows every migrate (the default Site's address, permissions).
_KEPT_PREFIX = "service_assessment_reports_migrated_"


def _migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for name, version in sorted((d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()):
        digest.update(f"{name}=={version};".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _machine_lock(name: str) -> Iterator[None]:
    """One process at a time on this machine (the two test suites run side by side in CI)."""
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": database_url}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")


def migrated(database_url: str) -> None:
    """Gives the database at `database_url` every migration's schema and data: a SQLite file that does not exist yet,
    or an empty PostgreSQL database that nothing is connected to (it is made again as a copy)."""
    kept = _KEPT_PREFIX + _migrations_fingerprint()
    parts = urlsplit(database_url)
    with _machine_lock(kept):
        if parts.scheme == "sqlite":
            template = Path(tempfile.gettempdir()) / f"{kept}.sqlite3"
            if not template.exists():
                making = template.with_suffix(f".{os.getpid()}.making")
                making.unlink(missing_ok=True)
                _migrate(f"sqlite:///{making}")
                making.replace(template)
                for old in Path(tempfile.gettempdir()).glob(f"{_KEPT_PREFIX}*.sqlite3"):
                    if old != template:
                        old.unlink(missing_ok=True)
            shutil.copyfile(template, parts.path)
            return
        import psycopg

        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres", query=""))
        with psycopg.connect(admin, autocommit=True) as connection:
            have = {
                row[0]
                for row in connection.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{_KEPT_PREFIX}%"]
                )
            }
            if kept not in have:
                connection.execute(f'CREATE DATABASE "{kept}"')
                try:
                    _migrate(urlunsplit(parts._replace(path=f"/{kept}")))
                except BaseException:
                    connection.execute(f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)')
                    raise
                for old in have:
                    with suppress(psycopg.Error):
                        connection.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{kept}"')


# --- the fake Notify --------------------------------------------------------------------------------


def project_templates() -> list[FakeTemplate]:
    items = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return [FakeTemplate(id=i["id"], name=i["name"], subject=i["subject"], body=i["body"]) for i in items]


def template_ids() -> dict[str, str]:
    """Each email kind's template id on the fake server, as the team would set them in Settings > Notify templates."""
    return {item["key"]: item["id"] for item in json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))}


def fake_notify(key: str, *, fault_rate: float, seed: int | None = None) -> FakeNotifyServer:
    """Started, on a free port, answering a share of sends with 429, 500, 502 or 503 at random."""
    server = FakeNotifyServer(api_key=key, templates=project_templates(), port=free_port()).start()
    server.set_fault_rate(fault_rate, statuses=FAULT_STATUSES, seed=seed)
    return server


class Saboteur(threading.Thread):
    """Every few seconds: one dropped connection, and one send that Notify takes but answers after `stall`
    seconds, which must be longer than the client's NOTIFY_TIMEOUT so that the client gives up on a real send.

    Not while the last ones are unused: faults piled up while nothing is sent would all fall on the next few emails,
    failing them for good after NOTIFY_MAX_ATTEMPTS."""

    def __init__(self, server: FakeNotifyServer, *, every: float = 3.0, stall: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.server, self.every, self.stall, self.stopping = server, every, stall, threading.Event()
        self.drops = self.stalls = 0

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            if self.server.pending_faults():
                continue
            self.server.drop_next()
            self.server.delay_next(self.stall, accept_then_delay=True)
            self.drops += 1
            self.stalls += 1


@dataclass(frozen=True)
class Tally:
    lost: int  # rows Notify never received
    duplicated: int  # sends beyond one per row, and sends of no row at all
    mismatched: int  # sent rows whose Notify id is not the one Notify gave their reference


def tally(sent: Iterable[Mapping[str, Any]], rows: Mapping[str, str | None]) -> Tally:
    """`sent`: the fake's notifications; `rows`: every outbox row's id and, once sent, its Notify id."""
    sent = list(sent)
    received = Counter(notification["reference"] for notification in sent)
    notify_ids = {notification["reference"]: notification["id"] for notification in sent}
    return Tally(
        lost=sum(1 for pk in rows if pk not in received),
        duplicated=sum(count - 1 for count in received.values()) + sum(1 for ref in received if ref not in rows),
        mismatched=sum(1 for pk, notify_id in rows.items() if notify_id and notify_ids.get(pk) != notify_id),
    )


# --- the outbox (Django set up) ---------------------------------------------------------------------


def queue_emails(count: int, *, tag: str = "load") -> list[str]:
    """`count` emails as events write them: 100 per transaction, each commit queueing the task that sends them."""
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
                outbox.NewEmail(kind.key, f"person{number}@example.gov.uk", personalisation, f"{tag}:{run}:{number}")
            )
        with transaction.atomic():
            written = outbox.write(emails)
            outbox.enqueue(written)
        ids += [str(pk) for pk in written]
    return ids


def outstanding() -> int:
    """Emails still queued or being sent."""
    from notify.models import OutboxEmail, OutboxStatus

    return OutboxEmail.objects.filter(status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]).count()


# --- processes --------------------------------------------------------------------------------------


def spawn(args: list[str], *, env: Mapping[str, str], log: IO[str] | None = None) -> subprocess.Popen:
    """In its own session, so that `stop` reaches every process it starts (gunicorn's and django-q2's workers)."""
    return subprocess.Popen(  # noqa: S603 - our own commands
        args,
        cwd=ROOT,
        env=dict(env),
        start_new_session=True,
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen, *, sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> None:
    """`sig` to its whole session, then SIGKILL to whatever is left of it after `timeout` seconds."""
    if process.poll() is not None:
        _kill_group(process, signal.SIGKILL)  # its children may outlive it
        return
    _kill_group(process, sig)
    # django-q2's cluster can hang on shutdown (upstream issue #346)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    _kill_group(process, signal.SIGKILL)
    process.wait()


def _kill_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
