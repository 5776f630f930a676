"""Reads for the public pages. Only live, public reports ever leave this module: every list, search, feed,
export and API answer starts from `published_reports()`.

Each selector runs a fixed number of queries, whatever the number of reports."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from cms.models import AssessmentType, ServiceStandardPoint
from workflow.models import Assessment, Department, PointRating, ReportPage, ReportStatus
from workflow.models.choices import Phase, Rating


def published_reports() -> QuerySet[ReportPage]:
    """Every report the public may see: live, public and published. Newest assessment first."""
    return (
        ReportPage.objects.live()
        .public()
        .filter(status=ReportStatus.PUBLISHED)
        .select_related("assessment__service__department", "assessment__type", "assessment__standard")
        .order_by("-assessment__date", "-pk")
    )


def most_points(reports: QuerySet[ReportPage]) -> int:
    """The most points any of these reports' standards has: the open data's point columns."""
    numbers = ServiceStandardPoint.objects.filter(standard__in=reports.order_by().values("assessment__standard_id"))
    return numbers.aggregate(most=Max("number"))["most"] or 0


def department_choices() -> list[tuple[str, str]]:
    """(slug, name) of each department with a published report, by name: the reports list filters by no other. A
    probe of the list's rows per department, not a read of every report."""
    from .models import ListedReport

    return list(
        Department.objects.filter(Exists(ListedReport.objects.filter(department=OuterRef("pk"))))
        .order_by("name")
        .values_list("slug", "name")
    )


def stages() -> dict[str, tuple[str, str, list[int]]]:
    """Each phase with each assessment type whose reports are published, by the stage's value in the list's
    address ("alpha", "alpha_reassessment", "beta_amber-evidence-review"): (label, phase, type ids). A type that
    adds nothing to the stage's name (a service assessment) is the phase alone."""
    found = {}
    types = AssessmentType.objects.filter(published=True).order_by("sort_order", "pk")
    for phase, _ in Phase.choices:
        for kind in types:
            value = f"{phase}_{kind.slug}" if kind.stage_suffix else phase
            found.setdefault(value, (Assessment.label_stage(phase, kind.stage_suffix), phase, []))[2].append(kind.pk)
    return found


@dataclass(frozen=True)
class ReportFilters:
    results: tuple[str, ...] = ()
    # Each stage chosen as the phase and the assessment types it stands for (from `stages()`).
    stages: tuple[tuple[str, tuple[int, ...]], ...] = ()
    departments: tuple[str, ...] = ()  # department slugs
    date_from: object = None
    date_to: object = None
    query: str = ""


def listed(filters: ReportFilters):
    """The reports list's rows (`ListedReport`) these filters keep, newest assessment first."""
    from .models import ListedReport

    rows = ListedReport.objects.order_by("-assessment_date", "-report_id")
    if filters.results:
        rows = rows.filter(overall_rating__in=[r for r in filters.results if r in Rating.values])
    if filters.stages:
        stage_q = Q(pk__in=[])
        for phase, type_ids in filters.stages:
            stage_q |= Q(phase=phase, type_id__in=type_ids)
        rows = rows.filter(stage_q)
    if filters.departments:
        rows = rows.filter(department__in=Department.objects.filter(slug__in=filters.departments))
    if filters.date_from:
        rows = rows.filter(assessment_date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(assessment_date__lte=filters.date_to)
    return rows


@dataclass(frozen=True)
class ListedRow:
    """A report as the reports list shows it, read as a plain row rather than as page, assessment, service,
    department and type objects: building those and their URLs was about half of the list's time."""

    pk: int
    title: str
    url: str
    stage_name: str
    date: object
    department: str
    overall_rating: str


def reports_page(reports: QuerySet[ReportPage], filters: ReportFilters, *, number, size: int, index_url: str) -> Page:
    """A page of the reports list, as `ListedRow`s. The ids are paged, counted and, on PostgreSQL, searched in the
    list's own rows (one table, with an index for the order and one for the words, so a page costs about the same at
    any size); then those reports are read from `reports`, which has the last word on what the public may see. On
    SQLite the search is Wagtail's, within the filtered rows. `index_url` is the list's own address: every report
    lives directly under it."""
    from .models import ListedReport

    rows = listed(filters)
    query = filters.query.strip()
    if query and connections[rows.db].vendor != "postgresql":
        searched = search_reports(reports.filter(pk__in=rows.values("report_id")), query)
        page = Paginator(searched, size).get_page(number)
        page.object_list = listed_rows(reports, [report.pk for report in page.object_list], index_url)
        return page
    if query:
        words = SearchQuery(query, config=ListedReport.SEARCH_CONFIG, search_type="plain")
        rows = (
            rows.filter(search=words)
            .annotate(rank=SearchRank(F("search"), words))
            .order_by("-rank", "-assessment_date", "-report_id")
        )
    page = Paginator(rows.values_list("report_id", flat=True), size).get_page(number)
    page.object_list = listed_rows(reports, list(page.object_list), index_url)
    return page


def listed_rows(reports: QuerySet[ReportPage], ids: list[int], index_url: str) -> list[ListedRow]:
    """These reports, in this order, as the list shows them: one query of plain rows, through `reports`."""
    found = {
        pk: ListedRow(
            pk=pk,
            title=title,
            url=f"{index_url}{slug}/",
            stage_name=Assessment.name_stage(phase, stage_suffix),
            date=date,
            department=department,
            overall_rating=rating,
        )
        for pk, title, slug, rating, date, phase, stage_suffix, department in reports.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "title",
            "slug",
            "overall_rating",
            "assessment__date",
            "assessment__phase",
            "assessment__type__stage_suffix",
            "assessment__service__department__name",
        )
    }
    return [found[pk] for pk in ids if pk in found]


def newest_published(count: int) -> list[ReportPage]:
    """The `count` reports published most recently, newest first: their ids from the list's own rows (an index
    gives them in order), then the reports read through `published_reports()`."""
    from .models import ListedReport

    rows = ListedReport.objects.order_by("-first_published_at", "-report_id")
    ids = list(rows.values_list("report_id", flat=True)[:count])
    found = published_reports().filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def search_reports(reports: QuerySet[ReportPage], query: str):
    """Wagtail search within already filtered reports, most relevant first: the list's search on SQLite
    (`reports_page` searches its own rows on PostgreSQL). Searching the ids keeps Wagtail's filter rules happy: the
    filters on related fields run in SQL."""
    # SQLite's full-text search fails on a double quote; the form already turns them into spaces, and so does this
    # for every other caller.
    query = query.replace('"', " ").strip()
    if not query:
        return reports
    return (
        ReportPage.objects.live()
        .public()
        .filter(id__in=reports.values("id"))
        .select_related("assessment__service__department", "assessment__type", "assessment__standard")
        .search(query, operator="and")
    )


def reports_index_url(report: ReportPage, request=None) -> str:
    """The reports list's URL, from the report's own: every report lives directly under the reports index."""
    url = report.get_url(request) or f"/reports/{report.slug}/"
    return url.removesuffix(f"{report.slug}/")


@dataclass(frozen=True)
class PreviousReport:
    url: str
    stage_label: str
    stage_name: str
    date: object
    overall_rating: str


def previous_reports(report: ReportPage, request=None) -> list[PreviousReport]:
    """The service's other published reports assessed before this one, newest first: one light query. Their
    URLs are the report's own, with its slug swapped, since every report lives under the reports index."""
    rows = (
        ReportPage.objects.filter(
            live=True,
            status=ReportStatus.PUBLISHED,
            assessment__service_id=report.assessment.service_id,
            assessment__date__lte=report.assessment.date,
        )
        .public()
        .exclude(pk=report.pk)
        .order_by("-assessment__date", "-pk")
        .values_list(
            "slug", "assessment__phase", "assessment__type__stage_suffix", "assessment__date", "overall_rating"
        )
    )
    base = reports_index_url(report, request)
    return [
        PreviousReport(
            url=f"{base}{slug}/",
            stage_label=Assessment.label_stage(phase, stage_suffix),
            stage_name=Assessment.name_stage(phase, stage_suffix),
            date=date,
            overall_rating=rating,
        )
        for slug, phase, stage_suffix, date, rating in rows
    ]


@dataclass
class PublicAction:
    description: str
    due_date: object
    status: str = ""


@dataclass
class PublicPoint:
    """A point of a published report as its page shows it; the report body reads these as it reads ratings."""

    number: int
    title: str
    rating: str
    done_well: str
    to_improve: str
    answers: dict  # by question id; the report body shows only the published ones
    action_list: list[PublicAction] = field(default_factory=list)


def points_of_reports(report_ids) -> dict[int, list[PublicPoint]]:
    """Each report's points in order, each with its actions, by report id: one query (ratings joined to their
    actions), read as plain rows, since they are only shown or exported."""
    rows = (
        PointRating.objects.filter(report_id__in=report_ids)
        .order_by("report_id", "number", "actions__created_at", "actions__pk")
        .values_list(
            "report_id",
            "number",
            "title",
            "rating",
            "done_well",
            "to_improve",
            "answers",
            "actions__pk",
            "actions__description",
            "actions__due_date",
            "actions__status",
        )
    )
    points: dict[int, list[PublicPoint]] = {}
    for (
        report_id,
        number,
        title,
        rating,
        done_well,
        to_improve,
        answers,
        action_pk,
        description,
        due_date,
        status,
    ) in rows:
        report_points = points.setdefault(report_id, [])
        if not report_points or report_points[-1].number != number:
            report_points.append(PublicPoint(number, title, rating, done_well, to_improve, answers))
        if action_pk is not None:
            report_points[-1].action_list.append(PublicAction(description, due_date, status))
    return points


def ratings_of_reports(report_ids) -> dict[int, dict[int, str]]:
    """Each report's rating of each point, by report id then point number: one query of plain rows."""
    ratings: dict[int, dict[int, str]] = {}
    rows = PointRating.objects.filter(report_id__in=report_ids).values_list("report_id", "number", "rating")
    for report_id, number, rating in rows:
        ratings.setdefault(report_id, {})[number] = rating
    return ratings


def report_points(report: ReportPage) -> list[PublicPoint]:
    return points_of_reports([report.pk]).get(report.pk, [])


@dataclass(frozen=True)
class ChangeNote:
    at: object
    note: str


def change_notes(report: ReportPage) -> list[ChangeNote]:
    """The public change notes of a corrected report, newest first: no query for a report never corrected."""
    if not report.corrected_at:
        return []
    return [
        ChangeNote(at, note)
        for at, note in report.corrections.order_by("-made_at", "-pk").values_list("made_at", "note")
    ]
