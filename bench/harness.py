"""What the benchmarks share: a temporary database (SQLite file or PostgreSQL), published reports seeded in
bulk, gunicorn serving the app with production settings, load from wrk, and query counting.

Each benchmark calls `environment()` before it imports Django models: it writes a settings module (production
settings, plus `bench/bare/` and `bench/bare-db/` views) and sets Django up against the database given."""

from __future__ import annotations

import contextlib
import datetime
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from devtools.machines import free_port, migrated, temporary_postgres  # noqa: E402

__all__ = ["environment", "free_port", "seed", "Server", "count_queries", "wrk", "python_load"]

SETTINGS = """
import os
import warnings
from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# Static files are not under test here: no collectstatic, so no STATIC_ROOT, which WhiteNoise mentions.
warnings.filterwarnings("ignore", message="No directory at")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("BENCH_CACHE") == "off":
    PUBLIC_PAGE_CACHE_SECONDS = 0
"""

URLS = """
from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("Hello, world.", content_type="text/plain")


def bare_db(request):
    # The floor of any page that reads the database: one query by primary key, through the same settings.
    from wagtail.models import Page

    return HttpResponse(Page.objects.filter(pk=1).values_list("title", flat=True).first(), content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("bench/bare-db/", bare_db), *site_urlpatterns]
"""


# --- the database --------------------------------------------------------------------------------------


# A word of these in each service's description, so that a search for one finds 1 report in 40. Forty, so that the
# reports repeat every 1,000 (see `index_for_search`).
WORDS = (
    "passport",
    "licence",
    "benefit",
    "pension",
    "tax",
    "visa",
    "grant",
    "permit",
    "loan",
    "school",
    "court",
    "prison",
    "vehicle",
    "driving",
    "fishing",
    "farming",
    "energy",
    "housing",
    "planning",
    "flood",
    "weather",
    "health",
    "vaccine",
    "hospital",
    "dental",
    "prescription",
    "charity",
    "company",
    "trademark",
    "patent",
    "import",
    "export",
    "customs",
    "border",
    "asylum",
    "marriage",
    "birth",
    "death",
    "probate",
    "debt",
)


def seed(target: int) -> None:
    """Bulk-seeds published reports up to `target` (in this process, with Django set up), with their search
    index entries."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from cms.models import AssessmentType, ServiceStandardPoint
    from publishing import listing
    from publishing.models import ReportIndexPage
    from workflow import deadlines
    from workflow.models import (
        Assessment,
        Department,
        PointRating,
        ReportAction,
        ReportPage,
        ReportStatus,
        Service,
    )
    from workflow.models.choices import Phase, Rating

    index = ReportIndexPage.objects.get()
    have = ReportPage.objects.count()
    if have >= target:
        return
    rng = random.Random(have)  # noqa: S311 - test data, not secrets
    # Service assessments against the GOV.UK standard's 14 points, asking the questions of its report form.
    kind = AssessmentType.objects.select_related("report_form").get(slug="assessment")
    points = list(ServiceStandardPoint.objects.filter(standard_id=kind.standard_id).order_by("number"))
    asked = kind.report_form.snapshot()
    departments = [
        Department.objects.get_or_create(name=f"Department {n}", slug=f"department-{n}")[0] for n in range(20)
    ]
    content_type = ContentType.objects.get_for_model(ReportPage)
    locale = Locale.get_default()
    phases = Phase.values
    now = timezone.now()
    share_within_days = deadlines.in_force().share_within_days
    batch = 1000
    with transaction.atomic():
        step = index.numchild
        for start in range(have, target, batch):
            count = min(batch, target - start)
            services = Service.objects.bulk_create(
                [
                    Service(
                        name=f"Bench service {start + i}",
                        department=departments[(start + i) % len(departments)],
                        description=f"Lets people do {WORDS[(start + i) % len(WORDS)]} thing {start + i}.",
                        users="People who need the thing.",
                    )
                    for i in range(count)
                ]
            )
            assessments = Assessment.objects.bulk_create(
                [
                    Assessment(
                        service=service,
                        type=kind,
                        standard_id=kind.standard_id,
                        # bulk_create skips save(), which would take the figure in force.
                        share_within_days=share_within_days,
                        phase=phases[i % len(phases)],
                        date=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2500)),
                        # Each has its report, made just below; report_create would mark it so.
                        report_started=True,
                    )
                    for i, service in enumerate(services)
                ]
            )
            pages = []
            for assessment in assessments:
                step += 1
                slug = f"bench-report-{assessment.pk}"
                pages.append(
                    Page(
                        title=assessment.service.name,
                        draft_title=assessment.service.name,
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(index.path, index.depth + 1, step),
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        live_revision=None,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                    )
                )
            pages = Page.objects.bulk_create(pages)
            if pages[0].pk is None:  # a database that does not return ids
                pages = list(Page.objects.filter(path__in=[p.path for p in pages]).order_by("path"))
            # ReportPage extends Page by multi-table inheritance, which bulk_create refuses: insert its own rows.
            fields = ReportPage._meta.local_concrete_fields
            rows = []
            ratings = []
            for page, assessment in zip(pages, assessments, strict=True):
                letters = rng.choice(["g" * 14, "g" * 12 + "ag", "g" * 10 + "agag", "r" + "g" * 12 + "a"])
                overall = "red" if "r" in letters else "amber" if "a" in letters else "green"
                report = ReportPage(
                    page_ptr_id=page.pk,
                    assessment_id=assessment.pk,
                    status=ReportStatus.PUBLISHED,
                    questions=asked,
                    service_description=assessment.service.description,
                    service_users=assessment.service.users,
                    overall_rating=overall,
                    accepted_at=now,
                )
                rows.append([field.get_db_prep_save(getattr(report, field.attname), connection) for field in fields])
                for point, letter in zip(points, letters, strict=True):
                    rating = {"g": Rating.GREEN, "a": Rating.AMBER, "r": Rating.RED}[letter]
                    ratings.append(
                        PointRating(
                            report_id=page.pk,
                            point=point,
                            number=point.number,
                            title=point.title,
                            rating=rating,
                            done_well=f"The team did point {point.number} well. " * 3,
                            to_improve="" if letter == "g" else f"The team needs to improve point {point.number}.",
                        )
                    )
            table = connection.ops.quote_name(ReportPage._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
            placeholders = ", ".join(["%s"] * len(fields))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
            ratings = PointRating.objects.bulk_create(ratings, batch_size=2000)
            if ratings and ratings[0].pk is None:
                ratings = list(
                    PointRating.objects.filter(report_id__in=[p.pk for p in pages], rating__in=["amber", "red"])
                )
            ReportAction.objects.bulk_create(
                [
                    ReportAction(rating_id=rating.pk, description=f"Fix point {rating.number}.", due_date=None)
                    for rating in ratings
                    if rating.rating in ("amber", "red")
                ],
                batch_size=2000,
            )
            index_for_search(pages, first=start)
            listing.refresh([page.pk for page in pages])
        Page.objects.filter(pk=index.pk).update(numchild=step)
    if connection.vendor == "postgresql":
        # As autovacuum would on a live database: the planner's statistics, and the visibility map that lets a count
        # read an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def count_queries(paths: dict[str, str]) -> dict[str, int]:
    """Each page's queries with the page cache emptied: what a request the page cache cannot answer costs on a running
    server, whose other caches (Wagtail's site root paths, the Sites, the footer's links) are warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from publishing import cache

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        cache.clear()
        client.get(path)  # warms the other caches, as a running server has them
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    return counts


# --- load -----------------------------------------------------------------------------------------------


def wrk(url: str, duration: int, connections: int) -> float:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def python_load(url: str, duration: int, connections: int) -> float:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    done = [0] * connections
    errors = []

    def run(slot):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < deadline:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
                return
            done[slot] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{url}: error responses {errors[:5]}")
    return sum(done) / (time.monotonic() - start)


class Server:
    def __init__(self, env: dict, cache: str):
        self.port = free_port()
        self.env = {**env, "BENCH_CACHE": cache}
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                "cms.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/bench/bare/")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


@contextlib.contextmanager
def environment(database_url: str | None, *, name: str):
    """Django set up in this process against a fresh database: a temporary SQLite file, or a temporary database
    on the PostgreSQL server at `database_url`. Yields the environment for the servers it starts."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    (workdir / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    (workdir / "bench_urls.py").write_text(textwrap.dedent(URLS))
    stack = contextlib.ExitStack()
    if database_url:
        database_url = stack.enter_context(temporary_postgres(database_url, prefix=f"bench_{name}"))
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": "http://127.0.0.1",
        "ALLOW_MISSING_NOTIFY_API_KEY": "1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(ROOT)]
    migrated(database_url)  # a copy of a migrated database; `migrate` below then applies nothing
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield env
    finally:
        from django.db import connections

        connections.close_all()
        stack.close()
        shutil.rmtree(workdir, ignore_errors=True)


def index_for_search(pages, *, first: int) -> None:
    """Search index entries for these newly seeded reports, the `first`-th report onwards. Wagtail's indexer
    takes about 30 ms a report on PostgreSQL (it builds an expression per field), too slow for 100,000: past the
    first 1,000 reports, each report's entry is copied in SQL from the one 1,000 before it, which has the same
    words (descriptions repeat every 1,000 reports) and differs only in the number in the service's name."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from workflow.models import ReportPage

    if connection.vendor != "postgresql" or first < 1000:
        get_search_backend().add_bulk(
            ReportPage,
            ReportPage.objects.filter(pk__in=[page.pk for page in pages])
            .select_related("assessment__service__department", "locale", "content_type")
            .prefetch_related("ratings"),
        )
        return
    templates = list(ReportPage.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    pairs = [(str(templates[(first + i) % 1000]), str(page.pk)) for i, page in enumerate(pages)]
    values = ", ".join(["(%s, %s)"] * len(pairs))
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                SELECT e.content_type_id, m.new_id, e.title, e.autocomplete, e.body, e.title_norm, e.title_text,
                       e.body_text
                FROM {table} e JOIN (VALUES {values}) AS m(template_id, new_id)
                  ON e.object_id = m.template_id AND e.content_type_id = %s""",  # noqa: S608 - placeholders only
            [value for pair in pairs for value in pair] + [ContentType.objects.get_for_model(ReportPage).pk],
        )


def minimal_guidance_page() -> str:
    """The smallest page the CMS serves: the floor of a Wagtail page, for comparison."""
    from cms.models import GuidancePage, HomePage

    home = HomePage.objects.get()
    page = GuidancePage.objects.filter(slug="bench-minimal").first()
    if page is None:
        page = home.add_child(instance=GuidancePage(title="Minimal page", slug="bench-minimal", summary="A page."))
        page.save_revision().publish()
    return "/bench-minimal/"
