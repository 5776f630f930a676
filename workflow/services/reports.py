"""Writing reports. Views and commands call these; they never build report rows themselves."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from cms.models import ServiceStandardPoint
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
    """All 14 points, or for a reassessment only those rated red in the report it follows up."""
    points = ServiceStandardPoint.objects.in_order()
    earlier = assessment.reassessment_of
    if earlier is None:
        return list(points)
    red_numbers = PointRating.objects.filter(
        report__assessment=earlier,
        # Published, or accepted and kept confidential: either way its red points stand.
        report__status__in=ReportStatus.accepted_by_delivery_team(),
        rating=Rating.RED,
    ).values("number")
    return list(points.filter(number__in=red_numbers))


def _unique_slug(parent, base: str) -> str:
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def report_create(*, assessment: Assessment) -> ReportPage:
    """A draft report for the assessment, with one unrated row per point in scope. The point titles are
    copied so that later edits to the Service Standard content do not rewrite this report."""
    # The assessment's row lock makes a double press (or two panel members at once) start one report: the second
    # waits here, then finds the first one's report.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if ReportPage.objects.filter(assessment_id=assessment.pk).exists():
        raise ValidationError("This assessment already has a report.")
    points = points_in_scope(assessment)
    if not points:
        # Only red points are reassessed, and only once their report is accepted.
        raise ValidationError(
            "A reassessment needs an earlier accepted report with at least one red point, and this one has none."
        )
    index = reports_index_page()
    service = assessment.service
    report = ReportPage(
        title=service.name,
        slug=_unique_slug(index, slugify(f"{service.name} {assessment.stage_label} {assessment.date:%Y-%m-%d}")),
        live=False,
        assessment=assessment,
        service_description=service.description,
        service_users=service.users,
    )
    index.add_child(instance=report)
    bulk_create_with_history(
        [PointRating(report=report, point=point, number=point.number, title=point.title) for point in points],
        PointRating,
    )
    return report
