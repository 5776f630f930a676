"""The fake GOV.UK Notify answers the real notifications-python-client the way Notify does."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
import requests
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.errors import HTTP503Error, HTTPError

from devtools.fake_notify import FakeNotifyServer, FakeTemplate

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"fake_key-{SERVICE_ID}-{SECRET}"
TEMPLATE = FakeTemplate(
    id="f33517ff-2a88-4f6e-b855-c550268ce08a",
    name="Report shared",
    subject="Report for ((service name)) shared",
    body="Hello ((name)),\n\nRead it at ((link)).\n\n((urgent??Please reply this week.))",
)
PERSONALISATION = {"service name": "Apply for a licence", "name": "Sam", "link": "https://example.gov.uk/r/1"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[FakeNotifyServer]:
    with FakeNotifyServer(api_key=API_KEY, templates=[TEMPLATE]) as fake:
        yield fake


@pytest.fixture
def client(server: FakeNotifyServer) -> NotificationsAPIClient:
    return NotificationsAPIClient(API_KEY, base_url=server.base_url, timeout=5)


def send(client: NotificationsAPIClient, **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "email_address": "sam@example.gov.uk",
        "template_id": TEMPLATE.id,
        "personalisation": PERSONALISATION,
        "reference": "report-1",
    } | overrides
    return client.send_email_notification(**arguments)


def errors_of(error: HTTPError) -> list[dict[str, str]]:
    # The client's .message is Notify's "errors" list when the body has no "message".
    return error.message  # type: ignore[return-value]


def auth_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def test_send_renders_personalisation_and_echoes_reference(
    server: FakeNotifyServer, client: NotificationsAPIClient
) -> None:
    response = send(client, one_click_unsubscribe_url="https://example.gov.uk/unsubscribe")

    assert set(response) == {"id", "reference", "uri", "template", "content", "scheduled_for"}
    assert uuid.UUID(response["id"]).version == 4
    assert response["reference"] == "report-1"
    assert response["uri"] == f"{server.base_url}/v2/notifications/{response['id']}"
    assert response["template"] == {
        "id": TEMPLATE.id,
        "version": 1,
        "uri": f"{server.base_url}/services/{SERVICE_ID}/templates/{TEMPLATE.id}",
    }
    assert response["content"]["subject"] == "Report for Apply for a licence shared"
    assert response["content"]["body"] == "Hello Sam,\n\nRead it at https://example.gov.uk/r/1.\n\n"
    assert response["content"]["one_click_unsubscribe_url"] == "https://example.gov.uk/unsubscribe"
    assert response["content"]["from_email"].endswith("@notifications.service.gov.uk")
    assert response["scheduled_for"] is None
    [sent] = server.sent
    assert sent["id"] == response["id"]
    assert sent["email_address"] == "sam@example.gov.uk"
    assert sent["personalisation"] == PERSONALISATION
    assert sent["status"] == "created"


def test_conditional_placeholder_is_optional_and_shown_for_yes(client: NotificationsAPIClient) -> None:
    response = send(client, personalisation=PERSONALISATION | {"urgent": "yes"})

    assert response["content"]["body"].endswith("Please reply this week.")


def test_personalisation_keys_match_ignoring_case_spaces_and_underscores(
    client: NotificationsAPIClient,
) -> None:
    personalisation = {"Service_Name": "Apply", "NAME": "Sam", "link": "x"}

    assert send(client, personalisation=personalisation)["content"]["subject"] == "Report for Apply shared"


def test_lookup_by_id_reflects_status_changes(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    notification_id = send(client)["id"]
    created = client.get_notification_by_id(notification_id)
    server.set_status(notification_id, "delivered")
    delivered = client.get_notification_by_id(notification_id)

    assert (created["status"], created["completed_at"]) == ("created", None)
    assert created["type"] == "email"
    assert created["reference"] == "report-1"
    assert created["body"].startswith("Hello Sam,")
    assert created["template"]["id"] == TEMPLATE.id
    assert delivered["status"] == "delivered"
    assert delivered["sent_at"] and delivered["completed_at"]


def test_lookup_of_unknown_notification_is_404(client: NotificationsAPIClient) -> None:
    with pytest.raises(HTTPError) as raised:
        client.get_notification_by_id(str(uuid.uuid4()))

    assert raised.value.status_code == 404
    assert errors_of(raised.value) == [{"error": "NoResultFound", "message": "No result found"}]


def test_missing_personalisation_is_named_in_sorted_order(
    server: FakeNotifyServer, client: NotificationsAPIClient
) -> None:
    with pytest.raises(HTTPError) as raised:
        send(client, personalisation={"service name": "Apply"})

    assert raised.value.status_code == 400
    assert errors_of(raised.value) == [{"error": "BadRequestError", "message": "Missing personalisation: link, name"}]
    assert server.sent == []


def test_unknown_template_is_refused(client: NotificationsAPIClient) -> None:
    with pytest.raises(HTTPError) as raised:
        send(client, template_id=str(uuid.uuid4()))

    assert raised.value.status_code == 400
    assert errors_of(raised.value) == [{"error": "BadRequestError", "message": "Template not found"}]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email_address": "not-an-email"}, "email_address Not a valid email address"),
        ({"email_address": "sam@example"}, "email_address Not a valid email address"),
        ({"template_id": "welcome"}, "template_id is not a valid UUID"),
    ],
)
def test_schema_errors_are_validation_errors(
    client: NotificationsAPIClient, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(HTTPError) as raised:
        send(client, **overrides)

    assert raised.value.status_code == 400
    assert errors_of(raised.value) == [{"error": "ValidationError", "message": message}]


def test_unknown_and_missing_body_keys_are_refused(server: FakeNotifyServer) -> None:
    token = create_jwt_token(SECRET, SERVICE_ID)
    body = {"template_id": TEMPLATE.id, "personalisation": PERSONALISATION, "colour": "blue"}

    response = requests.post(
        f"{server.base_url}/v2/notifications/email", json=body, headers=auth_header(token), timeout=5
    )

    assert response.status_code == 400
    assert response.json() == {
        "status_code": 400,
        "errors": [
            {"error": "ValidationError", "message": "email_address is a required property"},
            {
                "error": "ValidationError",
                "message": "Additional properties are not allowed (colour was unexpected)",
            },
        ],
    }


def test_personalisation_must_be_an_object(server: FakeNotifyServer) -> None:
    token = create_jwt_token(SECRET, SERVICE_ID)
    body = {"email_address": "sam@example.gov.uk", "template_id": TEMPLATE.id, "personalisation": ["Sam"]}

    response = requests.post(
        f"{server.base_url}/v2/notifications/email", json=body, headers=auth_header(token), timeout=5
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("personalisation ['Sam'] is not of type")


def test_wrong_secret_is_refused_with_403(server: FakeNotifyServer) -> None:
    client = NotificationsAPIClient(f"fake_key-{SERVICE_ID}-{uuid.uuid4()}", base_url=server.base_url)

    with pytest.raises(HTTPError) as raised:
        send(client)

    assert raised.value.status_code == 403
    assert errors_of(raised.value) == [{"error": "AuthError", "message": "Invalid token: API key not found"}]
    assert server.sent == []


def test_missing_token_is_refused_with_401(server: FakeNotifyServer) -> None:
    response = requests.get(f"{server.base_url}/v2/template/{TEMPLATE.id}", timeout=5)

    assert response.status_code == 401
    assert response.json()["errors"] == [
        {"error": "AuthError", "message": "Unauthorized: authentication token must be provided"}
    ]


# Clocks in whole seconds blur the 30 s edge by one second, so the cases stay clear of it.
@pytest.mark.parametrize(("skew", "status"), [(-35, 403), (35, 403), (-25, 200), (25, 200)])
def test_token_iat_must_be_within_30_seconds(server: FakeNotifyServer, skew: int, status: int) -> None:
    token = jwt.encode({"iss": SERVICE_ID, "iat": int(time.time()) + skew}, SECRET, algorithm="HS256")

    response = requests.get(f"{server.base_url}/v2/template/{TEMPLATE.id}", headers=auth_header(token), timeout=5)

    assert response.status_code == status
    if status == 403:
        assert response.json()["errors"] == [
            {
                "error": "AuthError",
                "message": "Error: Your system clock must be accurate to within 30 seconds",
            }
        ]


def test_fail_next_answers_with_notify_errors_then_recovers(
    server: FakeNotifyServer, client: NotificationsAPIClient
) -> None:
    server.fail_next(429)
    server.fail_next(500)

    with pytest.raises(HTTPError) as rate_limited:
        send(client)
    with pytest.raises(HTTPError) as broken:
        send(client)
    send(client)

    assert rate_limited.value.status_code == 429
    assert errors_of(rate_limited.value)[0]["error"] == "RateLimitError"
    assert broken.value.status_code == 500
    assert errors_of(broken.value) == [{"error": "Exception", "message": "Internal server error"}]
    assert len(server.sent) == 1


def test_fault_rate_fails_the_given_fraction(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    server.set_fault_rate(1.0, statuses=(503,), seed=1)
    with pytest.raises(HTTP503Error):
        send(client)

    server.set_fault_rate(0.0)
    send(client)

    assert len(server.sent) == 1


def test_drop_next_closes_the_connection(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    server.drop_next()

    with pytest.raises(HTTP503Error) as raised:
        send(client)
    send(client)

    assert raised.value.response is None
    assert len(server.sent) == 1


def test_a_send_that_times_out_before_notify_sees_it_is_not_recorded(server: FakeNotifyServer) -> None:
    impatient = NotificationsAPIClient(API_KEY, base_url=server.base_url, timeout=0.2)
    server.delay_next(0.6)

    with pytest.raises(HTTP503Error):
        send(impatient)
    send(impatient)
    time.sleep(0.6)  # past the stalled request's delay: it must not turn up late

    assert len(server.sent) == 1


def test_a_slow_answer_within_the_timeout_succeeds(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    server.delay_next(0.2)

    started = time.monotonic()
    send(client)

    assert time.monotonic() - started >= 0.2
    assert len(server.sent) == 1


def test_accept_then_delay_records_the_send_so_a_reference_lookup_finds_it(
    server: FakeNotifyServer, client: NotificationsAPIClient
) -> None:
    impatient = NotificationsAPIClient(API_KEY, base_url=server.base_url, timeout=0.2)
    server.delay_next(5, accept_then_delay=True)

    with pytest.raises(HTTP503Error):
        send(impatient, reference="report-42")
    send(client, reference="report-7")

    found = client.get_all_notifications(reference="report-42")["notifications"]
    assert [n["reference"] for n in found] == ["report-42"]
    assert found[0]["id"] == server.sent[0]["id"]
    assert [n["reference"] for n in client.get_all_notifications_iterator(reference="report-42")] == ["report-42"]
    assert client.get_all_notifications(reference="report-0")["notifications"] == []


def test_a_send_taken_and_held_back_is_listed_with_its_sender_until_answered(server: FakeNotifyServer) -> None:
    server.delay_next(0.5, accept_then_delay=True)
    connection = http.client.HTTPConnection(urlsplit(server.base_url).netloc, timeout=5)
    connection.connect()
    sender = connection.sock.getsockname()[:2]
    payload = {"email_address": "sam@example.gov.uk", "template_id": TEMPLATE.id, "reference": "report-9"}
    headers = {"Authorization": f"Bearer {create_jwt_token(SECRET, SERVICE_ID)}", "Content-Type": "application/json"}
    connection.request(
        "POST", "/v2/notifications/email", json.dumps(payload | {"personalisation": PERSONALISATION}), headers
    )
    deadline = time.monotonic() + 2
    while not (held := server.stalled_sends()) and time.monotonic() < deadline:
        time.sleep(0.01)
    answer = connection.getresponse()

    assert answer.status == 201
    assert [(send.reference, send.client) for send in held] == [("report-9", sender)]
    assert server.stalled_sends() == []


def test_faults_set_for_the_next_sends_are_pending_until_a_send_uses_them(
    server: FakeNotifyServer, client: NotificationsAPIClient
) -> None:
    server.set_fault_rate(0.5)
    assert server.pending_faults() == 0
    server.fail_next(500)
    server.delay_next(0.01)
    assert server.pending_faults() == 2

    with pytest.raises(HTTPError):
        send(client)  # delayed, then failed: one send uses both

    assert server.pending_faults() == 0


def test_template_lookup(client: NotificationsAPIClient) -> None:
    template = client.get_template(TEMPLATE.id)

    assert template["id"] == TEMPLATE.id
    assert (template["name"], template["type"], template["version"]) == ("Report shared", "email", 1)
    assert (template["subject"], template["body"]) == (TEMPLATE.subject, TEMPLATE.body)
    assert template["letter_contact_block"] is None
    assert template["personalisation"] == {
        "service name": {"required": True},
        "name": {"required": True},
        "link": {"required": True},
        "urgent": {"required": False},
    }
    with pytest.raises(HTTPError) as raised:
        client.get_template(str(uuid.uuid4()))
    assert raised.value.status_code == 404


def test_inbox_page_escapes_personalisation(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    send(client, personalisation=PERSONALISATION | {"name": "<script>alert(1)</script>"})
    send(client, personalisation=PERSONALISATION | {"name": "Second"})

    page = requests.get(f"{server.base_url}/", timeout=5)

    assert page.headers["Content-Type"].startswith("text/html")
    assert "<script>" not in page.text
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;," in page.text
    assert page.text.index("Hello Second") < page.text.index("Hello &lt;script&gt;")  # newest first


def test_control_endpoints_work_from_another_process(server: FakeNotifyServer, client: NotificationsAPIClient) -> None:
    send(client)
    sent = requests.get(f"{server.base_url}/_fake/sent.json", timeout=5).json()
    faults = requests.post(f"{server.base_url}/_fake/faults", json={"fail_next": {"status": 500}}, timeout=5)

    with pytest.raises(HTTPError) as raised:
        send(client)
    requests.post(f"{server.base_url}/_fake/reset", timeout=5)

    assert [n["reference"] for n in sent] == ["report-1"]
    assert faults.status_code == 200
    assert raised.value.status_code == 500
    assert server.sent == []
    bad = requests.post(f"{server.base_url}/_fake/faults", json={"explode": True}, timeout=5)
    assert bad.status_code == 400


def test_command_line_serves_templates_until_interrupted(tmp_path: Path) -> None:
    templates = tmp_path / "templates.json"
    templates.write_text(json.dumps([TEMPLATE.__dict__]))
    command = [sys.executable, "-m", "devtools.fake_notify", "--port", "0", "--api-key", API_KEY]
    environment = os.environ | {"PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*command, "--templates", str(templates)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
        # Ctrl-C in a terminal, whatever the suite runs under: started in the background by a shell without job
        # control (`cmd &` in a script, as CI runners may), the suite would pass SIGINT on ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        banner = process.stdout.readline() if process.stdout else ""
        base_url = banner.split(" on ")[1].split()[0]
        send(NotificationsAPIClient(API_KEY, base_url=base_url, timeout=5))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0
    finally:
        process.kill()
        process.wait()

    assert banner.startswith("Fake GOV.UK Notify listening on http://127.0.0.1:")
