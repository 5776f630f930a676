"""Notify's delivery receipts, POSTed to /notify/callback/ with the bearer token from the settings."""

import json
import uuid

import pytest

from notify import kinds
from notify.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db

URL = "/notify/callback/"
TOKEN = "tests-callback-token-not-a-secret"


@pytest.fixture
def email():
    return OutboxEmail.objects.create(
        kind=kinds.REPORT_SHARED,
        template_id=str(uuid.uuid4()),
        email_address="sam@example.gov.uk",
        idempotency_key="test",
        status=OutboxStatus.SENT,
    )


def receipt(email, status="delivered", **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "reference": str(email.pk),
        "to": email.email_address,
        "status": status,
        "created_at": "2026-10-08T09:00:00.000000Z",
        "completed_at": "2026-10-08T09:00:05.123456Z",
        "sent_at": "2026-10-08T09:00:01.000000Z",
        "notification_type": "email",
        "template_id": email.template_id,
        "template_version": 1,
    }
    return body | overrides


def post(client, body, token=TOKEN, content=None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = content if content is not None else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("status", OutboxStatus.receipts())
def test_a_receipt_records_the_delivery_status(client, email, status):
    body = receipt(email, status)

    response = post(client, body)

    assert response.status_code == 200
    assert response.json() == {"result": "recorded"}
    email.refresh_from_db()
    assert email.status == status
    assert email.completed_at.isoformat() == "2026-10-08T09:00:05.123456+00:00"
    assert str(email.notify_id) == body["id"]


def test_a_receipt_does_not_replace_a_known_notify_id(client, email):
    email.notify_id = known = uuid.uuid4()
    email.save()

    post(client, receipt(email))

    email.refresh_from_db()
    assert email.notify_id == known


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}],
)
def test_a_receipt_without_the_right_token_is_refused(client, email, headers):
    response = client.post(URL, data=json.dumps(receipt(email)), content_type="application/json", headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_without_a_configured_token_every_receipt_is_refused(client, email, settings):
    settings.NOTIFY_CALLBACK_TOKEN = None

    assert post(client, receipt(email), token="None").status_code == 401
    assert post(client, receipt(email), token="").status_code == 401


@pytest.mark.parametrize("content", ["{not json", "[]", '{"reference": "x"}', '{"status": 3}'])
def test_a_malformed_receipt_is_a_bad_request(client, email, content):
    assert post(client, None, content=content).status_code == 400


def test_a_receipt_for_an_unknown_reference_is_acknowledged_and_ignored(client, email):
    for reference in (str(uuid.uuid4()), "not-ours", None):
        response = post(client, receipt(email, reference=reference))
        assert response.status_code == 200
        assert response.json()["result"] == "ignored"
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_a_receipt_with_a_status_that_is_not_final_is_ignored(client, email):
    response = post(client, receipt(email, "sending"))

    assert (response.status_code, response.json()["result"]) == (200, "ignored")
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_only_post_is_allowed(client):
    assert client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
