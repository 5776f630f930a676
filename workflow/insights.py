"""Insights for a period (by assessment date): how often each point was rated red, amber and green, overall results
by phase, and how long reports took from assessment to sharing and from sharing to the delivery team's response.

Counted over reports the delivery team has seen (shared, challenged, accepted or published): the ratings then are
the panel's checked view, and drafts still changing are left out. Times are whole days: calendar days from the
assessment to sharing and working days from sharing to the first response, accept or challenge; "past the rule"
counts the reports shared after their share-by date or answered after their response deadline, each with the figure
in force when its clock started (workflow.deadlines).

What follows a report is counted by its own date in the same period: the open and overdue actions of the reports
accepted in it, the time to close the actions closed in it, and what the reassessments accepted in it made of the red
points they rated again. Actions count only once their report is accepted: before that they are the panel's draft."""

import csv
import datetime
import io
import math
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from cms.models import PointsInScope
from cms.spreadsheets import spreadsheet_cell
from cms.templatetags.govuk import rag_colour, tag_hex
from workflow import deadlines
from workflow.models import (
    Phase,
    PointRating,
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportPage,
    ReportStatus,
)
from workflow.transitions import ReportTransition

RATINGS = [Rating.RED, Rating.AMBER, Rating.GREEN]
# The delivery team's answer to a shared report.
RESPONSES = [ReportTransition.ACCEPT, ReportTransition.CHALLENGE]


@dataclass(frozen=True)
class Row:
    label: str
    red: int
    amber: int
    green: int

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green

    def counts(self) -> list[tuple[str, int]]:
        return [(Rating.RED.label, self.red), (Rating.AMBER.label, self.amber), (Rating.GREEN.label, self.green)]


@dataclass(frozen=True)
class Timing:
    label: str
    reports: int
    mean: float | None
    median: float | None
    longest: int | None
    late: int  # reports past their own deadline


@dataclass(frozen=True)
class ActionCount:
    label: str
    open: int
    overdue: int


@dataclass(frozen=True)
class ClosingTime:
    label: str
    actions: int
    median: float | None
    p90: int | None  # the 90th percentile, by nearest rank: a number of days some action really took
    longest: int | None


@dataclass(frozen=True)
class Reassessed:
    """What the reassessments of red points made of them: per service, each point's latest rating again."""

    services: int
    services_resolved: int  # every red point rated again is now green or amber
    points: int
    points_green: int
    points_amber: int
    points_red: int

    @property
    def services_still_red(self) -> int:
        return self.services - self.services_resolved

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("Services reassessed on their red points", self.services),
            ("Services with every red point now green or amber", self.services_resolved),
            ("Services with a point still red", self.services_still_red),
            ("Red points rated again", self.points),
            ("Now green", self.points_green),
            ("Now amber", self.points_amber),
            ("Still red", self.points_red),
        ]

    def chart_row(self) -> Row:
        return Row("Red points rated again", self.points_red, self.points_amber, self.points_green)


@dataclass(frozen=True)
class Insights:
    start: datetime.date
    end: datetime.date
    reports: int
    points: list[Row]
    phases: list[Row]
    timings: list[Timing]
    actions_by_point: list[ActionCount]
    actions_by_department: list[ActionCount]
    closing_times: list[ClosingTime]
    reassessed: Reassessed


def _reports(start: datetime.date, end: datetime.date):
    return ReportPage.objects.filter(
        status__in=ReportStatus.seen_by_delivery_team(), assessment__date__range=(start, end)
    )


def _rag(field: str) -> dict:
    return {rating: Count("pk", filter=Q(**{field: rating})) for rating in RATINGS}


def point_rows(start: datetime.date, end: datetime.date) -> list[Row]:
    """Ratings by point of each standard the reports were written against: point 15 of the NHS standard is no
    point of GOV.UK's, and point 1 of one is not point 1 of the other."""
    standard = "report__assessment__standard__name"
    ratings = list(
        PointRating.objects.filter(report__in=_reports(start, end))
        .values(standard, "number")
        .annotate(title=Min("title"), **_rag("rating"))
        .order_by(standard, "number")
    )
    several = len({r[standard] for r in ratings}) > 1
    return [
        Row(
            f"{r[standard] + ': ' if several else ''}{r['number']}. {r['title']}",
            r[Rating.RED],
            r[Rating.AMBER],
            r[Rating.GREEN],
        )
        for r in ratings
    ]


def phase_rows(start: datetime.date, end: datetime.date) -> list[Row]:
    counts = {
        r["assessment__phase"]: r
        for r in _reports(start, end).values("assessment__phase").annotate(**_rag("overall_rating"))
    }
    return [
        Row(label, counts[phase][Rating.RED], counts[phase][Rating.AMBER], counts[phase][Rating.GREEN])
        for phase, label in Phase.choices
        if phase in counts
    ]


def _timing(label: str, days: list[int], late: int) -> Timing:
    if not days:
        return Timing(label, 0, None, None, None, 0)
    return Timing(label, len(days), round(statistics.mean(days), 1), statistics.median(days), max(days), late)


def timings(start: datetime.date, end: datetime.date) -> list[Timing]:
    # Plain values, not report objects: a report page is costly to build (its tree, its clusters, its state
    # machine), and at a year of reports building them was most of the page's time.
    reports = (
        _reports(start, end)
        .exclude(shared_at=None)
        # Annotated before choosing the values, so that it groups by report, not by the values.
        .annotate(responded_at=Min("status_changes__at", filter=Q(status_changes__transition__in=RESPONSES)))
        .annotate(shared_on=TruncDate("shared_at"), responded_on=TruncDate("responded_at"))
        .values_list("shared_on", "response_due", "assessment__date", "assessment__share_within_days", "responded_on")
    )
    to_share, to_respond = [], []
    shared_late = responded_late = 0
    for shared_on, response_due, assessment_date, share_within_days, responded_on in reports:
        to_share.append((shared_on - assessment_date).days)
        shared_late += deadlines.is_missed(deadlines.share_due(assessment_date, share_within_days), shared_on)
        if responded_on is not None:
            to_respond.append(deadlines.working_days_between(shared_on, responded_on))
            responded_late += deadlines.is_missed(response_due, responded_on)
    return [
        _timing("Assessment to sharing (calendar days)", to_share, shared_late),
        _timing("Sharing to response (working days)", to_respond, responded_late),
    ]


# --- after the report: actions and reassessments ---------------------------------------------------


def _accepted_actions():
    return ReportAction.objects.filter(rating__report__status__in=ReportStatus.accepted_by_delivery_team())


def _open_actions(start: datetime.date, end: datetime.date, today: datetime.date, *group_by: str, **more):
    """Open actions of the reports accepted in the period, counted by `group_by`, open and overdue."""
    return (
        _accepted_actions()
        .filter(status=ReportActionStatus.OPEN, rating__report__accepted_at__date__range=(start, end))
        .values(*group_by)
        # deadlines.is_missed(due_date, today), as a query. Red actions have no due date: a reassessment resolves them.
        .annotate(n=Count("pk"), missed=Count("pk", filter=Q(due_date__lt=today)), **more)
        .order_by(*group_by)
    )


def actions_by_point(start: datetime.date, end: datetime.date, today: datetime.date) -> list[ActionCount]:
    """By point of each standard, as point_rows."""
    standard = "rating__report__assessment__standard__name"
    counts = list(_open_actions(start, end, today, standard, "rating__number", title=Min("rating__title")))
    several = len({c[standard] for c in counts}) > 1
    return [
        ActionCount(f"{c[standard] + ': ' if several else ''}{c['rating__number']}. {c['title']}", c["n"], c["missed"])
        for c in counts
    ]


def actions_by_department(start: datetime.date, end: datetime.date, today: datetime.date) -> list[ActionCount]:
    department = "rating__report__assessment__service__department__name"
    return [ActionCount(c[department], c["n"], c["missed"]) for c in _open_actions(start, end, today, department)]


def _percentile(days: list[int], fraction: float) -> int:
    ordered = sorted(days)
    return ordered[math.ceil(fraction * len(ordered)) - 1]


def _closing_time(label: str, days: list[int]) -> ClosingTime:
    if not days:
        return ClosingTime(label, 0, None, None, None)
    return ClosingTime(label, len(days), statistics.median(days), _percentile(days, 0.9), max(days))


def closing_times(start: datetime.date, end: datetime.date) -> list[ClosingTime]:
    """Calendar days from the report's acceptance to each action's closing, for the actions closed in the period.
    Percentiles are worked out here rather than in SQL, which SQLite and PostgreSQL do not share."""
    closed = (
        _accepted_actions()
        .filter(status=ReportActionStatus.DONE, closed_at__date__range=(start, end))
        .exclude(rating__report__accepted_at=None)
        # The UK days, worked out by the database: thousands of moments turned into local dates here took longer
        # than the query.
        .values_list("rating__rating", TruncDate("rating__report__accepted_at"), TruncDate("closed_at"))
    )
    days = {Rating.AMBER: [], Rating.RED: []}
    for rating, accepted_on, closed_on in closed:
        days.setdefault(rating, []).append((closed_on - accepted_on).days)
    return [
        _closing_time("All actions", [d for ds in days.values() for d in ds]),
        _closing_time("Amber actions", days[Rating.AMBER]),
        _closing_time("Red actions", days[Rating.RED]),
    ]


def reassessed(start: datetime.date, end: datetime.date) -> Reassessed:
    """For the reassessments of red points accepted (so published, unless confidential) in the period: how many
    services had red points rated again, how many of those points are now green or amber, and how many services
    have every one of them so. A point rated again twice in the period counts once, as the later one rated it."""
    ratings = (
        PointRating.objects.filter(
            report__status__in=ReportStatus.accepted_by_delivery_team(),
            report__accepted_at__date__range=(start, end),
            report__assessment__type__scope=PointsInScope.RED,
        )
        .exclude(rating="")
        .order_by("report__accepted_at", "report__pk")
        .values_list("report__assessment__service", "number", "rating")
    )
    latest = {(service, number): rating for service, number, rating in ratings}
    still_red = {service for (service, _), rating in latest.items() if rating == Rating.RED}
    services = {service for service, _ in latest}
    by_rating = list(latest.values())
    return Reassessed(
        services=len(services),
        services_resolved=len(services - still_red),
        points=len(latest),
        points_green=by_rating.count(Rating.GREEN),
        points_amber=by_rating.count(Rating.AMBER),
        points_red=by_rating.count(Rating.RED),
    )


def insights(start: datetime.date, end: datetime.date, *, today: datetime.date | None = None) -> Insights:
    today = today or timezone.localdate()
    return Insights(
        start=start,
        end=end,
        reports=_reports(start, end).count(),
        points=point_rows(start, end),
        phases=phase_rows(start, end),
        timings=timings(start, end),
        actions_by_point=actions_by_point(start, end, today),
        actions_by_department=actions_by_department(start, end, today),
        closing_times=closing_times(start, end),
        reassessed=reassessed(start, end),
    )


# --- charts and CSV --------------------------------------------------------------------------------


def _rating_colours(rating: Rating) -> dict:
    # A rating is drawn as its tag looks on every page: the same GOV.UK tag colour (cms/templatetags/govuk.py).
    colour = rag_colour(rating)
    text, fill = tag_hex(colour)
    return {"tag": colour, "fill": fill, "text": text}


COLOURS = {rating.label: _rating_colours(rating) for rating in RATINGS}
# A count is written inside its segment only where it fits.
LABEL_MIN_WIDTH = 24


def stacked_bars(rows: list[Row], *, width: int = 400, left: int = 220, bar_height: int = 18, gap: int = 8) -> dict:
    """The geometry of a horizontal stacked bar chart, for the SVG template: each row a bar, red, amber, green."""
    most = max((row.total for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        x = float(left)
        segments = []
        for rating, count in row.counts():
            w = width * count / most
            segments.append(
                {
                    "rating": rating,
                    "count": count,
                    "x": round(x, 1),
                    "width": round(w, 1),
                    "middle": round(x + w / 2, 1),
                    "labelled": w >= LABEL_MIN_WIDTH,
                    **COLOURS[rating],
                }
            )
            x += w
        bars.append({"label": row.label, "y": index * (bar_height + gap), "segments": segments, "total": row.total})
    return {
        "bars": bars,
        "key": [{"rating": label, **colours} for label, colours in COLOURS.items()],
        "bar_height": bar_height,
        "total_x": left + width + 5,
        "svg_width": left + width + 40,
        "height": max(len(rows), 1) * (bar_height + gap),
    }


# Two figures per row, each a bar of its own: GOV.UK blue and, for what is late, GOV.UK red; a 90th percentile in
# GOV.UK dark blue beside its median.
BLUE, RED, DARK_BLUE = "#1d70b8", "#d4351c", "#003078"


def paired_bars(
    rows: list[tuple[str, int | float | None, int | float | None]],
    names: tuple[str, str],
    fills: tuple[str, str],
    *,
    width: int = 400,
    left: int = 220,
    bar_height: int = 9,
    gap: int = 8,
) -> dict:
    """The geometry of a horizontal chart of two figures per row (open and overdue; median and 90th percentile)."""
    most = max((value or 0 for _, *values in rows for value in values), default=0) or 1
    bars = []
    for index, (label, *values) in enumerate(rows):
        pair = [
            {
                "name": name,
                "value": value,
                "fill": fill,
                "y": offset * bar_height,
                "width": round(width * (value or 0) / most, 1),
            }
            for offset, (name, value, fill) in enumerate(zip(names, values, fills, strict=True))
        ]
        for bar in pair:
            bar["value_x"] = round(left + bar["width"] + 5, 1)
        bars.append({"label": label, "y": index * (2 * bar_height + gap), "pair": pair})
    return {
        "bars": bars,
        "key": [{"name": name, "fill": fill} for name, fill in zip(names, fills, strict=True)],
        "left": left,
        "bar_height": bar_height,
        "label_y": bar_height + 4,
        "svg_width": left + width + 40,
        "height": max(len(rows), 1) * (2 * bar_height + gap),
    }


def _blank(value):
    return "" if value is None else value


def _follow_through_rows(data: Insights, table: str) -> list[list] | None:
    """The rows of a table of what followed the reports, heading first; None for any other table."""
    if table in ("open_by_point", "open_by_department"):
        rows = data.actions_by_point if table == "open_by_point" else data.actions_by_department
        first = "Point" if table == "open_by_point" else "Department"
        return [[first, "Open", "Overdue"], *([spreadsheet_cell(r.label), r.open, r.overdue] for r in rows)]
    if table == "closing":
        return [
            ["Actions", "Closed", "Median days", "90th percentile days", "Longest days"],
            *([t.label, t.actions, _blank(t.median), _blank(t.p90), _blank(t.longest)] for t in data.closing_times),
        ]
    if table == "reassessments":
        return [["Measure", "Count"], *([label, count] for label, count in data.reassessed.rows())]
    return None


def to_csv(data: Insights, table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    follow_through = _follow_through_rows(data, table)
    if follow_through is not None:
        writer.writerows(follow_through)
    elif table == "timings":
        writer.writerow(["Measure", "Reports", "Mean", "Median", "Longest", "Past the rule"])
        for t in data.timings:
            writer.writerow(
                [t.label, t.reports, *("" if v is None else v for v in (t.mean, t.median, t.longest)), t.late]
            )
    else:
        rows = data.phases if table == "phases" else data.points
        writer.writerow(["Phase" if table == "phases" else "Point", "Red", "Amber", "Green", "Total"])
        for row in rows:
            writer.writerow([spreadsheet_cell(row.label), row.red, row.amber, row.green, row.total])
    return out.getvalue()
