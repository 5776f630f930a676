"""Hardening: the Content Security Policy on every page and the markup it allows, sign-in attempts limited by
django-axes, and no secret in the repository. Production's headers and `check --deploy` are in
test_settings.py; the policy in a real browser in test_browser_security.py."""

import datetime
import importlib
import re
import shutil
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.views.decorators.clickjacking import xframe_options_sameorigin

from cms.settings.csp_admin import CSPMiddlewareWithAdminPolicy
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple"

# The one policy, directive by directive, in the order each lists its sources.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# Under /admin/ only: the Wagtail admin's inline scripts and styles, and image previews from blob: URLs.
ADMIN_POLICY = {
    **POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice in {header}"
        directives[name] = sources
    return directives


# --- what the markup may contain -------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """Everything in a page that the policy would block: inline scripts and styles, event handler attributes,
    javascript: URLs, and scripts or style sheets from another origin."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"line {self.getpos()[0]}"
        if tag == "script":
            source = attributes.get("src")
            if not source:
                # Whatever its type: an inline script that runs is blocked, and one that does not is data
                # that belongs in a data- attribute or a file.
                self.found.append(f"{where}: inline <script {attrs}>")
            elif not source.startswith("/static/"):
                self.found.append(f"{where}: script from {source}")
        if tag == "style":
            self.found.append(f"{where}: <style> element")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "") and not attributes["href"].startswith("/"):
            self.found.append(f"{where}: style sheet from {attributes['href']}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{where}: event handler {name}= on <{tag}>")
            if name == "style":
                self.found.append(f"{where}: style= on <{tag}>")
            if name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{where}: javascript: URL in {name}= on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_markup_checker_finds_what_the_policy_blocks():
    page = """<html><head><script>alert(1)</script><style>p{}</style>
    <link rel="stylesheet" href="https://cdn.example.com/x.css"></head>
    <body onload="go()"><a href="javascript:void(0)">x</a><p style="color:red">y</p>
    <script src="https://cdn.example.com/x.js"></script><script></script>
    <svg><circle style="fill:red"/></svg><button formaction=" JavaScript:x()">b</button></body></html>"""
    found = "\n".join(inline_code(page))
    for what in [
        "inline <script",
        "<style> element",
        "style sheet from https://cdn.example.com",
        "event handler onload=",
        "javascript: URL in href=",
        "style= on <p>",
        "style= on <circle>",
        "script from https://cdn.example.com",
        "javascript: URL in formaction=",
    ]:
        assert what in found, what
    assert inline_code('<script type="module" src="/static/init.js"></script><p class="x">ok</p>') == []


def test_no_template_has_inline_script_style_or_event_handler():
    """The quick check, on the templates' source: the crawl below sees only what the demo content shows."""
    pattern = re.compile(
        r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE
    )
    offending = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offending.append(f"{template.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert offending == []


# --- every page, as each kind of person sees it --------------------------------------------------------

PEOPLE = [None, "lead", "researcher", "product", "assessment-team", "plus"]
START = [
    "/",
    "/reports/",
    "/guidance/",
    "/sign-in/",
    "/sign-in/link/",
    "/dashboard/",
    "/assessor/",
    "/team/",
    "/assessment-team/",
    "/plus/",
    "/bookings/",
    "/no-such-page/",
]
# Not pages of ours (the admins have their own policy, tested below), not HTML, or not to be followed.
SKIP = ("/admin/", "/django-admin/", "/sign-out/", "/api/", "/static/", "/media/", "/documents/", "/notify/")
SKIP_ENDINGS = (".csv", ".json", ".xml", ".txt", "/feed/")
PAGES_PER_PERSON = 70
QUERIES_PER_PATH = 2


def crawl(client) -> dict[str, object]:
    """Follows the site's own links from START, GET only, and returns each HTML response by URL."""
    seen_urls: set[str] = set()
    queries: dict[str, int] = {}
    queue = deque(START)
    pages = {}
    while queue and len(pages) < PAGES_PER_PERSON:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen_urls:
            continue
        if parts.path.startswith(SKIP) or parts.path.endswith(SKIP_ENDINGS):
            continue
        if parts.query:
            queries[parts.path] = queries.get(parts.path, 0) + 1
            if queries[parts.path] > QUERIES_PER_PATH:
                continue
        seen_urls.add(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code in (301, 302):
            queue.append(urljoin(parts.path, response["Location"]))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages[url] = response
        html = response.content.decode()
        for link in re.findall(r'<a\s[^>]*href="([^"#]+)', html):
            queue.append(urljoin(parts.path, link.replace("&amp;", "&")))
    return pages


@pytest.mark.django_db
def test_every_page_has_exactly_the_policy_and_nothing_it_would_block():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model().objects
    checked = set()
    for username in PEOPLE:
        client = Client()
        if username:
            client.force_login(users.get(username=username))
        pages = crawl(client)
        assert len(pages) > 5, (username, list(pages))
        for url, response in pages.items():
            assert policy_of(response) == POLICY, (username, url)
            assert response["X-Frame-Options"] == "DENY", (username, url)
            assert inline_code(response.content.decode()) == [], (username, url)
        checked |= {urlsplit(url).path.split("/")[1] for url in pages}
    # The crawl reached the public pages, sign-in, each dashboard, the forms and the error pages.
    for section in ["reports", "guidance", "sign-in", "assessor", "team", "assessment-team", "plus", "bookings"]:
        assert section in checked, section
    assert "no-such-page" in checked


@pytest.mark.django_db
def test_forms_with_errors_and_the_lockout_page_have_the_policy(client):
    response = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert policy_of(response) == POLICY
    assert inline_code(response.text) == []
    response = client.post("/sign-in/link/", {"email": "not an address"})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert policy_of(response) == POLICY
    for _ in range(5):
        response = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 429
    assert policy_of(response) == POLICY
    assert inline_code(response.text) == []


@pytest.mark.django_db
def test_the_wagtail_admin_has_its_exceptions_and_the_django_admin_none(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for path in ["/admin/", "/admin/login/", "/admin/pages/", "/admin/assessment-reports/"]:
        response = client.get(path, follow=True)
        assert policy_of(response) == ADMIN_POLICY, path
    for path in ["/django-admin/", "/reports/", "/dashboard/"]:
        response = client.get(path, follow=True)
        assert policy_of(response) == POLICY, path


def test_a_view_that_lets_this_site_frame_it_gets_frame_ancestors_self():
    """Wagtail's preview panel frames the preview (X-Frame-Options: SAMEORIGIN); browsers obey frame-ancestors."""

    @xframe_options_sameorigin
    def preview(request):
        return HttpResponse("<p>preview</p>")

    def headers_for(path, view):
        request = RequestFactory().get(path)
        return CSPMiddlewareWithAdminPolicy(view)(request)["Content-Security-Policy"]

    assert "frame-ancestors 'self'" in headers_for("/admin/pages/3/edit/preview/", preview)
    assert "frame-ancestors 'none'" in headers_for("/admin/pages/3/edit/", lambda request: HttpResponse("x"))
    assert "frame-ancestors 'none'" in headers_for("/reports/", lambda request: HttpResponse("x"))


# --- sign-in attempts ------------------------------------------------------------------------------------

SIGN_IN_PAGES = ["/sign-in/", "/admin/login/"]


def attempt(client, path, user, password, **extra):
    return client.post(path, {"username": user.username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff():
    # Staff, so that /admin/login/ lets a right password in.
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_five_wrong_passwords_lock_the_username_at_that_address_for_an_hour(client, staff, path):
    for _ in range(4):
        response = attempt(client, path, staff, "wrong-password")
        assert response.status_code == 200, "a wrong password shows the form again"
    response = attempt(client, path, staff, "wrong-password")
    assert response.status_code == 429, "the fifth locks the username out at this address"

    response = attempt(client, path, staff, PASSWORD)
    assert response.status_code == 429, "even the right password is refused now"
    assert not signed_in(client)
    page = response.text
    assert '<h1 class="govuk-heading-l">You cannot sign in at the moment</h1>' in page
    assert "You can try again within 1 hour." in page
    assert "contact the service assessment team" in page
    assert 'href="/sign-in/link/"' in page
    assert "govuk-template__body" in page, "the GOV.UK page template"

    # An hour later, the right password works again.
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61))
    response = attempt(client, path, staff, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_both_sign_in_pages_count_against_the_same_username(client, staff):
    for path in SIGN_IN_PAGES * 2:
        attempt(client, path, staff, "wrong-password")
    assert attempt(client, "/sign-in/", staff, "wrong-password").status_code == 429
    assert attempt(client, "/admin/login/", staff, PASSWORD).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_a_right_password_clears_the_count(client, staff, path):
    for _ in range(4):
        attempt(client, path, staff, "wrong-password")
    assert attempt(client, path, staff, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, path, staff, "wrong-password").status_code == 200
    assert attempt(client, path, staff, PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_a_lockout_holds_only_that_username_at_that_address(client, staff, path):
    for _ in range(5):
        attempt(client, path, staff, "wrong-password")
    assert attempt(client, path, staff, PASSWORD).status_code == 429

    colleague = UserFactory(is_superuser=True, is_staff=True)
    assert attempt(Client(), path, colleague, PASSWORD).status_code == 302, "someone else at the same address"
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert attempt(elsewhere, path, staff, PASSWORD).status_code == 302, "the same person from another address"


@pytest.fixture
def production_settings(monkeypatch):
    """cms.settings.production as a module, without making it Django's settings."""
    monkeypatch.setenv("SECRET_KEY", "a" * 20 + "-not-used-to-sign-anything-" + "b" * 20)
    monkeypatch.setenv("ALLOWED_HOSTS", "reports.example.gov.uk")
    monkeypatch.setenv("BASE_URL", "https://reports.example.gov.uk")
    monkeypatch.setenv("NOTIFY_API_KEY", "unused")
    monkeypatch.setenv("NOTIFY_CALLBACK_TOKEN", "unused")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    # A fresh cms.settings.base too, which reads the environment when imported; the one the test settings
    # came from is put back afterwards.
    base = sys.modules.pop("cms.settings.base")
    sys.modules.pop("cms.settings.production", None)
    try:
        yield importlib.import_module("cms.settings.production")
    finally:
        sys.modules.pop("cms.settings.production", None)
        sys.modules["cms.settings.base"] = base


def test_production_takes_the_client_address_from_the_load_balancers_entry(production_settings):
    client_ip = production_settings.client_ip_address
    request = RequestFactory()
    assert client_ip(request.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")) == "203.0.113.7"
    # Whatever the client wrote in the header itself comes before the load balancer's entry.
    forged = request.get("/", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(forged) == "203.0.113.7"
    assert client_ip(request.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


@pytest.mark.django_db
def test_behind_the_load_balancer_each_client_address_is_counted_apart(client, staff, production_settings):
    with override_settings(AXES_CLIENT_IP_CALLABLE=production_settings.client_ip_address):
        for _ in range(5):
            attempt(client, "/sign-in/", staff, "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.7")
        locked = attempt(client, "/sign-in/", staff, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
        assert locked.status_code == 429, "a forged entry does not escape the lockout"
        other = attempt(Client(), "/sign-in/", staff, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert other.status_code == 302, "another client behind the same load balancer"


# --- no secret in the repository -------------------------------------------------------------------------

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SECRET_PATTERNS = {
    "GOV.UK Notify API key": re.compile(rf"[A-Za-z0-9_.]+-{UUID}-{UUID}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "secret-looking setting with a literal value": re.compile(
        r"\b[A-Z_]*(?:SECRET|TOKEN|API_KEY|PASSWORD)[A-Z_]*\s*=\s*(?:env\([^)]*?,\s*)?[\"']([^\"']{6,})[\"']"
    ),
    # As in a shell line or a Dockerfile: NAME=value, unquoted.
    "secret-looking variable with a value": re.compile(
        r"\b[A-Z_]*(?:SECRET|TOKEN|API_KEY|PASSWORD)[A-Z_]*=([^\s\"'$\\{(.]{6,})"
    ),
}
# Each allowed match, with why it is not a secret.
ALLOWED = {
    # Made of repeated digits and named for where they work: the fake Notify server started by `make run`
    # and by the tests accepts any well-formed key; real Notify refuses them.
    "local-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222": "dev, fake Notify only",
    "test-33333333-3333-4333-8333-333333333333-44444444-4444-4444-8444-444444444444": "tests, fake Notify only",
    # Dev and test settings' keys and tokens, which say what they are; production has no default.
    "local-development-only-not-a-secret": "cms/settings/dev.py SECRET_KEY default",
    "tests-only-not-a-secret": "cms/settings/test.py SECRET_KEY",
    "local-callback-token-not-a-secret": "cms/settings/dev.py NOTIFY_CALLBACK_TOKEN default",
    "tests-callback-token-not-a-secret": "test settings and tests/notify/test_outbox_callback.py",
    "callback-token-for-this-test": "tests/properties/test_report_integrity.py",
    # Passwords of the demo people and of the tests' people, printed by `make run` and in the README.
    "demo-password-only-for-local-use": "seed_demo",
    "correct-horse-battery-staple": "tests' people",
    "Zanzibarquux": "tests/publishing/test_public_leaks.py: a word to look for, named SECRET",
    "3d844edf-8d35-48ac-975b-e847b4f122b0": "tests/devtools/test_fake_notify_server.py: half of a key made up for the fake",
    "collectstatic-build-only-not-a-secret": "Dockerfile: production settings need a key to run collectstatic",
}
# Files whose names say they hold keys or environments.
SECRET_FILE_NAMES = re.compile(r"(^|/)(\.env(\..*)?|id_rsa|id_ed25519|.*\.pem|.*\.key|.*\.p12|.*\.pfx)$")


def tracked_files() -> list[Path]:
    git = shutil.which("git")
    if not git or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30)  # noqa: S603
    return [ROOT / name for name in listed.stdout.decode().split("\0") if name]


def test_no_secret_is_tracked():
    found = []
    for path in tracked_files():
        relative = path.relative_to(ROOT).as_posix()
        if SECRET_FILE_NAMES.search(relative) and relative != ".env.example":
            found.append(f"{relative}: a file of keys or environment")
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                value = match.group(1) if match.groups() else match.group(0)
                if value not in ALLOWED:
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{relative}:{line}: {kind}: {match.group(0)[:80]}")
    assert found == []


def test_the_secret_scan_finds_each_kind():
    fake_uuid = "0b9c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4"
    # Each sample is put together at run time, so that this file does not hold what it looks for.
    samples = {
        "GOV.UK Notify API key": f"NOTIFY = 'live_key-{fake_uuid}-{fake_uuid}'",
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key id": "key = 'AKIA" + "ABCDEFGHIJKLMNOP'",
        "secret-looking setting with a literal value": "SECRET_KEY = " + 'env("SECRET_KEY", "s3cr3t-value-here")',
    }
    for kind, sample in samples.items():
        assert SECRET_PATTERNS[kind].search(sample), kind
    setting = SECRET_PATTERNS["secret-looking setting with a literal value"]
    assert setting.search("SECRET_KEY = " + '"abcdefgh"')
    assert setting.search("NOTIFY_CALLBACK_TOKEN = " + "'abcdefgh'")
    assert not setting.search('SECRET_KEY = env("SECRET_KEY")')
    variable = SECRET_PATTERNS["secret-looking variable with a value"]
    assert variable.search("RUN NOTIFY_API_KEY=" + "abcdef123 python manage.py")
    assert not variable.search("docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=...")
    assert not variable.search("SECRET_KEY=" + '"$(cat /run/secrets/key)"')
