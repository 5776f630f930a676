"""The guidance and the footer's pages are real content, made by a data migration (cms 0003) so every database has
them: live, editable in the Wagtail admin like any page, saying the facts of the process, and listed on /guidance/."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import GuidancePage
from tests.factories import UserFactory
from workflow import roles

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("cms.migrations.0003_guidance_and_footer_pages")

PAGES = {
    "/guidance/service-assessments/": "Service assessments",
    "/guidance/writing-an-assessment-report/": "Writing an assessment report",
    "/accessibility-statement/": "Accessibility statement",
    "/privacy-notice/": "Privacy notice",
    "/cookies/": "Cookies",
    "/feedback/": "Give feedback on this service",
}


def page_at(url: str) -> GuidancePage:
    return GuidancePage.objects.get(url_path=f"/home{url}")


def text_of(html: str) -> str:
    """The words of a page, without tags, with curly apostrophes made straight, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("’", "'")


def main_of(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(("url", "title"), PAGES.items())
def test_each_page_exists_after_migrate_live_and_published(client, url, title):
    page = page_at(url)
    assert page.title == title
    assert page.live and not page.has_unpublished_changes
    assert page.first_published_at is not None
    # Published through a revision, as pages published in the editor are: the editor opens that revision.
    assert page.live_revision_id == page.latest_revision_id is not None
    from_revision = page.latest_revision.as_object()
    assert from_revision.title == title
    assert [block.block_type for block in from_revision.body] == [block.block_type for block in page.body]
    assert len(page.body) > 0

    response = client.get(url)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-xl">{title}</h1>' in response.text
    assert f"<title>{title} – Service assessment reports – GOV.UK</title>" in response.text
    assert page.summary in response.text


def test_the_delivery_teams_guidance_says_the_facts_of_the_process(client):
    text = text_of(main_of(client.get("/guidance/service-assessments/").text))
    for fact in [
        "Being assessed is a condition of Cabinet Office spend approval",
        "up to 7 days after the assessment",
        "has 10 working days to accept or challenge it",
        "Weekends and bank holidays in England and Wales do not count",
        "within 3 months of accepting the report",
        "all of them before you book your next assessment",
        "be reassessed against those points",
        "Only the points that were red are reassessed",
        "book a reassessment",
        "Your report is published as soon as you accept it",
        "Accepting the report publishes it straight away",
        "The Service Assessment Plus team will set up a meeting between your team and the panel",
        "a link to a short feedback survey",
    ]:
        assert fact in text, fact
    for rating in ("Green", "Amber", "Red"):
        assert f'<h3 class="govuk-heading-m">{rating}</h3>' in client.get("/guidance/service-assessments/").text


def test_the_assessors_guidance_says_how_to_draft_rate_and_submit(client):
    text = text_of(main_of(client.get("/guidance/writing-an-assessment-report/").text))
    for fact in [
        "work with the rest of the panel",
        "give feedback and a red, amber or green (RAG) rating",
        "The lead assessor is responsible for the overall rating",
        "red if any point is red",
        "If you give a different overall rating, say why",
        "Do not add actions to a green point",
        "complete the actions within 3 months",
        "rate only the points that were red",
        "The lead assessor reviews the report and submits it to the service assessment team",
        "within 7 days of the assessment",
        "10 working days to accept or challenge the report",
        "When they accept it, it is published",
        "What happens next",
    ]:
        assert fact in text, fact


def test_the_footer_pages_say_what_the_service_does_with_cookies_and_data(client):
    cookies = text_of(main_of(client.get("/cookies/").text))
    assert "We only use cookies that this website needs to work" in cookies
    assert "sessionid" in cookies and "csrftoken" in cookies
    assert "analytics" in cookies  # says it uses none
    privacy = text_of(main_of(client.get("/privacy-notice/").text))
    assert "names and work email addresses" in privacy
    assert "assessors" in privacy and "delivery teams" in privacy
    assert "GOV.UK Notify" in privacy
    assert MIGRATION.TEAM_EMAIL.replace("’", "'") in privacy  # the contact the team fills in
    accessibility = text_of(main_of(client.get("/accessibility-statement/").text))
    assert "Equality Advisory and Support Service" in accessibility
    assert "Web Content Accessibility Guidelines version 2.2 AA" in accessibility


def test_the_guidance_index_lists_its_live_pages_with_their_summaries(client):
    html = client.get("/guidance/").text
    index = page_at("/guidance/")
    children = list(index.get_children().live().specific())
    assert [child.slug for child in children] == ["service-assessments", "writing-an-assessment-report"]
    links = re.findall(r'<h2 class="govuk-heading-m[^"]*"><a class="govuk-link" href="([^"]+)">([^<]+)</a></h2>', html)
    assert links == [(f"/guidance/{child.slug}/", child.title) for child in children]
    for child in children:
        assert child.summary in html

    children[1].unpublish()
    html = client.get("/guidance/").text
    assert "/guidance/writing-an-assessment-report/" not in html
    assert "/guidance/service-assessments/" in html


def test_the_service_assessment_team_edits_a_guidance_page_in_the_wagtail_admin(client):
    page = page_at("/guidance/service-assessments/")
    revisions_before = page.revisions.count()
    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert editor.status_code == 200
    assert "Get your assessment report" in editor.text  # the migration's blocks, in the editor

    data = nested_form_data(
        {
            "title": "Service assessments",
            "slug": "service-assessments",
            "summary": "Edited summary for delivery teams.",
            "body": streamfield(
                [
                    ("heading", {"text": "Get your report", "size": "l"}),
                    ("paragraph", rich_text("<p>You’ll get the report within 7 days.</p>")),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.text[:2000]
    page.refresh_from_db()
    assert page.revisions.count() == revisions_before + 1
    assert page.live_revision_id == page.latest_revision_id

    client.logout()
    public = client.get("/guidance/service-assessments/").text
    assert '<h2 class="govuk-heading-l">Get your report</h2>' in public
    assert "Edited summary for delivery teams." in public
    assert "What each rating means" not in public


def render_tag(source: str, request) -> str:
    return Template("{% load guidance %}" + source).render(Context({"request": request})).strip()


def test_guidance_url_gives_the_live_pages_url_or_nothing():
    request = RequestFactory().get("/assessor/")
    assert render_tag('{% guidance_url "writing-an-assessment-report" %}', request) == (
        "/guidance/writing-an-assessment-report/"
    )
    assert render_tag('{% guidance_url "service-assessments" as url %}{{ url }}', request) == (
        "/guidance/service-assessments/"
    )
    assert render_tag('{% guidance_url "no-such-page" %}', request) == ""
    assert render_tag('{% content_url "cookies" %}', request) == "/cookies/"
    # Without a request (the 500 and 503 pages) the tag asks nothing of the database and gives no link.
    assert render_tag('{% guidance_url "service-assessments" %}', None) == ""

    page_at("/guidance/writing-an-assessment-report/").unpublish()
    fresh = RequestFactory().get("/assessor/")
    assert render_tag('{% guidance_url "writing-an-assessment-report" %}', fresh) == ""

    PageViewRestriction.objects.create(
        page=page_at("/guidance/"), restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    fresh = RequestFactory().get("/assessor/")
    assert render_tag('{% guidance_url "service-assessments" %}', fresh) == ""
    assert render_tag('{% content_url "cookies" %}', fresh) == "/cookies/"  # not under the restricted page


def test_guidance_url_asks_the_database_once_per_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    source = (
        '{% guidance_url "service-assessments" %} {% guidance_url "writing-an-assessment-report" %} '
        '{% content_url "cookies" %} {% content_url "privacy-notice" %}'
    )
    Site.get_site_root_paths()  # Wagtail keeps these in the cache, so a page never asks for them again
    with django_assert_num_queries(1):
        urls = render_tag(source, request).split()
    assert urls == [
        "/guidance/service-assessments/",
        "/guidance/writing-an-assessment-report/",
        "/cookies/",
        "/privacy-notice/",
    ]


def test_the_links_are_kept_between_requests_until_a_page_changes(django_assert_num_queries):
    # Every public page shows them: after the first request, none asks the database again until a page is
    # published, unpublished, moved or deleted, or a view restriction changes.
    Site.get_site_root_paths()
    render_tag('{% content_url "cookies" %}', RequestFactory().get("/"))
    with django_assert_num_queries(0):
        assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == "/cookies/"

    page_at("/cookies/").unpublish()
    assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == ""
    page_at("/cookies/").save_revision().publish()
    assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == "/cookies/"

    restriction = PageViewRestriction.objects.create(
        page=page_at("/cookies/"), restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == ""
    restriction.delete()
    assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == "/cookies/"

    page_at("/cookies/").delete()
    assert render_tag('{% content_url "cookies" %}', RequestFactory().get("/")) == ""


def migrated_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("cms", "0003_guidance_and_footer_pages")).apps


def test_running_the_migration_again_changes_nothing_and_restores_a_deleted_page(client):
    edited = page_at("/privacy-notice/")
    edited.title = "Privacy (edited)"
    edited.save_revision().publish()
    counts = Page.objects.count()

    MIGRATION.create_pages(migrated_apps(), None)
    assert Page.objects.count() == counts
    assert page_at("/privacy-notice/").title == "Privacy (edited)"  # the team's edit is kept

    page_at("/cookies/").delete()
    assert client.get("/cookies/").status_code == 404
    MIGRATION.create_pages(migrated_apps(), None)
    assert Page.objects.count() == counts
    assert client.get("/cookies/").status_code == 200
    # The tree is whole: the new page took a free place among the home page's children.
    assert Page.find_problems() == ([], [], [], [], [])
    home = Page.objects.get(url_path="/home/")
    assert home.numchild == home.get_children().count()


def test_the_migration_reverses_without_removing_the_assessment_teams_pages():
    operation = MIGRATION.Migration.operations[0]
    assert operation.reversible
    before = set(GuidancePage.objects.values_list("url_path", flat=True))
    operation.reverse_code(migrated_apps(), None)
    assert set(GuidancePage.objects.values_list("url_path", flat=True)) == before
