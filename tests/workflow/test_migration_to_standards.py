"""Moving to standards, assessment types and report forms as content changes nothing for existing reports: each demo
report's public page reads the same after the database goes back to before the move (one standard of numbered points,
reassessments marked by the assessment they follow, the four questions of the report fixed in the code, with their
hints among the form's help texts) and forward again."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cms.models import AssessmentType
from workflow.models import Assessment, BookingRequest, ReportPage, ReportStatus

BEFORE = [("workflow", "0010_assessment_confidential"), ("cms", "0003_guidance_and_footer_pages")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    # Every app's, not only the two this moves back: going back undoes the migrations that depend on them too
    # (the reports list's rows, in publishing), which the tests after this one need.
    return executor.loader.graph.leaf_nodes()


def main_content(html: str) -> str:
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def public_pages(client, reports) -> dict[str, str]:
    cache.clear()
    return {report.url: main_content(client.get(report.url).content.decode()) for report in reports}


# Transactional, since migrations run outside a test transaction; the flush after it is undone by restoring the
# database the migrations made (serialized_rollback), which the tests after it rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_reports_read_the_same_before_and_after_the_move_to_standards_and_types(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The demo's NHS assessment could not have been made before standards were content, so it goes before migrating
    # back.
    existing = Assessment.objects.filter(standard__name="GOV.UK Service Standard")
    # A report corrected after publishing is left out: corrections came long after the move, and migrating back to
    # before it drops them with their tables.
    reports = list(
        ReportPage.objects.filter(status=ReportStatus.PUBLISHED, assessment__in=existing, corrected_at__isnull=True)
    )
    pages = public_pages(client, reports)
    types = dict(existing.values_list("pk", "type__slug"))
    requests = dict(BookingRequest.objects.values_list("pk", "type__slug"))
    assert len(pages) >= 3
    assert "reassessment" in types.values()
    # The team's own wording of a hint goes back to the help texts and comes forward again.
    form = AssessmentType.objects.get(slug="assessment").report_form
    form.point_questions[0].value["hint"] = "One strength a line, with the evidence seen."
    form.save()

    for later in Assessment.objects.exclude(pk__in=types):
        later.report.delete()
        later.delete()
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cms_servicestandardpoint")
            assert cursor.fetchone() == (14,)
    finally:
        migrate(latest())

    assert public_pages(client, reports) == pages
    assert dict(Assessment.objects.filter(pk__in=types).values_list("pk", "type__slug")) == types
    assert dict(BookingRequest.objects.values_list("pk", "type__slug")) == requests
    assert set(Assessment.objects.values_list("standard__name", flat=True)) == {"GOV.UK Service Standard"}
    form = AssessmentType.objects.get(slug="assessment").report_form
    assert set(AssessmentType.objects.values_list("report_form", flat=True)) == {form.pk}
    assert form.point_questions[0].value["hint"] == "One strength a line, with the evidence seen."
    for report in ReportPage.objects.all():
        assert report.questions == form.snapshot()
