import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from workflow import roles

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_permissions():
    assessment_team = Group.objects.get(name=roles.SERVICE_ASSESSMENT_TEAM)
    assert assessment_team.permissions.filter(codename="access_admin").exists()
    assert assessment_team.permissions.filter(codename="change_servicestandard").exists()
    assert assessment_team.page_permissions.filter(permission__codename="publish_page").exists()
    plus = Group.objects.get(name=roles.SERVICE_ASSESSMENT_PLUS_TEAM)
    assert plus.permissions.filter(codename="access_admin").exists()
    assert not plus.permissions.filter(codename="change_servicestandard").exists()
    assert Group.objects.get(name=roles.ASSESSORS).permissions.filter(codename="assess").exists()
    assert (
        Group.objects.get(name=roles.DELIVERY_TEAM_MEMBERS).permissions.filter(codename="respond_for_service").exists()
    )


def test_assessors_and_delivery_teams_cannot_enter_the_cms_admin(client):
    for group in (roles.ASSESSORS, roles.DELIVERY_TEAM_MEMBERS):
        client.force_login(UserFactory(groups=[group]))
        response = client.get("/admin/")
        assert response.status_code == 302, group
        assert "/admin/login/" in response["Location"]


def test_the_service_assessment_team_publishes_a_guidance_page_in_the_cms_admin(client):
    from wagtail.models import Page
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    from cms.models import GuidancePage

    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    guidance = Page.objects.get(url_path="/home/guidance/")
    data = nested_form_data(
        {
            "title": "Book an assessment",
            "slug": "book-an-assessment",
            "summary": "How to book a service assessment.",
            "body": streamfield(
                [
                    ("heading", {"text": "Before you book", "size": "l"}),
                    ("paragraph", rich_text("<p>Address every amber action first.</p>")),
                    ("warning_text", "Red points need a reassessment."),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/add/cms/guidancepage/{guidance.pk}/", data)
    assert response.status_code == 302, response.text[:3000]
    page = GuidancePage.objects.get(slug="book-an-assessment")
    assert page.live

    public = client.get("/guidance/book-an-assessment/")
    assert public.status_code == 200
    assert '<h2 class="govuk-heading-l">Before you book</h2>' in public.text
    assert "govuk-warning-text" in public.text
    assert "Address every amber action first." in public.text
