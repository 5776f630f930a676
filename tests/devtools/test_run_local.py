"""`make run`'s runner (scripts/run_local.py) stops everything it started, however it is stopped.

Each test starts the real runner, with its fake Notify server, django-q2 worker and web server, on free ports and a
throwaway SQLite database, stops it one way, and checks that within 15 seconds both ports are free and every process
it started, grandchildren included, is gone."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools import machines

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "scripts" / "run_local.py"
STOP_SECONDS = 15
# Three Django processes importing everything at once are slow on a busy machine.
START_SECONDS = 180
# Every process the runner starts inherits its environment: this finds them even after they have been reparented.
MARKER = "RUN_LOCAL_TEST_MARKER"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


@dataclass
class Setup:
    env: dict[str, str]
    marker: str
    ports: tuple[int, int]
    log: Path


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("run_local") / "migrated.sqlite3"
    machines.migrated(f"sqlite:///{path}")  # migrated with cms.settings.dev, as the runner runs
    return path


@pytest.fixture
def setup(tmp_path, migrated_database) -> Setup:
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_database, database)
    web_port, notify_port = free_port(), free_port()
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(web_port),
        "NOTIFY_BASE_URL": f"http://127.0.0.1:{notify_port}",
        MARKER: marker,
    }
    return Setup(env=env, marker=marker, ports=(web_port, notify_port), log=tmp_path / "output.log")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def is_free(port: int) -> bool:
    # SO_REUSEADDR as a server sets it: connections left in TIME_WAIT do not count, a listening socket does.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stat(pid: int) -> tuple[int, str, str] | None:
    """Parent pid, state and start time of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def all_pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def descendants(root: int) -> dict[int, str]:
    """Every living descendant of root, with its start time (so a reused pid is not mistaken for it)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for pid in all_pids():
        if (fields := stat(pid)) and fields[1] != "Z":
            children.setdefault(fields[0], []).append((pid, fields[2]))
    found: dict[int, str] = {}
    pending = [root]
    while pending:
        for pid, started in children.get(pending.pop(), []):
            found[pid] = started
            pending.append(pid)
    return found


def is_running(pid: int, started: str) -> bool:
    # A zombie holds no port and runs nothing; reaping it is up to whoever it was reparented to.
    fields = stat(pid)
    return fields is not None and fields[1] != "Z" and fields[2] == started


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def marked(marker: str) -> list[int]:
    wanted = f"{MARKER}={marker}".encode()
    found = []
    for pid in all_pids():
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if wanted in environ.split(b"\0") and (fields := stat(pid)) and fields[1] != "Z":
            found.append(pid)
    return found


def background(ignore_sigint: bool) -> Callable[[], None]:
    def preexec() -> None:
        # What a shell does to a job started with `&` when it has no job control.
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_sigint else signal.SIG_DFL)
        # A job in a terminal has SIGHUP at its default, whatever the suite itself was started under: run under
        # `nohup`, it would inherit SIGHUP ignored, and the runner rightly leaves an ignored signal ignored.
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    return preexec


@contextlib.contextmanager
def running(args: list[str], setup: Setup, *, ignore_sigint: bool) -> Iterator[subprocess.Popen]:
    with setup.log.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            args,
            cwd=ROOT,
            env=setup.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=background(ignore_sigint),
        )
    try:
        yield process
    finally:
        # Whatever the outcome, leave nothing behind.
        for pid in [process.pid, *marked(setup.marker)]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if (group := os.getpgid(pid)) != os.getpgrp():
                    os.killpg(group, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


def output(setup: Setup) -> str:
    return setup.log.read_text(errors="replace")[-4000:]


def wait_until_serving(process: subprocess.Popen, setup: Setup) -> dict[int, str]:
    deadline = time.monotonic() + START_SECONDS
    while not all(answers(port) for port in setup.ports):
        assert process.poll() is None, f"the runner stopped before serving:\n{output(setup)}"
        assert time.monotonic() < deadline, (
            f"ports {setup.ports} not answering after {START_SECONDS}s:\n{output(setup)}"
        )
        time.sleep(0.2)
    family = descendants(process.pid)
    # The web port answers only once runserver's autoreloader child serves it: it is among those that must stop.
    assert sum("runserver" in command_line(pid) for pid in family) >= 2, family
    return family


def assert_all_stopped(process: subprocess.Popen, family: dict[int, str], setup: Setup) -> None:
    started = time.monotonic()
    while True:
        busy = [port for port in setup.ports if not is_free(port)]
        left = sorted({pid for pid, when in family.items() if is_running(pid, when)} | set(marked(setup.marker)))
        if process.poll() is not None and not busy and not left:
            return
        if time.monotonic() - started > STOP_SECONDS:
            break
        time.sleep(0.1)
    running_now = {pid: command_line(pid) for pid in left}
    pytest.fail(
        f"after {STOP_SECONDS}s: runner exit code {process.poll()}, ports still in use {busy}, "
        f"processes still running {running_now}\n{output(setup)}"
    )


def test_sigterm_to_a_background_runner_stops_everything(setup):
    with running([sys.executable, str(RUNNER)], setup, ignore_sigint=True) as process:
        family = wait_until_serving(process, setup)
        process.send_signal(signal.SIGTERM)
        # A second one while it is stopping, as when both make and its process group are sent one.
        time.sleep(1)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        assert_all_stopped(process, family, setup)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["ctrl-c", "terminal-closed"])
def test_a_terminal_stopping_its_foreground_job_stops_everything(setup, signum):
    with running([sys.executable, str(RUNNER)], setup, ignore_sigint=False) as process:
        family = wait_until_serving(process, setup)
        # A terminal sends these to the whole foreground process group, which the children are not in.
        os.killpg(process.pid, signum)
        assert_all_stopped(process, family, setup)


def test_a_killed_runner_leaves_nothing_running(setup):
    with running([sys.executable, str(RUNNER)], setup, ignore_sigint=True) as process:
        family = wait_until_serving(process, setup)
        process.kill()
        assert_all_stopped(process, family, setup)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_sigterm_to_make_running_it_in_the_background_stops_everything(setup, tmp_path):
    makefile = tmp_path / "Makefile"
    makefile.write_text(f"run:\n\t{sys.executable} {RUNNER}\n")
    with running(["make", "-f", str(makefile), "run"], setup, ignore_sigint=True) as process:
        family = wait_until_serving(process, setup)
        process.send_signal(signal.SIGTERM)
        assert_all_stopped(process, family, setup)
