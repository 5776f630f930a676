"""Writing reports. Views and commands call these; they never build report rows themselves."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from cms.models import PointsInScope, ServiceStandardPoint
from workflow import questions
from workflow.models import Assessment, PointRating, Rating, ReportPage, ReportStatus


def reports_index_page():
    model = apps.get_model(settings.REPORTS_INDEX_PAGE_MODEL)
    index = model.objects.first()
    if index is None:
        raise ImproperlyConfigured(
            f"There is no {model._meta.verbose_name}: run the migrations, which create it at /reports/."
        )
    return index


def points_in_scope(assessment: Assessment) -> list[ServiceStandardPoint]:
    """The points of the assessment's standard its type covers: all of them, those chosen when it was booked, or
    those rated red (a reassessment) or amber (an amber evidence review) in the report of the assessment it
    follows."""
    points = ServiceStandardPoint.objects.filter(standard_id=assessment.standard_id).in_order()
    scope = assessment.type.scope
    if scope == PointsInScope.ALL:
        return list(points)
    if scope == PointsInScope.CHOSEN:
        return list(points.filter(number__in=assessment.points_chosen))
    rated = PointRating.objects.filter(
        report__assessment=assessment.follows,
        # Published, or accepted and never published: either way its ratings stand.
        report__status__in=ReportStatus.accepted_by_delivery_team(),
        rating={PointsInScope.RED: Rating.RED, PointsInScope.AMBER: Rating.AMBER}[scope],
    ).values("number")
    return list(points.filter(number__in=rated))


def _unique_slug(parent, base: str) -> str:
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def report_create(*, assessment: Assessment) -> ReportPage:
    """A draft report for the assessment, with one unrated row per point in scope. The point titles and the
    questions of the type's report form are copied, so that later edits to either do not rewrite this report. The
    service's own description and users start the answers of the questions kept in those columns, if it asks them."""
    # The assessment's row lock makes a double press (or two panel members at once) start one report: the second
    # waits here, then finds the first one's report.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if ReportPage.objects.filter(assessment_id=assessment.pk).exists():
        raise ValidationError("This assessment already has a report.")
    points = points_in_scope(assessment)
    if not points:
        # A follow-up looks again only at red or amber points, and only once their report is accepted.
        raise ValidationError(
            f"A {assessment.type.name.lower()} needs an earlier accepted report with at least one "
            f"{assessment.type.scope} point, and this one has none."
        )
    index = reports_index_page()
    service = assessment.service
    asked = assessment.type.report_form.snapshot()
    columns = {question["stored_in"] for question in asked[questions.REPORT]}
    report = ReportPage(
        title=service.name,
        slug=_unique_slug(index, slugify(f"{service.name} {assessment.stage_label} {assessment.date:%Y-%m-%d}")),
        live=False,
        assessment=assessment,
        questions=asked,
        service_description=service.description if "service_description" in columns else "",
        service_users=service.users if "service_users" in columns else "",
    )
    index.add_child(instance=report)
    Assessment.objects.filter(pk=assessment.pk).update(report_started=True)
    assessment.report_started = True
    bulk_create_with_history(
        [PointRating(report=report, point=point, number=point.number, title=point.title) for point in points],
        PointRating,
    )
    return report
