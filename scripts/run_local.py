"""Runs the fake Notify server, a django-q2 worker and the web server together; Ctrl-C stops all three.

`make run` calls this after migrating and loading the demo content. However this script is stopped (Ctrl-C,
SIGTERM, SIGHUP, or killed outright), everything it started stops too and frees its port, the web server's
autoreloader child included."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# django-q2 lets its workers finish first, which takes it about two seconds; the limit is there because its
# cluster can hang on shutdown (upstream issue #346).
GRACE_SECONDS = 5.0

# Stops the process groups it is told about if this script dies without stopping them itself (SIGKILL, a crash):
# the first it knows of that is its stdin closing without a "done". It has a session of its own so that a signal
# sent to this script's process group, which may be what is killing this script, does not reach it.
GUARD = """
import os, signal, sys, time

groups = []
for line in sys.stdin:
    if line == "done\\n":
        sys.exit(0)
    groups.append(int(line))


def signal_groups(signum):
    any_left = False
    for group in groups:
        try:
            os.killpg(group, signum)
            any_left = True
        except ProcessLookupError:
            pass
    return any_left


signal_groups(signal.SIGINT)
deadline = time.monotonic() + float(sys.argv[1])
while signal_groups(0) and time.monotonic() < deadline:
    time.sleep(0.1)
signal_groups(signal.SIGKILL)
"""

stop_requested: list[int] = []


def notify_settings() -> tuple[str, int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    return settings.NOTIFY_API_KEY, urlsplit(settings.NOTIFY_BASE_URL).port or 6011


def say(message: str) -> None:
    # Stopping must go on even when nobody reads the output any more (`make run | tee`, with tee stopped by Ctrl-C).
    with contextlib.suppress(OSError):
        print(message, flush=True)


def note_stop_signal(signum: int, frame: object) -> None:
    # Only noted, never raised: an exception here could land in the middle of starting or stopping a child and
    # leave it running. Further signals while stopping change nothing, as stopping is already bounded.
    stop_requested.append(signum)


def listen_for_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        # A shell ignores SIGINT in a job it starts with `&` (without job control), and nohup ignores SIGHUP: that
        # signal is not meant for this job, so it stays ignored here, as in make. SIGTERM then stops it.
        if signum != signal.SIGTERM and signal.getsignal(signum) is signal.SIG_IGN:
            continue
        signal.signal(signum, note_stop_signal)


def restore_default_signals() -> None:
    # Ignored signals stay ignored across exec. A child of a job started with `&` would ignore SIGINT, which is
    # how each child is asked to stop: that left a background `make run`'s web and fake Notify servers running.
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)


def signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def start_guard() -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [PYTHON, "-c", GUARD, str(GRACE_SECONDS)],
        stdin=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=restore_default_signals,
    )


def tell_guard(guard: subprocess.Popen, line: str) -> None:
    # If the guard is gone, this script still stops its children itself.
    with contextlib.suppress(OSError):
        guard.stdin.write(f"{line}\n")
        guard.stdin.flush()


def start(name: str, args: list[str], guard: subprocess.Popen) -> tuple[str, subprocess.Popen]:
    # Its own session and process group: Ctrl-C in the terminal reaches only this script, which then stops the
    # children in order, and signalling a child's group reaches its own children (runserver's autoreloader child,
    # django-q2's workers) without ever signalling this script.
    process = subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, start_new_session=True, preexec_fn=restore_default_signals
    )
    tell_guard(guard, str(process.pid))
    return name, process


def stop(processes: list[tuple[str, subprocess.Popen]]) -> None:
    # SIGINT, as Ctrl-C in a terminal would send each of them. Not SIGTERM: django-q2's sentinel and workers leave
    # SIGTERM at its default, so a SIGTERM to the worker's group kills them under the cluster, which then hangs.
    for _, process in processes:
        signal_group(process.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for name, process in processes:
        try:
            process.wait(timeout=max(0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {GRACE_SECONDS:g} seconds; killing it")
    # Also whatever a child left behind in its group when it exited.
    for _, process in processes:
        signal_group(process.pid, signal.SIGKILL)
    for _, process in processes:
        process.wait()


def main() -> int:
    api_key, notify_port = notify_settings()
    port = os.environ.get("PORT", "8000")
    commands = [
        (
            "fake Notify",
            [
                PYTHON,
                "-m",
                "devtools.fake_notify",
                "--port",
                str(notify_port),
                "--api-key",
                api_key,
                "--templates",
                "devtools/notify_templates.json",
            ],
        ),
        ("worker", [PYTHON, "manage.py", "qcluster"]),
        ("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"]),
    ]
    listen_for_stop_signals()
    guard = start_guard()
    processes: list[tuple[str, subprocess.Popen]] = []
    try:
        for name, args in commands:
            if stop_requested:
                return 0
            processes.append(start(name, args, guard))
        say(
            f"""
Service assessment reports is running at http://127.0.0.1:{port}/
  Staff sign in at http://127.0.0.1:{port}/admin/, everyone else at http://127.0.0.1:{port}/sign-in/
  (the demo sign-ins are listed above)
  Emails sent to the fake Notify server: http://127.0.0.1:{notify_port}/
Press Ctrl-C to stop.
"""
        )
        while not stop_requested:
            for name, process in processes:
                if process.poll() is not None:
                    say(f"{name} stopped (exit code {process.returncode}); stopping the others")
                    return process.returncode or 1
            time.sleep(0.2)
        return 0
    finally:
        stop(processes)
        tell_guard(guard, "done")
        with contextlib.suppress(OSError):
            guard.stdin.close()
        guard.wait()


if __name__ == "__main__":
    sys.exit(main())
