"""A fake GOV.UK Notify for tests: started on a free port with the project's templates
(devtools/notify_templates.json), with the settings pointed at it. Tests talk to it through the real
notifications-python-client; nothing patches the client.

Each test module makes it a fixture with `running_fake_notify` (see there).
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from devtools.fake_notify import FakeNotifyServer, FakeTemplate
from notify.models import OutboxEmail, OutboxStatus

TEMPLATES_JSON = Path(__file__).resolve().parent.parent / "devtools" / "notify_templates.json"


def project_templates(*, leave_out: tuple[str, ...] = ()) -> list[FakeTemplate]:
    return [
        FakeTemplate(id=item["id"], name=item["name"], subject=item["subject"], body=item["body"])
        for item in json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))
        if item["key"] not in leave_out
    ]


def template_id(key: str) -> str:
    return next(item["id"] for item in json.loads(TEMPLATES_JSON.read_text(encoding="utf-8")) if item["key"] == key)


@contextmanager
def running_fake_notify(settings) -> Iterator[FakeNotifyServer]:
    """For a module's fixture:

    @pytest.fixture
    def fake_notify(settings):
        with running_fake_notify(settings) as server:
            yield server
    """
    with FakeNotifyServer(api_key=settings.NOTIFY_API_KEY, templates=project_templates()) as server:
        settings.NOTIFY_BASE_URL = server.base_url
        settings.NOTIFY_TIMEOUT = 5
        settings.NOTIFY_MAX_ATTEMPTS = 4
        settings.NOTIFY_RETRY_BASE_SECONDS = 10
        settings.NOTIFY_RETRY_MAX_SECONDS = 60
        settings.NOTIFY_INLINE_RETRY_WAIT_SECONDS = 0
        yield server


def sent(server: FakeNotifyServer, kind: str | None = None) -> list[dict]:
    """What the fake received, optionally only one kind of email, in the order received."""
    return [n for n in server.sent if kind is None or n["template_id"] == template_id(kind)]


def addresses(server: FakeNotifyServer, kind: str) -> list[str]:
    return sorted(n["email_address"] for n in sent(server, kind))


def make_due() -> int:
    """Bring every waiting retry forward to now, as if its backoff had passed."""
    return OutboxEmail.objects.filter(status=OutboxStatus.QUEUED).update(next_attempt_at=timezone.now())
