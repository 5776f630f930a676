"""Production settings are checked in a separate process: they are read once, at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_VALUES = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-value",
    "ALLOWED_HOSTS": "reports.example.gov.uk",
    "NOTIFY_API_KEY": "live-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222",
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
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_VALUES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "SECRET_KEY"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    values = {key: value for key, value in PRODUCTION_VALUES.items() if key != "ALLOWED_HOSTS"}
    result = manage("check", **values)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_the_task_queue_uses_the_database_by_default_and_redis_when_redis_url_is_set():
    code = "from django_q.brokers import get_broker; broker = get_broker(); print(type(broker).__name__, broker.ping())"
    without = manage("shell", "--no-imports", "-c", code, **PRODUCTION_VALUES)
    assert without.stdout.split() == ["ORM", "True"], without.stderr
    with_redis = manage("shell", "--no-imports", "-c", code, **PRODUCTION_VALUES, REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis.stdout.split() == ["Redis", "True"], with_redis.stderr
