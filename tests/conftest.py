import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if shutil.which(candidate):
            return candidate
    return None


def pytest_report_header(config):
    path = chromium_path()
    if path:
        return f"browser tests: running in {path}"
    return "browser tests: SKIPPED, no Chromium found (install Debian's chromium, or set CHROMIUM_PATH)"


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        raise pytest.UsageError("REQUIRE_BROWSER_TESTS=1 but no Chromium was found: install Debian's chromium.")
    skip = pytest.mark.skip(reason="no Chromium found: install Debian's chromium to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not chromium_path():
        terminalreporter.write_line(
            "Browser tests were SKIPPED: no Chromium found. Install Debian's chromium (apt-get install chromium).",
            yellow=True,
        )


@pytest.fixture
def browser(monkeypatch):
    # One Playwright per test, not per session: while Playwright runs, Django sees a different
    # context for its connections, and a session-long Playwright hid the serialized database that
    # transactional tests restore after each flush.
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from such a thread
    # unless told the loop is not ours to protect.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        # The test body ran in Playwright's context, with database connections of its own: close them,
        # or PostgreSQL refuses to drop the test database at the end.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Published pages are cached; each test starts with none, as the database starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content (`manage.py seed_demo`), made once for all of a module's tests rather than once for each: it
    takes seconds, and a module of twenty tests took minutes. It is made in a transaction that is rolled back after the
    module's last test; each test runs in a savepoint inside it (pytest-django's `django_db`), so no test sees another's
    changes. Only for tests on a non-transactional database: a transactional test would flush it."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic(), open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        yield
        transaction.set_rollback(True)
