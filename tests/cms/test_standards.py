"""Standards and assessment types are content: the service assessment team drafts and publishes a standard's
version in the admin, and every report follows its own standard's points, from the form to the open data."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import AssessmentType, ReportForm, ServiceStandard, ServiceStandardPoint, StandardStatus
from tests.cast import make_cast, report_in, signed_in
from tests.factories import AssessmentFactory, ServiceFactory, UserFactory
from workflow import roles
from workflow.models import ReportStatus
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

GOV_UK = "GOV.UK Service Standard"
NHS = "NHS service standard"


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def standard_form(standard_fields: dict, points: list[dict]) -> dict:
    return nested_form_data(
        {
            **standard_fields,
            "points": inline_formset(
                [
                    {
                        "number": point["number"],
                        "title": point["title"],
                        "slug": point["slug"],
                        "service_manual_url": point["service_manual_url"],
                        "assessor_guidance": rich_text(point.get("assessor_guidance", "")),
                        **({"id": point["id"]} if "id" in point else {}),
                    }
                    for point in points
                ],
                initial=sum(1 for point in points if "id" in point),
                min=1,
            ),
        }
    )


def points_of(standard: ServiceStandard) -> list[dict]:
    return list(
        standard.points.in_order().values("id", "number", "title", "slug", "service_manual_url", "assessor_guidance")
    )


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_the_service_ships_with_the_gov_uk_and_nhs_standards_and_the_assessment_types():
    gov_uk = ServiceStandard.objects.get(name=GOV_UK)
    nhs = ServiceStandard.objects.get(name=NHS)
    assert gov_uk.is_published and nhs.is_published
    assert gov_uk.points.count() == 14
    assert list(nhs.points.in_order().values_list("number", flat=True)) == list(range(1, 18))
    assert nhs.points.get(number=16).title == "Make your service clinically safe"
    assert nhs.points.get(number=17).service_manual_url.startswith("https://service-manual.nhs.uk/")
    types = {kind.slug: kind for kind in AssessmentType.objects.all()}
    assert {slug: (kind.scope, kind.published) for slug, kind in types.items()} == {
        "assessment": ("all", True),
        "reassessment": ("red", True),
        "amber-evidence-review": ("amber", True),
        "peer-review": ("all", False),
        "nhs-assessment": ("all", True),
    }
    assert types["nhs-assessment"].standard == nhs


def test_the_team_drafts_a_new_version_in_the_admin_and_assessments_booked_after_publishing_use_it(client):
    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    current = ServiceStandard.objects.get(name=GOV_UK)
    written = report_create(assessment=AssessmentFactory(date=datetime.date(2027, 3, 1)))

    points = [dict(point, title=f"{point['title']} (2027)") for point in points_of(current)]
    for point in points:
        del point["id"]
    points.append(
        {
            "number": 15,
            "title": "Look after the people who run it",
            "slug": "look-after-people",
            "service_manual_url": "https://www.gov.uk/service-manual/service-standard",
        }
    )
    fields = {"name": GOV_UK, "version": "2027", "effective_from": "2027-01-01", "status": StandardStatus.DRAFT}
    response = team.post("/admin/snippets/cms/servicestandard/add/", standard_form(fields, points))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = ServiceStandard.objects.get(name=GOV_UK, version="2027")
    assert draft.points.count() == 15

    # A draft is used by nobody.
    assert AssessmentFactory(date=datetime.date(2027, 3, 1)).standard == current

    response = team.post(
        f"/admin/snippets/cms/servicestandard/edit/{draft.pk}/",
        standard_form({**fields, "status": StandardStatus.PUBLISHED}, points_of(draft)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    after = report_create(assessment=AssessmentFactory(date=datetime.date(2027, 3, 1)))
    assert after.assessment.standard.version == "2027"
    assert after.ratings.count() == 15
    assert after.ratings.get(number=4).title == "Make the service simple to use (2027)"
    # Held before the new version came into force: the one in force then.
    assert AssessmentFactory(date=datetime.date(2026, 12, 1)).standard == current
    # The report written before keeps its version, its points and their titles.
    written.refresh_from_db()
    assert written.assessment.standard == current
    assert written.ratings.count() == 14
    assert written.ratings.get(number=4).title == "Make the service simple to use"


def test_a_changed_point_title_leaves_reports_already_written_as_they_were(client):
    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    written = report_in(ReportStatus.PUBLISHED, make_cast())
    standard = written.assessment.standard
    points = points_of(standard)
    points[3]["title"] = "Make the service simple to use, first time"
    fields = {
        "name": standard.name,
        "version": standard.version,
        "effective_from": standard.effective_from.isoformat(),
        "status": standard.status,
    }
    response = team.post(f"/admin/snippets/cms/servicestandard/edit/{standard.pk}/", standard_form(fields, points))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ServiceStandardPoint.objects.get(standard=standard, number=4).title.endswith("first time")

    page = client.get(written.url).content.decode()
    assert "4. Make the service simple to use</a>" in page
    assert "first time" not in page
    assert report_create(assessment=AssessmentFactory()).ratings.get(number=4).title.endswith("first time")


def test_only_the_service_assessment_team_edits_standards_and_types():
    standard = ServiceStandard.objects.get(name=GOV_UK)
    kind = AssessmentType.objects.get(slug="peer-review")
    plus = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]))
    assert plus.get("/admin/snippets/cms/servicestandard/").status_code == 200
    for url in (
        "/admin/snippets/cms/servicestandard/add/",
        f"/admin/snippets/cms/servicestandard/edit/{standard.pk}/",
        "/admin/snippets/cms/assessmenttype/add/",
        f"/admin/snippets/cms/assessmenttype/edit/{kind.pk}/",
    ):
        assert plus.post(url, {"name": "Taken over", "published": "on"}).status_code in (302, 403), url
    assert not ServiceStandard.objects.filter(name="Taken over").exists()
    kind.refresh_from_db()
    assert kind.published is False

    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    # Assessments and reports name them, so neither is ever deleted.
    assert team.get(f"/admin/snippets/cms/servicestandard/delete/{standard.pk}/").status_code in (302, 403)
    assert team.post(f"/admin/snippets/cms/assessmenttype/delete/{kind.pk}/").status_code in (302, 403)
    assert AssessmentType.objects.filter(pk=kind.pk).exists()


def test_an_nhs_assessment_has_17_points_from_draft_to_open_data(client):
    nhs_type = AssessmentType.objects.get(slug="nhs-assessment")
    cast = make_cast(type=nhs_type, service=ServiceFactory(name="Find an NHS dentist"))
    assert cast.assessment.standard.name == NHS

    draft = report_create(assessment=cast.assessment)
    assert list(draft.ratings.values_list("number", flat=True)) == list(range(1, 18))
    lead = signed_in(cast.lead)
    assert "Make your service interoperable" in lead.get(f"/assessor/reports/{draft.pk}/").content.decode()
    draft.delete()

    report = report_in(ReportStatus.PUBLISHED, cast, "g" * 15 + "ar")
    page = client.get(report.url).content.decode()
    assert "17. Make your service interoperable" in page
    assert "16. Make your service clinically safe" in page
    assert "NHS service standard (1)" in page

    rows = list(csv.DictReader(io.StringIO(body(client.get("/reports/export.csv")))))
    (row,) = [row for row in rows if row["service_name"] == "Find an NHS dentist"]
    assert row["standard"] == NHS
    assert (row["point_16"], row["point_17"]) == ("amber", "red")

    (item,) = [i for i in json.loads(body(client.get("/reports/export.json"))) if i["service_name"] == report.title]
    assert len(item["points"]) == 17 and item["standard"] == NHS

    feed = client.get("/reports/feed/").content.decode()
    assert "against the NHS service standard" in feed

    detail = client.get(f"/api/v2/pages/{report.pk}/").json()
    assert len(detail["points"]) == 17
    assert detail["assessment_summary"]["standard"] == {"name": NHS, "version": "1"}

    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    insights = team.get("/admin/insights/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "17. Make your service interoperable" in insights


def test_an_amber_evidence_review_covers_only_the_amber_points_of_the_report_it_follows():
    cast = make_cast(date=datetime.date(2026, 3, 1))
    report_in(ReportStatus.PUBLISHED, cast, "gagggraggggaga")
    review = AssessmentFactory(
        service=cast.assessment.service,
        date=datetime.date(2026, 6, 1),
        type=AssessmentType.objects.get(slug="amber-evidence-review"),
        follows=cast.assessment,
    )
    scoped = report_create(assessment=review)
    assert list(scoped.ratings.values_list("number", flat=True)) == [2, 7, 12, 14]
    assert review.stage_label == "Alpha amber evidence review"
    assert review.stage_name == "Alpha amber evidence review"


def test_a_peer_reviews_report_ends_accepted_and_is_never_published(client):
    cast = make_cast(type=AssessmentType.objects.get(slug="peer-review"))
    report = report_in(ReportStatus.PUBLISHED, cast)
    assert report.status == ReportStatus.ACCEPTED
    assert not report.live
    assert client.get(report.url or f"/reports/{report.slug}/").status_code == 404
    assert report.title not in body(client.get("/reports/export.csv"))


def test_a_version_in_use_keeps_its_points_and_stays_published():
    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    standard = AssessmentFactory().standard
    fields = {
        "name": standard.name,
        "version": standard.version,
        "effective_from": standard.effective_from.isoformat(),
        "status": standard.status,
    }
    url = f"/admin/snippets/cms/servicestandard/edit/{standard.pk}/"

    fewer = standard_form(fields, points_of(standard)[:13])
    response = team.post(url, fewer)
    assert response.status_code == 200
    assert "its points cannot be added, removed or renumbered" in response.content.decode()
    renumbered = points_of(standard)
    renumbered[13]["number"] = 15
    assert (
        "cannot be added, removed or renumbered" in team.post(url, standard_form(fields, renumbered)).content.decode()
    )
    drafted = team.post(url, standard_form({**fields, "status": StandardStatus.DRAFT}, points_of(standard)))
    assert "so it stays published" in drafted.content.decode()

    standard.refresh_from_db()
    assert standard.is_published and standard.points.count() == 14
    assert standard.points.get(number=14).title == "Operate a reliable service"


def test_two_points_with_one_number_are_refused_with_a_message_not_an_error_page():
    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    point = {"title": "A point", "service_manual_url": "https://www.gov.uk/service-manual"}
    fields = {"name": "Test standard", "version": "1", "effective_from": "2027-01-01", "status": StandardStatus.DRAFT}
    response = team.post(
        "/admin/snippets/cms/servicestandard/add/",
        standard_form(fields, [{**point, "number": 1, "slug": "a"}, {**point, "number": 1, "slug": "b"}]),
    )
    assert response.status_code == 200
    assert not ServiceStandard.objects.filter(name="Test standard").exists()


def test_the_team_makes_a_type_whose_points_are_chosen_when_booking_and_books_one():
    cast = make_cast()
    team = signed_in(cast.assessment_team)
    gov_uk = ServiceStandard.objects.get(name=GOV_UK)
    response = team.post(
        "/admin/snippets/cms/assessmenttype/add/",
        {
            "name": "Focused review",
            "slug": "focused-review",
            "stage_suffix": "focused review",
            "standard": gov_uk.pk,
            "scope": "chosen",
            "report_form": ReportForm.objects.get().pk,
            "published": "on",
            "sort_order": 9,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    pm = signed_in(cast.product_manager)
    assert "Focused review" in pm.get("/bookings/new/").content.decode()
    asked = pm.post(
        "/bookings/new/", {"service": cast.assessment.service.pk, "kind": "focused-review", "phase": "public_beta"}
    )
    assert asked.status_code == 302, asked.content.decode()[:2000]
    booking = cast.assessment.service.booking_requests.get()

    decide = f"/admin/bookings/decide/{booking.pk}/"
    assert "Points to cover" in team.get(decide).content.decode()
    answer = {"decision": "accept", "date": "2027-02-01", "panel_lead": cast.lead.pk}
    for typed, message in [
        ("", "Enter the points this focused review covers."),
        ("three", "Enter point numbers separated by commas"),
        ("3, 15", "has no point 15: it has points 1 to 14."),
    ]:
        refused = team.post(decide, {**answer, "points_chosen": typed})
        assert refused.status_code == 200
        assert message in refused.content.decode(), typed
    booking.refresh_from_db()
    assert booking.assessment is None

    assert team.post(decide, {**answer, "points_chosen": "9, 3"}).status_code == 302
    booking.refresh_from_db()
    assessment = booking.assessment
    assert assessment.points_chosen == [3, 9]
    assert list(assessment.report.ratings.values_list("number", flat=True)) == [3, 9]
    assert assessment.stage_label == "Public beta focused review"
