"""GOV.UK Notify's delivery receipts.

Notify POSTs one receipt per email to /notify/callback/ with the bearer token set for the service's callback
(settings.NOTIFY_CALLBACK_TOKEN). A receipt's `reference` is the outbox row's id; its status (delivered,
permanent-failure, temporary-failure, technical-failure) is recorded on that row.

Answers: 401 without the right token (or when no token is configured), 400 for a body that is not a JSON
object with a string `status`, 200 otherwise. A receipt for a reference the outbox does not know (an email
sent by something else on the same Notify service) is acknowledged with 200 and ignored, so that Notify
does not retry it.
"""

import hmac
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import OutboxStatus
from .outbox import apply_receipt

logger = logging.getLogger(__name__)


def _authorised(request) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _when(value):
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed but impossible, e.g. month 13: the receipt still counts, its time does not
        moment = None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.UTC)
    return moment


@csrf_exempt
@require_POST
def callback(request):
    if not _authorised(request):
        response = JsonResponse({"result": "error", "message": "Unauthorised"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="notify-callback"'
        return response
    try:
        receipt = json.loads(request.body)
    # json recurses once per nesting level, so a body nested about a thousand deep (valid JSON or not) raises
    # RecursionError rather than a ValueError; no receipt is nested at all.
    except (ValueError, RecursionError):
        return JsonResponse({"result": "error", "message": "The body is not JSON"}, status=400)
    if not isinstance(receipt, dict) or not isinstance(receipt.get("status"), str):
        return JsonResponse({"result": "error", "message": "Expected a JSON object with a status"}, status=400)
    status, reference = receipt["status"], receipt.get("reference")
    if status not in OutboxStatus.receipts():
        return JsonResponse({"result": "ignored", "message": f"Status {status[:40]!r} is not a final status"})
    if not isinstance(reference, str) or not apply_receipt(
        reference=reference,
        status=status,
        notify_id=receipt.get("id") if isinstance(receipt.get("id"), str) else None,
        completed_at=_when(receipt.get("completed_at")),
    ):
        logger.info("Delivery receipt for an unknown reference ignored")
        return JsonResponse({"result": "ignored", "message": "Unknown reference"})
    return JsonResponse({"result": "recorded"})
