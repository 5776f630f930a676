"""Benchmark: the public pages, cached and uncached, against a bare Django view and a minimal Wagtail page.

    .venv/bin/python bench/public_pages.py            # 10,000 published reports, 10 s per load
    .venv/bin/python bench/public_pages.py --quick    # 1,000 reports, 3 s per load, for CI
    .venv/bin/python bench/public_pages.py --database-url postgres://postgres@127.0.0.1:5432/postgres

What it does:

1. Makes a fresh database (a temporary SQLite file, or a temporary database on the PostgreSQL server given),
   migrates it and seeds published reports in bulk (services, assessments, report pages with 14 rated
   points and actions on the amber and red ones), plus a minimal guidance page.
2. Counts the database queries of a report page and of the reports list (uncached) at 100 reports, then
   seeds up to the full number and counts again.
3. Serves the app with gunicorn (2 sync workers, production settings, loopback only) twice: with the page
   cache (Django's locmem cache, or Redis when REDIS_URL is set), and with the page cache off
   (PUBLIC_PAGE_CACHE_SECONDS=0), so that every report page is built from the database. Each is loaded with wrk (or, without wrk, a Python load
   generator) for a bounded time: a bare Django view returning a constant response; the minimal guidance
   page; a report page cached and uncached; the reports list's first page, a deep page and a filtered page.

The last line is `report_page_ratio=R uncached_vs_minimal_page=R index_ratio=R queries_report_100=N
queries_report_10000=N queries_index_100=N queries_index_10000=N`: report_page_ratio is the cached report
page over the bare view, uncached_vs_minimal_page the uncached report page over the minimal guidance page,
index_ratio the cached first page of the reports list over the bare view. The queries_*_10000 counts are
taken at the full number of reports (10,000 unless --reports says otherwise).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

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


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, help="published reports to seed (default 10,000; 1,000 --quick)")
    parser.add_argument("--duration", type=int, help="seconds per load (default 10; 3 with --quick)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="fewer reports and shorter loads, for CI")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a temporary database on")
    args = parser.parse_args()
    args.reports = args.reports or (1000 if args.quick else 10_000)
    args.duration = args.duration or (3 if args.quick else 10)
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the database --------------------------------------------------------------------------------------


def temporary_postgres(server_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"bench_public_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def seed(target: int) -> None:
    """Bulk-seeds published reports up to `target` (in this process, with Django set up)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from cms.models import AssessmentType, ServiceStandardPoint
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
                        description=f"Lets people do thing {start + i}.",
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
        Page.objects.filter(pk=index.pk).update(numchild=step)


def minimal_guidance_page() -> str:
    from cms.models import GuidancePage, HomePage

    home = HomePage.objects.get()
    page = GuidancePage.objects.filter(slug="bench-minimal").first()
    if page is None:
        page = home.add_child(instance=GuidancePage(title="Minimal page", slug="bench-minimal", summary="A page."))
        page.save_revision().publish()
    return "/bench-minimal/"


def count_queries(paths: dict[str, str]) -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        cache.clear()
        client.get(path)  # warm Wagtail's site-root cache, as a running server has
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    return counts


# --- load -----------------------------------------------------------------------------------------------


def wrk(url: str, duration: int, connections: int) -> float:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=duration + 30,
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


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-public-"))
    (workdir / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    (workdir / "bench_urls.py").write_text(textwrap.dedent(URLS))
    drop = None
    if args.database_url:
        database_url, drop = temporary_postgres(args.database_url)
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
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        guidance = minimal_guidance_page()

        from workflow.models import ReportPage

        def paths():
            report = ReportPage.objects.filter(live=True).order_by("-pk").first()
            return {"report": report.url_path.removeprefix("/home"), "index": "/reports/"}

        t = time.monotonic()
        seed(100)
        queries_100 = count_queries(paths())
        seed(args.reports)
        print(f"seeded {args.reports} published reports in {time.monotonic() - t:.0f} s", flush=True)
        queries_full = count_queries(paths())
        report_path = paths()["report"]
        last_page = (args.reports + 19) // 20
        index_paths = {
            "index first page": "/reports/",
            "index deep page": f"/reports/?page={last_page // 2}",
            "index filtered page": "/reports/?result=amber&stage=alpha&date_from=1/1/2021&page=2",
        }
        load = wrk if shutil.which("wrk") else python_load
        print(
            f"load: {'wrk' if load is wrk else 'Python load generator'}, {args.duration} s each, "
            f"{args.connections} connections, gunicorn 2 workers",
            flush=True,
        )

        from django.db import connections

        connections.close_all()
        rates = {}
        with Server(env, "default") as server:
            for name, path in {"bare view": "/bench/bare/", "report page cached": report_path, **index_paths}.items():
                load(server.url(path), 1, args.connections)  # warm each worker's cache
                rates[name] = load(server.url(path), args.duration, args.connections)
                print(f"{name:24} {rates[name]:9.0f} requests/s", flush=True)
        with Server(env, "off") as server:
            for name, path in {
                "minimal guidance page": guidance,
                "report page uncached": report_path,
                "index first, uncached": "/reports/",
            }.items():
                load(server.url(path), 1, args.connections)
                rates[name] = load(server.url(path), args.duration, args.connections)
                print(f"{name:24} {rates[name]:9.0f} requests/s", flush=True)
        print(f"queries at 100 reports: {queries_100}; at {args.reports}: {queries_full}")
        print(
            f"report_page_ratio={rates['report page cached'] / rates['bare view']:.2f} "
            f"uncached_vs_minimal_page={rates['report page uncached'] / rates['minimal guidance page']:.2f} "
            f"index_ratio={rates['index first page'] / rates['bare view']:.2f} "
            f"queries_report_100={queries_100['report']} queries_report_10000={queries_full['report']} "
            f"queries_index_100={queries_100['index']} queries_index_10000={queries_full['index']}"
        )
        # Speed depends on the machine, so only the query counts fail the run: they must not grow.
        if queries_full != queries_100:
            raise SystemExit(f"queries grew with the number of reports: {queries_100} -> {queries_full}")
    finally:
        from django.db import connections

        connections.close_all()
        if drop:
            drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
