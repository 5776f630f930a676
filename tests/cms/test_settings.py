"""Production settings are checked in a separate process: they are read once, at start-up."""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

from devtools import machines

from .test_security import POLICY

ROOT = Path(__file__).resolve().parents[2]
# What a deployment sets, made up afresh for each run: a real-looking key is never written down here.
PRODUCTION_VALUES = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "reports.example.gov.uk",
    "NOTIFY_API_KEY": f"live-{uuid.uuid4()}-{uuid.uuid4()}",
    "NOTIFY_CALLBACK_TOKEN": secrets.token_urlsafe(32),
    "BASE_URL": "https://reports.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VALUES}
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_passes_check_deploy_with_no_warnings():
    assert len(PRODUCTION_VALUES["SECRET_KEY"]) >= 50
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_VALUES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_VALUES, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


# Runs in production settings: migrates a database (a copy of a migrated one), signs someone in over HTTPS (as the load balancer
# forwards it) and prints what the responses carried. Static files come from the build, without collectstatic.
RESPONSES_IN_PRODUCTION = """
import json
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("amy", password="a-long-enough-password-1")
storages = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=storages):
    https = Client(HTTP_HOST="reports.example.gov.uk", HTTP_X_FORWARDED_PROTO="https")
    page = https.get("/sign-in/")
    signed_in = https.post("/sign-in/", {"username": "amy", "password": "a-long-enough-password-1"})
    plain = Client(HTTP_HOST="reports.example.gov.uk").get("/sign-in/")
cookies = {
    name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
    for name, m in {**page.cookies, **signed_in.cookies}.items()
}
print(json.dumps({
    "status": [page.status_code, signed_in.status_code, plain.status_code],
    "headers": dict(page.headers),
    "redirect": plain.headers.get("Location"),
    "cookies": cookies,
}))
"""


def test_production_responses_carry_the_security_headers_and_secure_cookies(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    machines.migrated(database_url)  # a copy of a migrated database: the script's migrate applies nothing
    values = {**PRODUCTION_VALUES, "DATABASE_URL": database_url}
    result = manage("shell", "--no-imports", "-c", RESPONSES_IN_PRODUCTION, **values)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == [200, 302, 301]
    assert seen["redirect"] == "https://reports.example.gov.uk/sign-in/", "plain HTTP goes to HTTPS"

    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict((part.split()[0], part.split()[1:]) for part in headers["Content-Security-Policy"].split(";"))
    assert policy == POLICY

    cookies = seen["cookies"]
    assert set(cookies) == {"csrftoken", "sessionid"}
    for name, cookie in cookies.items():
        assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}, name


def test_production_refuses_to_start_without_a_secret_key():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "SECRET_KEY"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "BASE_URL"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "BASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "ALLOWED_HOSTS"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_refuses_to_start_without_the_notify_callback_token():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "NOTIFY_CALLBACK_TOKEN"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "NOTIFY_CALLBACK_TOKEN must be set" in result.stderr


def test_the_task_queue_uses_the_database_by_default_and_redis_when_redis_url_is_set():
    code = "from django_q.brokers import get_broker; broker = get_broker(); print(type(broker).__name__, broker.ping())"
    without = manage("shell", "--no-imports", "-c", code, **PRODUCTION_VALUES)
    assert without.stdout.split() == ["ORM", "True"], without.stderr
    with_redis = manage("shell", "--no-imports", "-c", code, **PRODUCTION_VALUES, REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis.stdout.split() == ["Redis", "True"], with_redis.stderr
