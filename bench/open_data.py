"""Benchmark: open data at any size: the CSV and JSON exports, the sitemap, the Atom feed and the API list.

    .venv/bin/python bench/open_data.py            # 1,000 then 100,000 reports
    .venv/bin/python bench/open_data.py --quick    # 1,000 then 10,000 reports, for CI
    .venv/bin/python bench/open_data.py --database-url postgres://postgres@127.0.0.1:5432/postgres

What it does, on a temporary SQLite file, or a temporary database on the PostgreSQL server given:

1. Migrates and seeds published reports in bulk in steps (bench/harness.py).
2. At each step, counts the queries of the pages that are not streamed (the sitemap index and its last page, the
   feed, the API list's first page and a deep page), then serves the app with gunicorn (production settings, page
   cache off so that every answer is built, loopback only), twice, so that each peak is of its own requests:
   - a fresh server streams export.csv and export.json to nothing, checking that every row and every item parses
     and that there is one for each report, and then reads its workers' peak memory (VmHWM in /proc): the
     exports' peak;
   - a fresh server answers the sitemap index and each of its pages, the feed and the API list's first and deep
     pages (the median of a few requests each), and then reads its workers' peak memory.
3. Prints the goals last, and says which are met.

The run fails when the exports' peak memory at the last step is more than 50 MB above the first, when a sitemap
page has more than 50,000 addresses or the sitemap misses a page, and when a query count grows with the number of
reports; speed depends on the machine, so it fails nothing. The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

MEMORY_GROWTH_MB = 50
SITEMAP_LIMIT = 50_000
TIME_GROWTH = 1.25
REPEATS = 5
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Constant-time pages: their query counts must not grow, and their time is compared between the steps.
CONSTANT_TIME = ("feed", "api list first page", "api list deep page")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", help="comma-separated report counts (default 1000,100000; 1000,10000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer reports, for CI")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a temporary database on")
    args = parser.parse_args()
    steps = args.steps or ("1000,10000" if args.quick else "1000,100000")
    args.steps = [int(step) for step in steps.split(",")]
    return args


# --- the server's memory ----------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def workers(master: int) -> list[int]:
    """gunicorn's workers: the processes whose parent is its master."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if _status_kb(int(status.parent.name), "PPid") == master:
                found.append(int(status.parent.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return found


def peak_mb(server) -> float:
    """The highest peak resident memory of any one worker since it started: a request is served by one worker,
    so this is the most memory one process needed."""
    return max(_status_kb(pid, "VmHWM") for pid in workers(server.process.pid)) / 1024


def resident_mb(server) -> float:
    return max(_status_kb(pid, "VmRSS") for pid in workers(server.process.pid)) / 1024


# --- fetching ---------------------------------------------------------------------------------------------


def get(server, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return response


def fetch(server, path: str) -> tuple[bytes, float]:
    started = time.monotonic()
    content = get(server, path).read()
    return content, time.monotonic() - started


def median_time(server, path: str) -> float:
    fetch(server, path)  # warm the worker's caches
    return statistics.median(fetch(server, path)[1] for _ in range(REPEATS))


def stream_csv(server) -> tuple[int, float]:
    """Rows of export.csv, read as they arrive and never held."""
    started = time.monotonic()
    reader = csv.reader(io.TextIOWrapper(get(server, "/reports/export.csv"), encoding="utf-8", newline=""))
    header = next(reader)
    rows = 0
    for row in reader:
        if len(row) != len(header):
            raise SystemExit(f"export.csv: row {rows + 1} has {len(row)} cells, not {len(header)}")
        rows += 1
    return rows, time.monotonic() - started


def stream_json(server) -> tuple[int, float]:
    """Items of export.json, parsed one at a time: the export writes one item a line, between "[" and "]"."""
    started = time.monotonic()
    lines = io.TextIOWrapper(get(server, "/reports/export.json"), encoding="utf-8")
    if lines.readline().strip() != "[":
        raise SystemExit("export.json does not open with [")
    items, closed = 0, False
    for line in lines:
        if line.strip() == "]":
            closed = True
            continue
        item = json.loads(line.rstrip().removesuffix(","))
        if "points" not in item:
            raise SystemExit(f"export.json: item {items + 1} has no points")
        items += 1
    if not closed:
        raise SystemExit("export.json does not close with ]")
    return items, time.monotonic() - started


def local_path(url: str) -> str:
    """The sitemap's addresses are at BASE_URL; this server answers the same paths."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_pages(server) -> tuple[list[str], float]:
    content, took = fetch(server, "/sitemap.xml")
    root = ET.fromstring(content)  # noqa: S314 - our own sitemap
    if root.tag != f"{SITEMAP_NS}sitemapindex":
        raise SystemExit(f"/sitemap.xml is not a sitemap index: {root.tag}")
    return [local_path(loc.text) for loc in root.iter(f"{SITEMAP_NS}loc")], took


def sitemap_addresses(content: bytes) -> int:
    return len(ET.fromstring(content).findall(f"{SITEMAP_NS}url"))  # noqa: S314 - our own sitemap


# --- the steps --------------------------------------------------------------------------------------------


def paths(reports: int) -> dict[str, str]:
    return {
        "feed": "/reports/feed/",
        "api list first page": "/api/v2/pages/",
        "api list deep page": f"/api/v2/pages/?offset={reports // 2}",
    }


def expected_sitemap_addresses() -> int:
    from publishing.sitemaps import PublicSitemap

    return PublicSitemap().items().count()


def measure_exports(env: dict, reports: int) -> dict:
    with harness.Server(env, "off") as server:
        before = resident_mb(server)
        rows, csv_time = stream_csv(server)
        items, json_time = stream_json(server)
        peak = peak_mb(server)
    if rows != reports or items != reports:
        raise SystemExit(f"{reports} reports, but export.csv has {rows} rows and export.json {items} items")
    print(f"  export.csv   {rows} rows in {csv_time:.1f} s", flush=True)
    print(f"  export.json  {items} items in {json_time:.1f} s", flush=True)
    print(f"  exports: worker memory {before:.0f} MB before, peak {peak:.0f} MB", flush=True)
    return {"export peak": peak, "export.csv": csv_time, "export.json": json_time}


def measure_pages(env: dict, reports: int) -> dict:
    figures = {}
    with harness.Server(env, "off") as server:
        pages, figures["sitemap index"] = sitemap_pages(server)
        counts = []
        for path in pages:
            content, took = fetch(server, path)
            counts.append(sitemap_addresses(content))
        figures["sitemap last page"] = took
        figures["sitemap pages"] = counts
        print(
            f"  sitemap: index {figures['sitemap index']:.2f} s, {len(pages)} pages of {counts} addresses, "
            f"last page {took:.2f} s",
            flush=True,
        )
        for name, path in paths(reports).items():
            figures[name] = median_time(server, path)
            print(f"  {name:22} {figures[name] * 1000:8.1f} ms", flush=True)
        figures["pages peak"] = peak_mb(server)
    print(f"  sitemap, feed and API: worker peak {figures['pages peak']:.0f} MB", flush=True)
    figures["sitemap paths"] = pages
    return figures


def main() -> None:
    args = parse_args()
    database = "PostgreSQL" if args.database_url else "SQLite"
    with harness.environment(args.database_url, name="opendata") as env:
        from django.db import connection, connections

        connection.ensure_connection()
        # A stream of 100,000 reports takes longer than gunicorn's default 30 s a request.
        env = {**env, "GUNICORN_CMD_ARGS": "--timeout=900"}
        print(f"{database}: gunicorn 2 workers, page cache off", flush=True)
        figures, queries, expected = {}, {}, {}
        for step in args.steps:
            started = time.monotonic()
            harness.seed(step)
            print(f"{step} published reports (seeded in {time.monotonic() - started:.0f} s)", flush=True)
            expected[step] = expected_sitemap_addresses()
            connections.close_all()
            figures[step] = measure_exports(env, step)
            figures[step].update(measure_pages(env, step))
            sitemap = figures[step].pop("sitemap paths")
            queries[step] = harness.count_queries(
                {"sitemap index": "/sitemap.xml", "sitemap last page": sitemap[-1], **paths(step)}
            )
            connections.close_all()
            print(f"  queries: {queries[step]}", flush=True)
    report_goals(database, args.steps, figures, queries, expected)


def report_goals(database: str, steps: list[int], figures: dict, queries: dict, expected: dict) -> None:
    first, last = steps[0], steps[-1]
    failures = []
    print(f"\ngoals on {database}, figures from this run:")

    def goal(met: bool, text: str, *, fails: bool) -> None:
        print(f"  {'met    ' if met else 'NOT MET'}  {text}")
        if fails and not met:
            failures.append(text)

    growth = figures[last]["export peak"] - figures[first]["export peak"]
    goal(
        growth <= MEMORY_GROWTH_MB,
        f"export peak memory at {last} is {growth:+.0f} MB on {first} "
        f"({figures[first]['export peak']:.0f} -> {figures[last]['export peak']:.0f} MB; at most +{MEMORY_GROWTH_MB})",
        fails=True,
    )
    for step in steps:
        counts = figures[step]["sitemap pages"]
        goal(
            max(counts) <= SITEMAP_LIMIT and sum(counts) == expected[step],
            f"sitemap at {step}: {len(counts)} pages, at most {max(counts)} addresses each "
            f"(at most {SITEMAP_LIMIT}), {sum(counts)} in all (of {expected[step]} pages)",
            fails=True,
        )
    grew = {
        name: (queries[first][name], queries[last][name])
        for name in queries[first]
        if queries[last][name] > queries[first][name]
    }
    goal(not grew, f"query counts do not grow: {queries[first]} at {first}, {queries[last]} at {last}", fails=True)
    ratios = {}
    for name in CONSTANT_TIME:
        ratios[name] = figures[last][name] / figures[first][name]
        goal(
            ratios[name] <= TIME_GROWTH,
            f"{name} time at {last} / at {first}: {ratios[name]:.2f} "
            f"({figures[first][name] * 1000:.1f} -> {figures[last][name] * 1000:.1f} ms; at most {TIME_GROWTH})",
            fails=False,
        )
    met = 3 + len(steps) + len(CONSTANT_TIME)
    print(f"{met - sum(1 for r in ratios.values() if r > TIME_GROWTH) - len(failures)} of {met} goals met")
    line = {
        "export_peak_mb_first": f"{figures[first]['export peak']:.0f}",
        "export_peak_mb_last": f"{figures[last]['export peak']:.0f}",
        "export_csv_s": f"{figures[last]['export.csv']:.1f}",
        "export_json_s": f"{figures[last]['export.json']:.1f}",
        "sitemap_largest_page": max(figures[last]["sitemap pages"]),
        **{f"{name.replace(' ', '_')}_ratio": f"{ratio:.2f}" for name, ratio in ratios.items()},
    }
    print(f"database={database} reports={last} " + " ".join(f"{key}={value}" for key, value in line.items()))
    if failures:
        raise SystemExit("goals not met: " + "; ".join(failures))


if __name__ == "__main__":
    main()
