"""Open data: every published report's structured fields and per-point ratings, with the service's stable
id and the standard it was assessed against, as CSV (one row per report) and JSON (a list, with nested points and
actions, and the answers to the report form's published questions that have no field of their own). Both stream,
reading the reports in chunks, so ten thousand reports need no more memory than a few hundred."""

import csv
import json

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


def _reports():
    return selectors.with_points(selectors.published_reports()).iterator(chunk_size=CHUNK)


def _common(report, request) -> dict:
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
        "url": page_url(report),
        "updated_date": report.updated_on.isoformat() if report.updated_on else "",
    }


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    def rows():
        writer = csv.writer(_Echo())
        points = selectors.most_points(selectors.published_reports())
        columns = csv_columns(points)
        yield writer.writerow(columns)
        for report in _reports():
            row = _common(report, request)
            row["reassessment"] = "yes" if row["reassessment"] else "no"
            ratings = {rating.number: rating.rating for rating in report.ratings.all()}
            row.update({f"point_{n}": ratings.get(n, "") for n in range(1, points + 1)})
            yield writer.writerow([spreadsheet_cell(row[column]) for column in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="service-assessment-reports.csv"'
    return response


def export_json(request):
    def chunks():
        yield "[\n"
        for index, report in enumerate(_reports()):
            item = _common(report, request)
            item["answers"] = questions.open_answers(report, questions.REPORT)
            item["points"] = [
                {
                    "number": rating.number,
                    "title": rating.title,
                    "rating": rating.rating,
                    "done_well": rating.done_well,
                    "to_improve": rating.to_improve,
                    "answers": questions.open_answers(report, questions.POINT, rating),
                    "actions": [
                        {"description": action.description, "due_date": action.due_date, "status": action.status}
                        for action in rating.actions.all()
                    ],
                }
                for rating in report.ratings.all()
            ]
            yield ("" if index == 0 else ",\n") + json.dumps(item, cls=DjangoJSONEncoder)
        yield "\n]\n"

    return StreamingHttpResponse(chunks(), content_type="application/json")
