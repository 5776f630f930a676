"""Benchmark: the signed-in pages of the service assessment team at size, in-process, by query count and time.

    .venv/bin/python bench/signed_in_pages.py            # 1,000 and 100,000 reports
    .venv/bin/python bench/signed_in_pages.py --quick    # 1,000 and 10,000 reports, for CI
    .venv/bin/python bench/signed_in_pages.py --database-url postgres://postgres@127.0.0.1:5432/postgres

What it does, on a temporary SQLite file, or a temporary database on the PostgreSQL server given:

1. Migrates, then seeds in steps: published reports in bulk (bench/harness.py), and their history, also in bulk:
   each report's status changes from submission to publishing with its dates, its panel (a lead and an assessor),
   its service's delivery team, its actions (the amber ones due six months after acceptance, and closed with a
   review), the field history django-simple-history keeps of all these (what the audit view reads), and an email
   per report in the outbox.
2. The work in hand does not grow with the history: the first step also puts a fixed set of reports into the states
   the dashboards list (drafts, some late; submitted; checked; shared, some past their response deadline;
   challenged), books assessments not yet started, and leaves the actions of a fixed set of recently accepted
   reports open (some overdue, some due soon, some ready for review), with a few failed emails. Later steps add
   history only, spread over the same years, so the reports of any period grow with each step.
3. At each step, signed in as a member of the service assessment team (Django's test client, force_login), asks each
   page twice to warm caches, then counts its queries and times the median of seven requests: the team's
   dashboard, the admin home ("Your actions"), the admin's Reports list (first page) and a search of it, the audit
   history (first page) and insights (the page and a CSV).
4. Prints the goals last: each page's queries the same at the last step as at the first, and its time at the last
   step at most 1.25 times its time at the first.

The run fails only when a page's query count grows with the number of reports: time depends on the machine.
The last line is machine-readable: `database=... reports=N` then each page's time ratio.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

TIME_AT_MOST = 1.25
WARM_UPS = 2
TIMED = 7
PAGES = {
    "team dashboard": "/assessment-team/",
    "admin home": "/admin/",
    "admin reports list": "/admin/assessment-reports/",
    "admin reports search": "/admin/assessment-reports/?q=passport",
    "audit history": "/admin/audit/",
    "insights": "/admin/insights/",
    "insights CSV": "/admin/insights/?csv=points",
}

# The work in hand, by status: the same at every step.
IN_FLIGHT = {"draft": 12, "submitted": 8, "checked": 6, "shared": 10, "challenged": 4}
NOT_STARTED = 6  # assessments booked whose report nobody has started, half of them past their share-by date
RECENTLY_ACCEPTED = 30  # published reports whose actions are still open
FAILED_EMAILS = 5
ASSESSORS = 40
DELIVERY_PEOPLE = 200

STEPS_OF_PUBLISHED = [
    # (transition, from, to, days after the assessment)
    ("submit", "draft", "submitted", 3),
    ("check", "submitted", "checked", 5),
    ("share", "checked", "shared", 7),
    ("accept", "shared", "accepted", 12),
    ("publish", "accepted", "published", 12),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", help="comma-separated report counts (default 1000,100000; 1000,10000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer reports, for CI")
    parser.add_argument("--database-url", help="a PostgreSQL server to make a temporary database on")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the temporary database (PostgreSQL), to profile against; drop it after",
    )
    parser.add_argument("--profile", help="a page name: profile it with cProfile at the last step and print the top")
    args = parser.parse_args()
    steps = args.steps or ("1000,10000" if args.quick else "1000,100000")
    args.steps = [int(step) for step in steps.split(",")]
    return args


# --- seeding the history -------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _insert(model, rows: list[dict]) -> None:
    """Inserts rows with the values given, even in auto_now_add fields (which bulk_create would set to now)."""
    from django.db import connection

    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [[field.get_db_prep_save(row[field.name], connection) for field in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608


def _update(model, key: str, rows: list[dict]) -> None:
    """One UPDATE per row, sent together: the rows of a batch, each with its own values."""
    from django.db import connection

    if not rows:
        return
    names = [name for name in rows[0] if name != key]
    fields = [model._meta.get_field(name) for name in names]
    key_field = model._meta.get_field(key)
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    values = [[*(field.get_db_prep_save(row[field.name], connection) for field in fields), row[key]] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(key_field.column)} = %s",  # noqa: S608
            values,
        )


def _people() -> dict:
    """The team member who signs in, and the pools of assessors and delivery team members."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workflow import roles

    user_model = get_user_model()
    team, created = user_model.objects.get_or_create(
        username="bench-team", defaults={"first_name": "Bench", "last_name": "Team", "email": "team@example.gov.uk"}
    )
    if created:
        team.groups.add(Group.objects.get(name=roles.SERVICE_ASSESSMENT_TEAM))

    def pool(prefix: str, count: int, group: str) -> list[int]:
        have = list(user_model.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))
        if len(have) < count:
            made = user_model.objects.bulk_create(
                [
                    user_model(username=f"{prefix}{n}", first_name="Person", last_name=f"{prefix}{n}")
                    for n in range(len(have), count)
                ]
            )
            Group.objects.get(name=group).user_set.add(*made)
            have = list(
                user_model.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True)
            )
        return have

    assessors = pool("bench-assessor-", ASSESSORS, roles.ASSESSORS)
    return {
        "team": team,
        "users": user_model.objects.in_bulk(assessors),
        "assessors": assessors,
        "delivery": pool("bench-delivery-", DELIVERY_PEOPLE, roles.DELIVERY_TEAM_MEMBERS),
    }


def seed_history() -> None:
    """Gives every report without a status history its history, in batches; the first time, also the work in hand."""
    from django.db import transaction
    from django.db.models import Max

    from workflow.models import ReportPage, ReportStatusChange

    people = _people()
    done = ReportStatusChange.objects.aggregate(done=Max("report_id"))["done"] or 0
    first_time = done == 0
    ids = list(ReportPage.objects.filter(pk__gt=done).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(done)  # noqa: S311 - test data, not secrets
    in_hand = set()
    with transaction.atomic():
        if first_time:
            in_hand = _work_in_hand(ids, people, rng)
        for start in range(0, len(ids), 1000):
            _history_of_published([pk for pk in ids[start : start + 1000] if pk not in in_hand], people, rng)


def _history_of_published(ids: list[int], people: dict, rng: random.Random, *, open_actions: bool = False) -> None:
    """Published reports' histories, from booking to publishing, and their actions, closed unless `open_actions`."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from notify.models import OutboxEmail, OutboxStatus
    from workflow.models import (
        ActionUpdate,
        ActionUpdateKind,
        Assessment,
        DeliveryTeamMember,
        DeliveryTeamRole,
        PanelMember,
        PanelRole,
        ReportAction,
        ReportActionStatus,
        ReportPage,
        ReportStatusChange,
    )

    if not ids:
        return
    now = timezone.now()
    today = timezone.localdate()
    team = people["team"]
    users = people["users"]
    reports = list(ReportPage.objects.filter(pk__in=ids).defer("questions").select_related("assessment").order_by("pk"))
    leads = {}
    for report in reports:
        date = report.assessment.date
        day = {name: date + datetime.timedelta(days=days) for name, _, _, days in STEPS_OF_PUBLISHED}
        report.submitted_at = _at(day["submit"])
        report.shared_at = _at(day["share"])
        report.response_due = day["share"] + datetime.timedelta(days=14)
        report.accepted_at = min(_at(day["accept"]), now)
        report.response_reminder_working_days_before = 2
        report.amber_actions_within_months = 6
        report.amber_actions_reminder_days_before = 14
        leads[report.pk] = rng.choice(people["assessors"])
    _update(
        ReportPage,
        "page_ptr",
        [
            {
                "page_ptr": r.pk,
                "submitted_at": r.submitted_at,
                "shared_at": r.shared_at,
                "response_due": r.response_due,
                "accepted_at": r.accepted_at,
                "response_reminder_working_days_before": 2,
                "amber_actions_within_months": 6,
                "amber_actions_reminder_days_before": 14,
            }
            for r in reports
        ],
    )
    _insert(
        ReportStatusChange,
        [
            {
                "report": r.pk,
                "transition": transition,
                "from_status": was,
                "to_status": becomes,
                "by": leads[r.pk] if transition == "submit" else team.pk,
                "at": _at(r.assessment.date + datetime.timedelta(days=days), 10 + i),
                "comment": "",
            }
            for r in reports
            for i, (transition, was, becomes, days) in enumerate(STEPS_OF_PUBLISHED)
        ],
    )
    # The report's field history: made as a draft, then each status it went through.
    history = ReportPage.history
    final = {r.pk: (r.status, r.live) for r in reports}
    for r in reports:
        # django-fsm refuses to set a protected status: these are copies for the history only.
        r.__dict__["status"], r.live = "draft", False
        r._history_date, r._history_user = _at(r.assessment.date, 9), users[leads[r.pk]]
    history.bulk_history_create(reports, batch_size=1000)
    for i, (_, _, becomes, days) in enumerate(STEPS_OF_PUBLISHED):
        for r in reports:
            r.__dict__["status"] = becomes
            r.live = becomes == "published"
            r._history_date = _at(r.assessment.date + datetime.timedelta(days=days), 10 + i)
            r._history_user = team
        history.bulk_history_create(reports, batch_size=1000, update=True)
    for r in reports:
        r.__dict__["status"], r.live = final[r.pk]

    # The assessment, its panel and the service's delivery team, as booked a month before.
    booked = {r.assessment_id: _at(r.assessment.date - datetime.timedelta(days=30)) for r in reports}
    assessments = [r.assessment for r in reports]
    for a in assessments:
        a._history_date, a._history_user = booked[a.pk], team
    Assessment.history.bulk_history_create(assessments, batch_size=1000)
    seats = []
    for r in reports:
        lead = leads[r.pk]
        other = rng.choice([pk for pk in people["assessors"][:8] if pk != lead])
        seats += [
            PanelMember(assessment_id=r.assessment_id, user_id=lead, role=PanelRole.LEAD),
            PanelMember(assessment_id=r.assessment_id, user_id=other, role=PanelRole.values[-1]),
        ]
    seats = PanelMember.objects.bulk_create(seats, batch_size=2000)
    _history_of_new(PanelMember, seats, lambda seat: booked[seat.assessment_id], team)
    service_booked = {a.service_id: booked[a.pk] for a in assessments}
    members = DeliveryTeamMember.objects.bulk_create(
        [
            DeliveryTeamMember(
                service_id=a.service_id, user_id=rng.choice(people["delivery"]), role=DeliveryTeamRole.values[0]
            )
            for a in assessments
        ],
        batch_size=2000,
    )
    _history_of_new(DeliveryTeamMember, members, lambda member: service_booked[member.service_id], team)

    # Actions: amber ones due six months after acceptance; closed after a review accepting the team's evidence, a
    # red one by the reassessment, unless left open.
    accepted = {r.pk: r.accepted_at for r in reports}
    actions = list(ReportAction.objects.filter(rating__report_id__in=ids).select_related("rating").order_by("pk"))
    updates = []
    for action in actions:
        accepted_at = accepted[action.rating.report_id]
        if action.rating.rating == "amber":
            action.due_date = timezone.localdate(accepted_at) + datetime.timedelta(days=182)
        action._history_date, action._history_user = (
            accepted_at - datetime.timedelta(days=10),
            users[leads[action.rating.report_id]],
        )
    ReportAction.history.bulk_history_create(actions, batch_size=2000)
    closed = []
    for n, action in enumerate(actions):
        accepted_at = accepted[action.rating.report_id]
        if open_actions:
            due = rng.choice([-20, -3, 5, 10, 60, 120])
            action.due_date = today + datetime.timedelta(days=due) if action.rating.rating == "amber" else None
            if n % 6 == 0:
                action.ready_for_review_at = now - datetime.timedelta(days=2)
            continue
        closing = accepted_at + datetime.timedelta(days=rng.randrange(20, 200))
        action.status = ReportActionStatus.DONE
        action.closed_at = min(closing, now)
        action.closed_by_id = team.pk
        action.evidence = "The team showed the change in its service."
        action._history_date, action._history_user = action.closed_at, team
        closed.append(action)
        updates.append(
            ActionUpdate(
                action_id=action.pk,
                kind=ActionUpdateKind.ACCEPTED,
                text="The evidence shows the point is met.",
                by_id=team.pk,
                at=action.closed_at,
            )
        )
    _update(
        ReportAction,
        "id",
        [
            {
                "id": a.pk,
                "due_date": a.due_date,
                "status": a.status,
                "closed_at": a.closed_at,
                "closed_by": a.closed_by_id,
                "evidence": a.evidence,
                "ready_for_review_at": a.ready_for_review_at,
            }
            for a in actions
        ],
    )
    ReportAction.history.bulk_history_create(closed, batch_size=2000, update=True)
    ActionUpdate.objects.bulk_create(updates, batch_size=2000)

    # An email to the delivery team for each shared report, long delivered.
    subject_type = ContentType.objects.get_for_model(ReportPage)
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                kind="report_shared",
                template_id=str(uuid.UUID(int=0)),
                email_address="team@example.gov.uk",
                personalisation={"service_name": r.title},
                idempotency_key=f"bench-shared-{r.pk}",
                status=OutboxStatus.DELIVERED,
                attempts=1,
                subject_type=subject_type,
                subject_id=str(r.pk),
                event=f"report_shared:{r.pk}",
                sent_at=r.shared_at,
                completed_at=r.shared_at,
            )
            for r in reports
        ],
        batch_size=2000,
    )


def _history_of_new(model, rows: list, when, user) -> None:
    """The "+" history rows of rows just bulk-created, dated by `when`."""
    if rows and rows[0].pk is None:  # a database that does not return ids
        return
    for row in rows:
        row._history_date, row._history_user = when(row), user
    model.history.bulk_history_create(rows, batch_size=2000)


def _work_in_hand(ids: list[int], people: dict, rng: random.Random) -> set[int]:
    """A fixed number of reports in each state the dashboards list, of recent assessments, and of published reports
    whose actions are still open; returns their ids, whose history this makes."""
    from django.utils import timezone
    from wagtail.models import Page

    from cms.models import AssessmentType
    from notify.models import OutboxEmail, OutboxStatus
    from workflow.models import (
        Assessment,
        Department,
        PanelMember,
        PanelRole,
        ReportPage,
        ReportStatusChange,
        Service,
    )

    today = timezone.localdate()
    now = timezone.now()
    team = people["team"]
    chosen = iter(ids)
    in_hand = set()
    for status, count in IN_FLIGHT.items():
        for n in range(count):
            pk = next(chosen)
            in_hand.add(pk)
            report = ReportPage.objects.select_related("assessment").get(pk=pk)
            # Drafts: half of them late with the panel. The others as their status allows.
            days_ago = {"draft": 10 + 4 * n, "submitted": 8 + n, "checked": 9 + n, "shared": 20 + 2 * n}.get(
                status, 40 + n
            )
            date = today - datetime.timedelta(days=days_ago)
            Assessment.objects.filter(pk=report.assessment_id).update(date=date)
            fields = {"status": status, "accepted_at": None, "submitted_at": None, "shared_at": None}
            steps = {"draft": 0, "submitted": 1, "checked": 2, "shared": 3, "challenged": 4}[status]
            changes = [s for s in STEPS_OF_PUBLISHED[:steps]]
            if status == "challenged":
                changes[-1] = ("challenge", "shared", "challenged", 16)
            if steps >= 1:
                fields["submitted_at"] = _at(date + datetime.timedelta(days=3))
            if steps >= 3:
                fields["shared_at"] = _at(date + datetime.timedelta(days=7))
                fields["response_due"] = date + datetime.timedelta(days=21)
            ReportPage.objects.filter(pk=pk).update(**fields)
            Page.objects.filter(pk=pk).update(live=False, has_unpublished_changes=True)
            lead = rng.choice(people["assessors"])
            for i, (transition, was, becomes, days) in enumerate(changes):
                _insert(
                    ReportStatusChange,
                    [
                        {
                            "report": pk,
                            "transition": transition,
                            "from_status": was,
                            "to_status": becomes,
                            "by": lead if transition == "submit" else team.pk,
                            "at": min(_at(date + datetime.timedelta(days=days), 10 + i), now),
                            "comment": "The team disagrees with point 3." if transition == "challenge" else "",
                        }
                    ],
                )
            PanelMember.objects.create(assessment_id=report.assessment_id, user_id=lead, role=PanelRole.LEAD)
            report.refresh_from_db()
            report._history_date, report._history_user = now - datetime.timedelta(days=1), team
            ReportPage.history.bulk_history_create([report])
    # Recently accepted, published, their actions open: accepted 1 to 8 months ago.
    recent = [next(chosen) for _ in range(RECENTLY_ACCEPTED)]
    for n, pk in enumerate(recent):
        Assessment.objects.filter(report__pk=pk).update(date=today - datetime.timedelta(days=40 + 7 * n))
    _history_of_published(recent, people, rng, open_actions=True)
    in_hand.update(recent)
    # Assessments booked whose report nobody has started.
    kind = AssessmentType.objects.get(slug="assessment")
    for n in range(NOT_STARTED):
        service = Service.objects.create(
            name=f"Bench booked service {n}", department=Department.objects.first(), users="People."
        )
        Assessment.objects.create(
            service=service, type=kind, phase="alpha", date=today + datetime.timedelta(days=-20 if n % 2 else 10)
        )
    for n in range(FAILED_EMAILS):
        OutboxEmail.objects.create(
            kind="report_shared",
            template_id=str(uuid.UUID(int=0)),
            email_address=f"gone{n}@example.gov.uk",
            idempotency_key=f"bench-failed-{n}",
            status=OutboxStatus.PERMANENT_FAILURE,
            attempts=1,
        )
    return in_hand


# --- measuring -----------------------------------------------------------------------------------------


def measure(user) -> dict[str, tuple[int, float]]:
    """Each page's queries and the median of its timed requests, in milliseconds."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    figures = {}
    for name, path in PAGES.items():
        for _ in range(WARM_UPS):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # now: it reads the connection's log, which the next request clears
        times = []
        for _ in range(TIMED):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = (count, statistics.median(times))
        print(f"  {name:22} {count:4} queries {figures[name][1]:9.1f} ms", flush=True)
    return figures


def profile(user, name: str) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(PAGES[name])
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(PAGES[name])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    args = parse_args()
    database = "PostgreSQL" if args.database_url else "SQLite"
    # One connection for the whole run, as a worker keeps it: each request would otherwise connect afresh, which costs
    # the same at any size, and closing it loses the queries counted.
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    with harness.environment(args.database_url, name="signedin"):
        from django.db import connection

        connection.ensure_connection()
        print(f"{database}: in-process, median of {TIMED} requests after {WARM_UPS} warm-ups", flush=True)
        figures = {}
        for step in args.steps:
            started = time.monotonic()
            harness.seed(step)
            seed_history()
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("ANALYZE")
            print(f"{step} reports with their history (seeded in {time.monotonic() - started:.0f} s)", flush=True)
            user = _people()["team"]
            figures[step] = measure(user)
        if args.profile:
            profile(user, args.profile)
        if args.keep:
            report_goals(database, args.steps, figures, fail=False)
            print(f"kept: {connection.settings_dict['NAME']}", flush=True)
            # Leaves before the environment drops the database.
            os._exit(0)
    report_goals(database, args.steps, figures)


def report_goals(database: str, steps: list[int], figures: dict, *, fail: bool = True) -> None:
    first, last = steps[0], steps[-1]
    print(f"\ngoals on {database}, figures from this run:")
    met = 0
    grew = {}
    ratios = {}
    for name in PAGES:
        queries_first, time_first = figures[first][name]
        queries_last, time_last = figures[last][name]
        if queries_last > queries_first:
            grew[name] = (queries_first, queries_last)
        ratios[name] = time_last / time_first
        # Not more, rather than the same: the audit history's first page holds different kinds of record at each step,
        # and each kind costs its own few queries (workflow.admin.history), however many records.
        bounded = queries_last <= queries_first
        fast = ratios[name] <= TIME_AT_MOST
        met += bounded + fast
        print(
            f"  {'met    ' if bounded else 'NOT MET'}  {name} queries at {last} / at {first}: {queries_last} / "
            f"{queries_first} (no more)"
        )
        print(
            f"  {'met    ' if fast else 'NOT MET'}  {name} time at {last} / at {first}: {ratios[name]:.2f} "
            f"({time_last:.1f} / {time_first:.1f} ms; at most {TIME_AT_MOST})"
        )
    print(f"{met} of {2 * len(PAGES)} goals met")
    print(
        f"database={database} reports={last} " + " ".join(f"{n.replace(' ', '_')}={r:.2f}" for n, r in ratios.items())
    )
    if grew and fail:
        raise SystemExit(f"queries grew with the number of reports: {grew}")


if __name__ == "__main__":
    main()
