"""Open data: every published report's structured fields and per-point ratings, with the service's stable
id and the standard it was assessed against, as CSV (one row per report) and JSON (a list, with nested points and
actions, and the answers to the report form's published questions that have no field of their own). Both stream,
reading the reports in chunks (a server-side cursor on PostgreSQL) and each chunk's points in one query as plain
rows, so a hundred thousand reports need no more memory than a few hundred (bench/open_data.py measures it)."""

import csv
import json
from itertools import islice

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse

from cms.public_address import page_url
from cms.spreadsheets import spreadsheet_cell
from workflow import questions

from . import selectors

COLUMNS_BEFORE_POINTS = [
    "service_public_id",
    "service_name",
    "department",
    "phase",
    "stage",
    "assessment_type",
    "reassessment",
    "standard",
    "standard_version",
    "assessment_date",
    "published_date",
    "overall_rating",
]
# Added after the first columns, at the end, so that a reader counting columns still finds them where they were. The
# date of the latest correction, empty for a report never corrected.
COLUMNS_AFTER_URL = ["updated_date"]
CHUNK = 500


def csv_columns(points: int) -> list[str]:
    """A column per point, as many as the standard with the most points: each row fills those of its own
    standard (point_1 of an NHS report is the NHS standard's point 1; its `standard` column says so)."""
    return [*COLUMNS_BEFORE_POINTS, *(f"point_{n}" for n in range(1, points + 1)), "url", *COLUMNS_AFTER_URL]


def _reports(points_of, reports=None):
    """(report, what `points_of` reads of its points, or None) for every published report, a chunk at a time."""
    reports = (reports if reports is not None else selectors.published_reports()).iterator(chunk_size=CHUNK)
    while chunk := list(islice(reports, CHUNK)):
        points = points_of([report.pk for report in chunk])
        for report in chunk:
            yield report, points.get(report.pk)


class _Addresses:
    """Reports' public addresses. A report's address is its parent's and its slug, so Wagtail works out one per
    parent (the site's root paths, then reverse(), which cost more than the rest of a CSV row)."""

    def __init__(self):
        self.parents = {}

    def of(self, report) -> str | None:
        parent = report.url_path.removesuffix(f"{report.slug}/")
        if parent not in self.parents:
            url = page_url(report)
            if url is None or not url.endswith(f"/{report.slug}/"):
                return url
            self.parents[parent] = url.removesuffix(f"{report.slug}/")
        return f"{self.parents[parent]}{report.slug}/"


def _common(report, url) -> dict:
    assessment = report.assessment
    return {
        "service_public_id": str(assessment.service.public_id),
        "service_name": report.title,
        "department": assessment.service.department.name,
        "phase": assessment.phase,
        "stage": assessment.stage_label,
        "assessment_type": assessment.type.name,
        "reassessment": assessment.is_reassessment,
        "standard": assessment.standard.name,
        "standard_version": assessment.standard.version,
        "assessment_date": assessment.date.isoformat(),
        "published_date": report.first_published_at.date().isoformat() if report.first_published_at else "",
        "overall_rating": report.overall_rating,
        "url": url,
        "updated_date": report.updated_on.isoformat() if report.updated_on else "",
    }


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    def rows():
        writer = csv.writer(_Echo())
        most = selectors.most_points(selectors.published_reports())
        columns = csv_columns(most)
        yield writer.writerow(columns)
        addresses = _Addresses()
        # The CSV has no answers: their JSON is left unread.
        for report, ratings in _reports(selectors.ratings_of_reports, selectors.published_reports().defer("questions")):
            row = _common(report, addresses.of(report))
            row["reassessment"] = "yes" if row["reassessment"] else "no"
            row.update({f"point_{n}": (ratings or {}).get(n, "") for n in range(1, most + 1)})
            yield writer.writerow([spreadsheet_cell(row[column]) for column in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="service-assessment-reports.csv"'
    return response


def export_json(request):
    def chunks():
        yield "[\n"
        addresses = _Addresses()
        for index, (report, points) in enumerate(_reports(selectors.points_of_reports)):
            item = _common(report, addresses.of(report))
            item["answers"] = questions.open_answers(report, questions.REPORT)
            item["points"] = [
                {
                    "number": point.number,
                    "title": point.title,
                    "rating": point.rating,
                    "done_well": point.done_well,
                    "to_improve": point.to_improve,
                    "answers": questions.open_answers(report, questions.POINT, point),
                    "actions": [
                        {"description": action.description, "due_date": action.due_date, "status": action.status}
                        for action in point.action_list
                    ],
                }
                for point in points or []
            ]
            yield ("" if index == 0 else ",\n") + json.dumps(item, cls=DjangoJSONEncoder)
        yield "\n]\n"

    return StreamingHttpResponse(chunks(), content_type="application/json")
