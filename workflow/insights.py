"""Insights for a period (by assessment date): how often each point was rated red, amber and green, overall results
by phase, and how long reports took from assessment to sharing and from sharing to the delivery team's response.

Counted over reports the delivery team has seen (shared, challenged, accepted or published): the ratings then are
the panel's checked view, and drafts still changing are left out. Times are whole days: calendar days from the
assessment to sharing and working days from sharing to the first response, accept or challenge; "past the rule"
counts the reports shared after their share-by date or answered after their response deadline, each with the figure
in force when its clock started (workflow.deadlines)."""

import csv
import datetime
import io
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from cms.spreadsheets import spreadsheet_cell
from cms.templatetags.govuk import rag_colour, tag_hex
from workflow import deadlines
from workflow.models import Phase, PointRating, Rating, ReportPage, ReportStatus
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
class Insights:
    start: datetime.date
    end: datetime.date
    reports: int
    points: list[Row]
    phases: list[Row]
    timings: list[Timing]


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
    reports = (
        _reports(start, end)
        .select_related("assessment")
        .annotate(responded_at=Min("status_changes__at", filter=Q(status_changes__transition__in=RESPONSES)))
    )
    to_share, to_respond = [], []
    shared_late = responded_late = 0
    for report in reports:
        if report.shared_at is None:
            continue
        shared_on = timezone.localdate(report.shared_at)
        to_share.append((shared_on - report.assessment.date).days)
        shared_late += deadlines.is_missed(report.share_due, shared_on)
        if report.responded_at is not None:
            responded_on = timezone.localdate(report.responded_at)
            to_respond.append(deadlines.working_days_between(shared_on, responded_on))
            responded_late += deadlines.is_missed(report.response_due, responded_on)
    return [
        _timing("Assessment to sharing (calendar days)", to_share, shared_late),
        _timing("Sharing to response (working days)", to_respond, responded_late),
    ]


def insights(start: datetime.date, end: datetime.date) -> Insights:
    return Insights(
        start=start,
        end=end,
        reports=_reports(start, end).count(),
        points=point_rows(start, end),
        phases=phase_rows(start, end),
        timings=timings(start, end),
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


def to_csv(data: Insights, table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if table == "timings":
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
