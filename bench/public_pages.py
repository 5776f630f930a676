"""Benchmark: the public pages, cached and uncached, against a bare Django view and a bare database view.

    .venv/bin/python bench/public_pages.py            # 1,000, 10,000 and 100,000 reports, 10 s per load
    .venv/bin/python bench/public_pages.py --quick    # 1,000 and 10,000 reports, 3 s per load, for CI
    .venv/bin/python bench/public_pages.py --database-url postgres://postgres@127.0.0.1:5432/postgres

What it does, on a temporary SQLite file, or a temporary database on the PostgreSQL server given:

1. Migrates, adds a minimal guidance page, and seeds published reports in bulk in steps (services,
   assessments, report pages with 14 rated points and actions on the amber and red ones, and their search index
   entries).
2. At each step, counts the queries of each page (uncached), then serves the app with gunicorn (2 sync
   workers, production settings, loopback only) with the page cache on and with it off
   (PUBLIC_PAGE_CACHE_SECONDS=0), and loads each page with wrk for a bounded time:
   - two baselines measured in the same run: a bare Django view returning a constant response, and a bare
     database view running one query by primary key through the same database settings: the floor of any page
     that reads the database;
   - the report page and the reports list's first page, cached;
   - uncached: the minimal guidance page, a report page, and the reports list's first page, a deep page, a
     filtered page and a search.
3. Prints the goals last, as ratios of figures measured in this run, and says which are met.

The run fails only when a page's query count grows with the number of reports: speed depends on the machine.
The last line is machine-readable: `database=... reports=N` then each ratio.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

# Each goal: (name, numerator, denominator, at least). Figures are requests per second in one run.
UNCACHED_LIST = ("list first page", "list deep page", "list filtered page", "list search")
GOALS_ANY_DATABASE = [
    ("cached report page / bare view", "report page cached", "bare view", 0.8),
    ("cached list / bare view", "list cached", "bare view", 0.8),
]
GOALS_POSTGRESQL = [
    ("uncached report page / bare database view", "report page", "bare database view", 0.2),
    *((f"uncached {name} / bare database view", name, "bare database view", 0.1) for name in UNCACHED_LIST),
]
# The figures that must hold up as reports grow: the largest step against the smallest.
HOLD_UP = ("report page", *UNCACHED_LIST, "report page cached", "list cached")
HOLD_UP_AT_LEAST = 0.8


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--steps", help="comma-separated report counts (default 1000,10000,100000; 1000,10000 with --quick)"
    )
    parser.add_argument("--duration", type=int, help="seconds per load (default 10; 3 with --quick)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="fewer reports and shorter loads, for CI")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a temporary database on")
    args = parser.parse_args()
    steps = args.steps or ("1000,10000" if args.quick else "1000,10000,100000")
    args.steps = [int(step) for step in steps.split(",")]
    args.duration = args.duration or (3 if args.quick else 10)
    return args


def page_paths(reports: int, guidance: str) -> tuple[dict[str, str], dict[str, str]]:
    """(cached, uncached) pages to load, by name."""
    from workflow.models import ReportPage

    report = ReportPage.objects.filter(live=True).order_by("-pk").first()
    report_path = report.url_path.removeprefix("/home")
    lists = {
        "list first page": "/reports/",
        "list deep page": f"/reports/?page={(reports + 19) // 20 // 2}",
        "list filtered page": "/reports/?result=amber&stage=alpha&date_from=1/1/2021&page=2",
        "list search": "/reports/?q=passport",
    }
    cached = {"bare view": "/bench/bare/", "report page cached": report_path, "list cached": "/reports/"}
    uncached = {"bare database view": "/bench/bare-db/", "minimal guidance page": guidance, "report page": report_path}
    return cached, {**uncached, **lists}


def measure(env: dict, args, cached: dict, uncached: dict) -> dict[str, float]:
    load = harness.wrk if shutil.which("wrk") else harness.python_load
    from django.db import connections

    connections.close_all()
    rates = {}
    for cache, paths in (("default", cached), ("off", uncached)):
        with harness.Server(env, cache) as server:
            for name, path in paths.items():
                load(server.url(path), 1, args.connections)  # warm each worker's caches
                rates[name] = load(server.url(path), args.duration, args.connections)
                print(f"  {name:28} {rates[name]:9.0f} requests/s", flush=True)
    return rates


def main() -> None:
    args = parse_args()
    database = "PostgreSQL" if args.database_url else "SQLite"
    with harness.environment(args.database_url, name="public") as env:
        from django.db import connection

        connection.ensure_connection()
        guidance = harness.minimal_guidance_page()
        load = "wrk" if shutil.which("wrk") else "Python load generator"
        print(
            f"{database}: load from {load}, {args.duration} s each, {args.connections} connections, gunicorn 2 workers",
            flush=True,
        )
        rates, queries = {}, {}
        for step in args.steps:
            started = time.monotonic()
            harness.seed(step)
            print(f"{step} published reports (seeded in {time.monotonic() - started:.0f} s)", flush=True)
            cached, uncached = page_paths(step, guidance)
            queries[step] = harness.count_queries({name: path for name, path in uncached.items() if "bare" not in name})
            print(f"  queries: {queries[step]}", flush=True)
            rates[step] = measure(env, args, cached, uncached)
    report_goals(database, args.steps, rates, queries)


def divide(numerator: float, denominator: float) -> float:
    # A page that answered nothing in the time given has no speed to compare: its goals are not met.
    return numerator / denominator if denominator else 0.0


def report_goals(database: str, steps: list[int], rates: dict, queries: dict) -> None:
    first, last = steps[0], steps[-1]
    goals = GOALS_ANY_DATABASE + (GOALS_POSTGRESQL if database == "PostgreSQL" else [])
    results = []
    print(f"\ngoals on {database}, figures from this run:")
    for name, numerator, denominator, at_least in goals:
        for step in (first, last):
            ratio = divide(rates[step][numerator], rates[step][denominator])
            results.append((f"{name} at {step}", ratio, at_least))
    for name in HOLD_UP:
        results.append(
            (f"{name} at {last} / at {first}", divide(rates[last][name], rates[first][name]), HOLD_UP_AT_LEAST)
        )
    for name, ratio, at_least in results:
        print(f"  {'met    ' if ratio >= at_least else 'NOT MET'}  {name}: {ratio:.2f} (at least {at_least})")
    grew = {
        name: (queries[first][name], queries[last][name])
        for name in queries[first]
        if queries[last][name] > queries[first][name]
    }
    print(f"  {'met    ' if not grew else 'NOT MET'}  query counts do not grow: {queries[last]}")
    met = sum(ratio >= at_least for _, ratio, at_least in results) + (not grew)
    print(f"{met} of {len(results) + 1} goals met")
    figures = " ".join(f"{name.replace(' / ', '_vs_').replace(' ', '_')}={ratio:.2f}" for name, ratio, _ in results)
    print(f"database={database} reports={last} {figures}")
    if grew:
        raise SystemExit(f"queries grew with the number of reports: {grew}")


if __name__ == "__main__":
    main()
