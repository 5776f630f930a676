"""Runs the fake Notify server, a django-q2 worker and the web server together; Ctrl-C stops all three.

`make run` calls this after migrating and loading the demo content."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def notify_settings() -> tuple[str, int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    return settings.NOTIFY_API_KEY, urlsplit(settings.NOTIFY_BASE_URL).port or 6011


def start(name: str, args: list[str]) -> tuple[str, subprocess.Popen]:
    # Each child gets its own process group so that stopping one never signals this script.
    return name, subprocess.Popen(args, cwd=ROOT, start_new_session=True)  # noqa: S603


def stop(processes: list[tuple[str, subprocess.Popen]]) -> None:
    for _, process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 8
    for name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # django-q2's cluster can hang on shutdown (upstream issue #346).
            print(f"{name} did not stop; killing it", flush=True)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    api_key, notify_port = notify_settings()
    port = os.environ.get("PORT", "8000")
    processes = [
        start(
            "fake Notify",
            [
                PYTHON,
                "-m",
                "workflow.notify.fake_server",
                "--port",
                str(notify_port),
                "--api-key",
                api_key,
                "--templates",
                "workflow/notify/templates.json",
            ],
        ),
        start("worker", [PYTHON, "manage.py", "qcluster"]),
        start("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"]),
    ]
    print(
        f"""
Service assessment reports is running at http://127.0.0.1:{port}/
  Staff sign in at http://127.0.0.1:{port}/admin/, everyone else at http://127.0.0.1:{port}/sign-in/
  (the demo sign-ins are listed above)
  Emails sent to the fake Notify server: http://127.0.0.1:{notify_port}/
Press Ctrl-C to stop.
""",
        flush=True,
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while True:
            for name, process in processes:
                if process.poll() is not None:
                    print(f"{name} stopped (exit code {process.returncode}); stopping the others", flush=True)
                    return process.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
