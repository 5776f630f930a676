"""A local fake of the GOV.UK Notify API, for tests and local development.

It answers the calls the project makes through ``notifications-python-client`` the way Notify does
(JWT checks, schema errors, template errors, the 201 body), keeps what it "sent" in memory, shows it on
an HTML page, and can be told to fail, stall or hang up so that retry logic can be exercised.

Standard library and PyJWT only, so it starts in milliseconds and can run in its own process:

    python -m devtools.fake_notify --port 6011 --api-key KEY --templates devtools/notify_templates.json
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import html
import json
import logging
import random
import re
import select
import signal
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

logger = logging.getLogger(__name__)

JWT_ALGORITHM = "HS256"
CLOCK_SKEW_SECONDS = 30
PAGE_SIZE = 250  # Notify's page size for GET /v2/notifications
FROM_EMAIL = "fake.notify@notifications.service.gov.uk"
CREATED_BY = "fake.notify@digital.cabinet-office.gov.uk"
STATUSES = frozenset({"created", "sending", "delivered", "permanent-failure", "temporary-failure", "technical-failure"})
FINAL_STATUSES = STATUSES - {"created", "sending"}
TEMPLATE_TYPES = ("sms", "email", "letter")
EMAIL_REQUEST_KEYS = frozenset(
    {
        "email_address",
        "template_id",
        "personalisation",
        "reference",
        "email_reply_to_id",
        "one_click_unsubscribe_url",
        "scheduled_for",
        "sanitise_content_for",
    }
)
LIST_QUERY_KEYS = frozenset({"reference", "status", "template_type", "older_than", "include_jobs"})

# What Notify says for the statuses tests usually inject; anything else gets a generic body.
INJECTED_ERRORS: Mapping[int, tuple[str, str]] = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    401: ("AuthError", "Unauthorized: authentication token must be provided"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}

_PLACEHOLDER = re.compile(r"\(\(([^()\n]+)\)\)")
# Notify matches personalisation keys to placeholders ignoring case, spaces, underscores and hyphens.
_KEY_NOISE = str.maketrans("", "", " _-")
# Notify shows a conditional placeholder's text for these values.
_TRUTHY = frozenset({"yes", "y", "true", "t", "1"})

_EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)$")
_HOSTNAME_PART = re.compile(r"^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$", re.IGNORECASE)
_TLD = re.compile(r"^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- templates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placeholder:
    name: str
    conditional_text: str | None  # set for ((name??text)), shown only when the value is yes/true

    @property
    def key(self) -> str:
        return _personalisation_key(self.name)


def _personalisation_key(name: str) -> str:
    return name.translate(_KEY_NOISE).lower()


def _parse_placeholder(raw: str) -> _Placeholder:
    name, separator, text = raw.partition("??")
    return _Placeholder(name.strip(), text if separator else None)


@dataclass(frozen=True)
class FakeTemplate:
    """An email template; ``subject`` and ``body`` use Notify's ``((placeholder))`` syntax."""

    id: str
    name: str
    subject: str
    body: str

    def placeholders(self) -> list[_Placeholder]:
        """Placeholders in order of first appearance (subject, then body), one per name."""
        seen: dict[str, _Placeholder] = {}
        for match in _PLACEHOLDER.finditer(self.subject + "\n" + self.body):
            placeholder = _parse_placeholder(match.group(1))
            existing = seen.get(placeholder.key)
            # A name used both plainly and conditionally is required: the plain use needs a value.
            if existing is None or (existing.conditional_text is not None and placeholder.conditional_text is None):
                seen[placeholder.key] = placeholder
        return list(seen.values())

    def required_personalisation(self) -> list[str]:
        return [p.name for p in self.placeholders() if p.conditional_text is None]

    def missing_personalisation(self, personalisation: Mapping[str, Any]) -> list[str]:
        given = {_personalisation_key(key): value for key, value in personalisation.items()}
        return sorted(name for name in self.required_personalisation() if given.get(_personalisation_key(name)) is None)

    def render(self, text: str, personalisation: Mapping[str, Any]) -> str:
        given = {_personalisation_key(key): value for key, value in personalisation.items()}

        def replace(match: re.Match[str]) -> str:
            placeholder = _parse_placeholder(match.group(1))
            value = given.get(placeholder.key)
            if placeholder.conditional_text is not None:
                return placeholder.conditional_text if str(value).strip().lower() in _TRUTHY else ""
            return _as_text(value)

        return _PLACEHOLDER.sub(replace, text)


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        # Notify turns a list into a bulleted list.
        return "\n".join(f"* {_as_text(item)}" for item in value)
    return "" if value is None else str(value)


def _load_templates(path: str) -> list[FakeTemplate]:
    with open(path, encoding="utf-8") as file:
        return [
            FakeTemplate(**{key: str(item[key]) for key in ("id", "name", "subject", "body")})
            for item in json.load(file)
        ]


# --- errors and validation -------------------------------------------------------------------------


class NotifyApiError(Exception):
    """An answer in Notify's error format: ``{"status_code": N, "errors": [{"error", "message"}]}``."""

    def __init__(self, status: int, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in errors))
        self.status = status
        self.errors = list(errors)

    def body(self) -> dict[str, Any]:
        return {
            "status_code": self.status,
            "errors": [{"error": error, "message": message} for error, message in self.errors],
        }


def _fail(status: int, error: str, message: str) -> NoReturn:
    raise NotifyApiError(status, [(error, message)])


def injected_error(status: int) -> NotifyApiError:
    error, message = INJECTED_ERRORS.get(status, ("Exception", _reason(status)))
    return NotifyApiError(status, [(error, message)])


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _normalise_uuid(value: str, field: str) -> str:
    if not _is_uuid(value):
        _fail(400, "ValidationError", f"{field} is not a valid UUID")
    return str(uuid.UUID(value))


def is_valid_email(address: str) -> bool:
    """A compact version of Notify's own email check (notifications-utils ``validate_email_address``)."""
    address = address.strip()
    match = _EMAIL.match(address)
    if not match or len(address) > 320 or ".." in address:
        return False
    hostname = match.group(1)
    try:
        hostname = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    parts = hostname.split(".")
    if len(hostname) > 253 or len(parts) < 2:
        return False
    return all(part and len(part) <= 63 and _HOSTNAME_PART.match(part) for part in parts) and bool(
        _TLD.match(parts[-1])
    )


def _additional_properties(unexpected: Iterable[str]) -> tuple[str, str]:
    names = sorted(unexpected)
    verb = "was" if len(names) == 1 else "were"
    return "ValidationError", f"Additional properties are not allowed ({', '.join(names)} {verb} unexpected)"


def _type_error(field: str, value: Any, expected: str) -> tuple[str, str]:
    return "ValidationError", f"{field} {value!r} is not of type '{expected}'"


def _email_request_errors(payload: Any) -> list[tuple[str, str]]:
    """All schema errors at once, as Notify reports them."""
    if not isinstance(payload, dict):
        return [("ValidationError", f"{payload!r} is not of type 'object'")]
    errors = [
        ("ValidationError", f"{field} is a required property")
        for field in ("email_address", "template_id")
        if field not in payload
    ]
    if unexpected := set(payload) - EMAIL_REQUEST_KEYS:
        errors.append(_additional_properties(unexpected))
    email = payload.get("email_address")
    if "email_address" in payload and not (isinstance(email, str) and is_valid_email(email)):
        errors.append(("ValidationError", "email_address Not a valid email address"))
    for field in ("template_id", "email_reply_to_id"):
        if field in payload and not _is_uuid(payload[field]):
            errors.append(("ValidationError", f"{field} is not a valid UUID"))
    if "personalisation" in payload and not isinstance(payload["personalisation"], dict):
        errors.append(_type_error("personalisation", payload["personalisation"], "object"))
    for field in ("reference", "one_click_unsubscribe_url"):
        if payload.get(field) is not None and not isinstance(payload[field], str):
            errors.append(_type_error(field, payload[field], "string"))
    return errors


def check_token(authorization: str | None, *, service_id: str, secret: str) -> None:
    """Refuse the request the way Notify does unless it carries a fresh HS256 JWT for this key."""
    if not authorization:
        _fail(401, "AuthError", "Unauthorized: authentication token must be provided")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _fail(401, "AuthError", "Unauthorized: authentication bearer scheme must be used")
    claims = _verified_claims(token.strip(), service_id=service_id, secret=secret)
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        _fail(403, "AuthError", "Invalid token: iat field not provided")
    # Whole seconds, as Notify counts them.
    if abs(int(time.time()) - iat) > CLOCK_SKEW_SECONDS:
        _fail(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")


def _verified_claims(token: str, *, service_id: str, secret: str) -> dict[str, Any]:
    try:
        if jwt.get_unverified_header(token).get("alg") != JWT_ALGORITHM:
            _fail(403, "AuthError", "Invalid token: algorithm used is not HS256")
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        if issuer is None:
            _fail(403, "AuthError", "Invalid token: iss field not provided")
        if issuer != service_id:
            _fail(403, "AuthError", "Invalid token: API key not found")
        # iat is checked by hand: Notify allows 30 s either way, PyJWT would refuse any future iat.
        return jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options={"verify_iat": False})
    except jwt.InvalidTokenError:
        _fail(403, "AuthError", "Invalid token: API key not found")


def _split_api_key(api_key: str) -> tuple[str, str]:
    service_id, secret = api_key[-73:-37], api_key[-36:]
    if len(api_key) < 74 or not (_is_uuid(service_id) and _is_uuid(secret) and api_key[-37] == "-"):
        raise ValueError("api_key must look like '{key name}-{service id uuid}-{secret uuid}'")
    return service_id, secret


# --- fault injection -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Delay:
    seconds: float
    accept_first: bool  # record the notification before stalling, so the client times out on a real send


@dataclass(frozen=True)
class StalledSend:
    """A send Notify has taken and is not answering yet (``delay_next(..., accept_then_delay=True)``)."""

    reference: str | None
    client: tuple[str, int]  # the sender's address and port: which process it is, for a test that kills it


@dataclass(frozen=True)
class _Plan:
    """What to do to one POST /v2/notifications/email, decided as it arrives."""

    drop: bool = False
    fail_status: int | None = None
    delay: _Delay | None = None


class _Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: deque[int] = deque()
        self._delays: deque[_Delay] = deque()
        self._drops = 0
        self._rate = 0.0
        self._rate_statuses: tuple[int, ...] = ()
        self._random = random.Random()  # noqa: S311 - picks which sends fail, not security relevant

    def fail_next(self, status: int, count: int) -> None:
        _check_error_status(status)
        with self._lock:
            self._failures.extend([status] * _positive(count, "count"))

    def set_rate(self, rate: float, statuses: Sequence[int], seed: int | None) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if rate and not statuses:
            raise ValueError("statuses must name at least one status")
        for status in statuses:
            _check_error_status(status)
        with self._lock:
            self._rate, self._rate_statuses = rate, tuple(statuses)
            self._random = random.Random(seed)  # noqa: S311 - seeded so a flaky run can be replayed

    def delay_next(self, seconds: float, count: int, accept_first: bool) -> None:
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._lock:
            self._delays.extend([_Delay(seconds, accept_first)] * _positive(count, "count"))

    def drop_next(self, count: int) -> None:
        with self._lock:
            self._drops += _positive(count, "count")

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self._drops = 0
            self._rate, self._rate_statuses = 0.0, ()

    def pending(self) -> int:
        """Faults set for the next sends and not yet used (a fault rate is not counted)."""
        with self._lock:
            return len(self._failures) + len(self._delays) + self._drops

    def take(self) -> _Plan:
        """Consume the faults for one send: a drop alone, else any delay plus any failure."""
        with self._lock:
            if self._drops:
                self._drops -= 1
                return _Plan(drop=True)
            delay = self._delays.popleft() if self._delays else None
            return _Plan(fail_status=self._take_failure(), delay=delay)

    def _take_failure(self) -> int | None:
        if self._failures:
            return self._failures.popleft()
        if self._rate and self._random.random() < self._rate:
            return self._random.choice(self._rate_statuses)
        return None


def _check_error_status(status: int) -> None:
    if not 400 <= status <= 599:
        raise ValueError(f"status must be a 4xx or 5xx HTTP status, not {status}")


def _positive(count: int, name: str) -> int:
    if count < 1:
        raise ValueError(f"{name} must be at least 1")
    return count


# --- the fake service ------------------------------------------------------------------------------


class FakeNotifyServer:
    """A fake Notify for one API key, serving on a background thread once started."""

    def __init__(
        self,
        *,
        api_key: str,
        templates: Iterable[FakeTemplate] = (),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.service_id, self._secret = _split_api_key(api_key)
        self._address = (host, port)
        self._lock = threading.Lock()
        self._templates: dict[str, tuple[FakeTemplate, str]] = {}
        self._notifications: dict[str, dict[str, Any]] = {}
        self._faults = _Faults()
        self._stalled: list[StalledSend] = []
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        for template in templates:
            self.add_template(template)

    # lifecycle

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("FakeNotifyServer has not been started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeNotifyServer:
        if self._httpd is not None:
            raise RuntimeError("FakeNotifyServer is already running")
        self._stopping.clear()
        self._httpd = _HTTPServer(self._address, self)
        # A short poll interval keeps stop() quick: shutdown() waits for the loop to notice it.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-notify", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes requests stalled by delay_next
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> FakeNotifyServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def sleep_unless_stopped(self, seconds: float) -> bool:
        """Sleep, cut short by stop(); True if the whole time passed."""
        return not self._stopping.wait(seconds)

    # state

    def add_template(self, template: FakeTemplate) -> None:
        template_id = str(uuid.UUID(template.id))  # refuses ids Notify could never have issued
        with self._lock:
            self._templates[template_id] = (template, _now())

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every accepted notification, oldest first (copies: changing them changes nothing)."""
        with self._lock:
            return copy.deepcopy(list(self._notifications.values()))

    def clear(self) -> None:
        """Forget sent notifications and pending faults; templates stay."""
        with self._lock:
            self._notifications.clear()
        self._faults.clear()

    def set_status(self, notification_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}")
        with self._lock:
            notification = self._notifications[str(notification_id)]
            notification["status"] = status
            if status != "created":
                notification["sent_at"] = notification["sent_at"] or _now()
            if status in FINAL_STATUSES:
                notification["completed_at"] = notification["completed_at"] or _now()

    # fault injection, for the next POSTs to /v2/notifications/email

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next sends with ``status`` and Notify's body for it, before any checks."""
        self._faults.fail_next(status, count)

    def set_fault_rate(self, rate: float, statuses: Sequence[int] = (429, 500), seed: int | None = None) -> None:
        self._faults.set_rate(rate, statuses, seed)

    def delay_next(self, seconds: float, count: int = 1, *, accept_then_delay: bool = False) -> None:
        """Stall the next sends.

        Without ``accept_then_delay`` the request waits before Notify "sees" it, and is forgotten if
        the client hangs up meanwhile (a timed-out send that never happened). With it the notification
        is recorded first, then the answer is late (a timed-out send that did happen).
        """
        self._faults.delay_next(seconds, count, accept_then_delay)

    def drop_next(self, count: int = 1) -> None:
        self._faults.drop_next(count)

    def take_fault_plan(self) -> _Plan:
        return self._faults.take()

    def pending_faults(self) -> int:
        """How many of the faults set by fail_next, delay_next and drop_next are still waiting for a send."""
        return self._faults.pending()

    def stalled_sends(self) -> list[StalledSend]:
        """The sends taken whose answer is being held back right now, oldest first."""
        with self._lock:
            return list(self._stalled)

    @contextlib.contextmanager
    def _holding(self, send: StalledSend) -> Iterator[None]:
        with self._lock:
            self._stalled.append(send)
        try:
            yield
        finally:
            with self._lock:
                self._stalled.remove(send)

    # the API, called by the request handler

    def authenticate(self, authorization: str | None) -> None:
        check_token(authorization, service_id=self.service_id, secret=self._secret)

    def send_email(self, payload: Any, base_url: str) -> dict[str, Any]:
        if errors := _email_request_errors(payload):
            raise NotifyApiError(400, errors)
        template_id = str(uuid.UUID(payload["template_id"]))
        with self._lock:
            template = self._templates.get(template_id, (None, ""))[0]
        if template is None:
            _fail(400, "BadRequestError", "Template not found")
        personalisation = payload.get("personalisation") or {}
        if missing := template.missing_personalisation(personalisation):
            _fail(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        notification = self._record(template, payload, personalisation)
        return _send_response(notification, base_url, self.service_id)

    def _record(
        self, template: FakeTemplate, payload: dict[str, Any], personalisation: dict[str, Any]
    ) -> dict[str, Any]:
        notification = {
            "id": str(uuid.uuid4()),
            "reference": payload.get("reference"),
            "email_address": payload["email_address"].strip(),
            "template_id": str(uuid.UUID(template.id)),
            "template_version": 1,
            "template_name": template.name,
            "personalisation": copy.deepcopy(personalisation),
            "subject": template.render(template.subject, personalisation),
            "body": template.render(template.body, personalisation),
            "one_click_unsubscribe_url": payload.get("one_click_unsubscribe_url"),
            "scheduled_for": payload.get("scheduled_for"),
            "created_at": _now(),
            "sent_at": None,
            "completed_at": None,
            "status": "created",
        }
        with self._lock:
            self._notifications[notification["id"]] = notification
            return copy.deepcopy(notification)

    def get_notification(self, notification_id: str, base_url: str) -> dict[str, Any]:
        notification_id = _normalise_uuid(notification_id, "notification_id")
        with self._lock:
            notification = copy.deepcopy(self._notifications.get(notification_id))
        if notification is None:
            _fail(404, "NoResultFound", "No result found")
        return _notification_view(notification, base_url, self.service_id)

    def list_notifications(self, query: dict[str, list[str]], base_url: str) -> dict[str, Any]:
        if unexpected := set(query) - LIST_QUERY_KEYS:
            raise NotifyApiError(400, [_additional_properties(unexpected)])
        for template_type in query.get("template_type", []):
            if template_type not in TEMPLATE_TYPES:
                _fail(
                    400,
                    "ValidationError",
                    f"template_type {template_type} is not one of [sms, email, letter]",
                )
        for status in query.get("status", []):
            if status not in STATUSES:
                _fail(400, "ValidationError", f"status {status} is not one of [{', '.join(sorted(STATUSES))}]")
        older_than = query.get("older_than", [None])[0]
        if older_than is not None:
            older_than = _normalise_uuid(older_than, "older_than")
        page = self._page(query, older_than)
        return {
            "notifications": [_notification_view(n, base_url, self.service_id) for n in page],
            "links": _list_links(query, page, base_url),
        }

    def _page(self, query: dict[str, list[str]], older_than: str | None) -> list[dict[str, Any]]:
        with self._lock:
            newest_first = copy.deepcopy(list(reversed(self._notifications.values())))
        if older_than is not None:
            ids = [n["id"] for n in newest_first]
            newest_first = newest_first[ids.index(older_than) + 1 :] if older_than in ids else []
        matching = [n for n in newest_first if _matches(n, query)]
        return matching[:PAGE_SIZE]

    def get_template(self, template_id: str) -> dict[str, Any]:
        template_id = _normalise_uuid(template_id, "id")
        with self._lock:
            template, created_at = self._templates.get(template_id, (None, ""))
        if template is None:
            _fail(404, "NoResultFound", "No result found")
        return _template_view(template, created_at)


def _matches(notification: Mapping[str, Any], query: Mapping[str, list[str]]) -> bool:
    references = query.get("reference")
    if references and notification["reference"] != references[0]:
        return False
    if query.get("template_type") and "email" not in query["template_type"]:
        return False
    return not query.get("status") or notification["status"] in query["status"]


def _list_links(query: dict[str, list[str]], page: list[dict[str, Any]], base_url: str) -> dict[str, str]:
    def url(params: dict[str, list[str]]) -> str:
        encoded = urlencode(params, doseq=True)
        return f"{base_url}/v2/notifications" + (f"?{encoded}" if encoded else "")

    links = {"current": url(query)}
    # Like Notify: a "next" link whenever this page had something, so iterators stop on an empty page.
    if page:
        links["next"] = url({**query, "older_than": [page[-1]["id"]]})
    return links


def _template_uri(base_url: str, service_id: str, template_id: str) -> str:
    return f"{base_url}/services/{service_id}/templates/{template_id}"


def _send_response(notification: Mapping[str, Any], base_url: str, service_id: str) -> dict[str, Any]:
    return {
        "id": notification["id"],
        "reference": notification["reference"],
        "uri": f"{base_url}/v2/notifications/{notification['id']}",
        "template": {
            "id": notification["template_id"],
            "version": notification["template_version"],
            "uri": _template_uri(base_url, service_id, notification["template_id"]),
        },
        "content": {
            "from_email": FROM_EMAIL,
            "body": notification["body"],
            "subject": notification["subject"],
            "one_click_unsubscribe_url": notification["one_click_unsubscribe_url"],
        },
        "scheduled_for": notification["scheduled_for"],
    }


def _notification_view(notification: Mapping[str, Any], base_url: str, service_id: str) -> dict[str, Any]:
    return {
        "id": notification["id"],
        "reference": notification["reference"],
        "email_address": notification["email_address"],
        "phone_number": None,
        "type": "email",
        "status": notification["status"],
        "template": {
            "id": notification["template_id"],
            "version": notification["template_version"],
            "uri": _template_uri(base_url, service_id, notification["template_id"]),
        },
        "body": notification["body"],
        "subject": notification["subject"],
        "created_at": notification["created_at"],
        "created_by_name": None,
        "sent_at": notification["sent_at"],
        "completed_at": notification["completed_at"],
        "scheduled_for": notification["scheduled_for"],
        "one_click_unsubscribe_url": notification["one_click_unsubscribe_url"],
    }


def _template_view(template: FakeTemplate, created_at: str) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(template.id)),
        "name": template.name,
        "type": "email",
        "created_at": created_at,
        "updated_at": None,
        "created_by": CREATED_BY,
        "version": 1,
        "body": template.body,
        "subject": template.subject,
        "letter_contact_block": None,
        "personalisation": {p.name: {"required": p.conditional_text is None} for p in template.placeholders()},
    }


# --- HTTP ------------------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for requests stalled by delay_next

    def __init__(self, address: tuple[str, int], fake: FakeNotifyServer) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.exception("Fake Notify failed to handle a request from %s", client_address)


_Route = Callable[["_Handler", "re.Match[str]"], None]


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "FakeNotify/1.0"

    def do_GET(self) -> None:
        self._route(_GET_ROUTES)

    def do_POST(self) -> None:
        self._route(_POST_ROUTES)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    @property
    def fake(self) -> FakeNotifyServer:
        return self.server.fake

    @property
    def base_url(self) -> str:
        # Answer with the address the client used, so uris work behind docker port mappings too.
        host = self.headers.get("Host")
        return f"http://{host}" if host else self.fake.base_url

    def _route(self, routes: Sequence[tuple[re.Pattern[str], _Route]]) -> None:
        url = urlsplit(self.path)
        for pattern, handle in routes:
            if match := pattern.fullmatch(url.path):
                handle(self, match)
                return
        self._send_json(404, {"result": "error", "message": "The requested URL was not found on the server."})

    # /v2

    def _api(self, answer: Callable[[], tuple[int, Any]]) -> None:
        try:
            self.fake.authenticate(self.headers.get("Authorization"))
            status, body = answer()
        except NotifyApiError as error:
            status, body = error.status, error.body()
        self._send_json(status, body)

    def get_notification(self, match: re.Match[str]) -> None:
        self._api(lambda: (200, self.fake.get_notification(match["id"], self.base_url)))

    def list_notifications(self, match: re.Match[str]) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self._api(lambda: (200, self.fake.list_notifications(query, self.base_url)))

    def get_template(self, match: re.Match[str]) -> None:
        self._api(lambda: (200, self.fake.get_template(match["id"])))

    def send_email(self, match: re.Match[str]) -> None:
        raw = self._read_body()  # read first, so that a hang-up is the only thing left to read
        plan = self.fake.take_fault_plan()
        if plan.drop:
            self.close_connection = True
            return
        delay = plan.delay
        if delay and not delay.accept_first and not self._wait_for_client(delay.seconds):
            return
        if plan.fail_status is not None:
            self._send_json(plan.fail_status, injected_error(plan.fail_status).body())
            return
        try:
            self.fake.authenticate(self.headers.get("Authorization"))
            status, body = 201, self.fake.send_email(_parse_json(raw), self.base_url)
        except NotifyApiError as error:
            status, body = error.status, error.body()
        if delay and delay.accept_first:
            held = StalledSend(body.get("reference") if status == 201 else None, self.client_address[:2])
            with self.fake._holding(held):
                if not self._wait_for_client(delay.seconds):
                    return
        self._send_json(status, body)

    def _wait_for_client(self, seconds: float) -> bool:
        """Stall for ``seconds``; False as soon as the client hangs up (or the server stops)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.fake.stopping:
                return False
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.05))
            if readable and self._client_hung_up():
                return False
            if readable:  # unexpected bytes, not a hang-up: just sit out the rest of the delay
                return self.fake.sleep_unless_stopped(max(deadline - time.monotonic(), 0))
        return True

    def _client_hung_up(self) -> bool:
        try:
            return not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    # /_fake, for people and for tests in other processes

    def inbox(self, match: re.Match[str]) -> None:
        self._send(200, "text/html; charset=utf-8", render_inbox(self.fake.sent).encode())

    def sent_json(self, match: re.Match[str]) -> None:
        self._send_json(200, self.fake.sent)

    def reset(self, match: re.Match[str]) -> None:
        self._read_body()
        self.fake.clear()
        self._send_json(200, {"result": "ok"})

    def faults(self, match: re.Match[str]) -> None:
        try:
            apply_faults(self.fake, _parse_json(self._read_body()))
        except (NotifyApiError, ValueError, TypeError, KeyError) as error:
            self._send_json(400, {"result": "error", "message": str(error)})
            return
        self._send_json(200, {"result": "ok"})

    # plumbing

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, body: Any) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, content: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            if content_type.startswith("text/html"):
                self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("Client hung up before the answer was written")


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        _fail(400, "BadRequestError", "Invalid JSON supplied in POST data")


_UUIDISH = r"(?P<id>[^/]+)"
_GET_ROUTES: Sequence[tuple[re.Pattern[str], _Route]] = (
    (re.compile(r"/(_fake/?)?"), _Handler.inbox),
    (re.compile(r"/_fake/sent\.json"), _Handler.sent_json),
    (re.compile(r"/v2/notifications"), _Handler.list_notifications),
    (re.compile(rf"/v2/notifications/{_UUIDISH}"), _Handler.get_notification),
    (re.compile(rf"/v2/template/{_UUIDISH}"), _Handler.get_template),
)
_POST_ROUTES: Sequence[tuple[re.Pattern[str], _Route]] = (
    (re.compile(r"/v2/notifications/email"), _Handler.send_email),
    (re.compile(r"/_fake/reset"), _Handler.reset),
    (re.compile(r"/_fake/faults"), _Handler.faults),
)


def apply_faults(fake: FakeNotifyServer, request: Any) -> None:
    """Apply a POST /_fake/faults body, e.g. ``{"fail_next": {"status": 500, "count": 2}}``.

    Keys: ``fail_next`` ({status, count}), ``fault_rate`` (a rate, or {rate, statuses, seed}),
    ``delay_next`` (seconds, or {seconds, count, accept_then_delay}), ``drop_next`` (a count).
    """
    if not isinstance(request, dict) or not request:
        raise ValueError("expected a JSON object with fail_next, fault_rate, delay_next or drop_next")
    if unknown := set(request) - {"fail_next", "fault_rate", "delay_next", "drop_next"}:
        raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))}")
    if "fail_next" in request:
        spec = request["fail_next"]
        fake.fail_next(int(spec["status"]), int(spec.get("count", 1)))
    if "fault_rate" in request:
        spec = _as_spec(request["fault_rate"], "rate")
        statuses = [int(status) for status in spec.get("statuses", (429, 500))]
        fake.set_fault_rate(float(spec["rate"]), statuses, spec.get("seed"))
    if "delay_next" in request:
        spec = _as_spec(request["delay_next"], "seconds")
        count, accept = int(spec.get("count", 1)), bool(spec.get("accept_then_delay", False))
        fake.delay_next(float(spec["seconds"]), count, accept_then_delay=accept)
    if "drop_next" in request:
        fake.drop_next(int(request["drop_next"]))


def _as_spec(value: Any, main_key: str) -> dict[str, Any]:
    return value if isinstance(value, dict) else {main_key: value}


# --- the page for people ---------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fake GOV.UK Notify</title>
<style>
body {{ font-family: Arial, sans-serif; margin: 2rem; max-width: 60rem; color: #0b0c0c; }}
article {{ border-top: 2px solid #b1b4b6; padding: 1rem 0; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }}
dt {{ font-weight: bold; }}
dd {{ margin: 0; }}
pre {{ white-space: pre-wrap; background: #f3f2f1; padding: 1rem; }}
</style>
</head>
<body>
<h1>Fake GOV.UK Notify</h1>
<p>{summary} Newest first. Reload to see new ones.</p>
{emails}
</body>
</html>
"""


def render_inbox(notifications: Sequence[Mapping[str, Any]]) -> str:
    """The emails received, newest first; every value is escaped, since personalisation is user input."""
    summary = f"{len(notifications)} email{'' if len(notifications) == 1 else 's'} received."
    emails = "\n".join(_render_email(notification) for notification in reversed(notifications))
    return _PAGE.format(summary=summary, emails=emails)


def _render_email(notification: Mapping[str, Any]) -> str:
    fields = {
        "To": notification["email_address"],
        "Template": notification.get("template_name") or notification["template_id"],
        "Reference": notification["reference"] or "",
        "Status": notification["status"],
        "Created": notification["created_at"],
        "Id": notification["id"],
    }
    details = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in fields.items())
    return (
        f"<article><h2>{html.escape(notification['subject'])}</h2><dl>{details}</dl>"
        f"<pre>{_linked(html.escape(notification['body']))}</pre></article>"
    )


# The address as escaped text; it stays escaped inside href, where the browser reads `&amp;` back as `&`.
_LINK = re.compile(r"https?://[^\s<>\"')\]]+")


def _linked(escaped: str) -> str:
    """Links in an email are followed by people testing the service: make them links, as an email client would."""
    return _LINK.sub(lambda match: f'<a href="{match[0]}">{match[0]}</a>', escaped)


# --- command line ----------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run a fake GOV.UK Notify API for local development.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6011)
    parser.add_argument("--api-key", required=True, help="the key the app uses: {name}-{service id}-{secret}")
    parser.add_argument(
        "--templates",
        action="append",
        default=[],
        metavar="PATH",
        help="JSON list of {id, name, subject, body}; may be repeated",
    )
    return parser.parse_args(argv)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    templates = [template for path in args.templates for template in _load_templates(path)]
    server = FakeNotifyServer(api_key=args.api_key, templates=templates, host=args.host, port=args.port).start()
    # `docker stop` and friends send SIGTERM: shut down as cleanly as for Ctrl-C.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    print(f"Fake GOV.UK Notify listening on {server.base_url} ({len(templates)} templates)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
