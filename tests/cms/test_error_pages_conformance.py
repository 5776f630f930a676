"""Every form page of the service, sent something wrong, answers as GOV.UK's error pattern asks: one error summary at
the top, "Error: " before the page's title, and each of the summary's links going to an input on the page. The rule
for the title lives in one place (cms.templatetags.govuk.error_prefix, used by templates/base.html)."""

import re
from html import unescape

import pytest
from django import forms
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory

from tests.cast import make_cast, report_in, signed_in
from workflow.models import ReportAction, ReportStatus
from workflow.services import feedback
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def summary_links(html: str) -> list[str]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    return re.findall(r'href="#([^"]+)"', summary)


def assert_one_error_summary(response, *, message: str):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert html.count('class="govuk-error-summary"') == 1, "one error summary"
    assert title(html).startswith("Error: "), title(html)
    assert not title(html).startswith("Error: Error: ")
    assert message in unescape(html)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert message in unescape(summary), "the error is listed in the summary"
    # The summary comes before the page's heading, and each of its links goes to an input on the page.
    assert html.index('class="govuk-error-summary"') < html.index("<h1")
    for target in summary_links(html):
        assert re.search(rf'<(input|textarea|select)[^>]*\bid="{re.escape(target)}"', html), target


def assert_no_error(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" not in html
    assert not title(html).startswith("Error")


@pytest.fixture
def cast():
    return make_cast()


# Each form page: who opens it, its address, what is posted, and the message that must be in the summary.


def _sign_in(cast):
    return Client(), "/sign-in/", {"username": cast.lead.username, "password": "not-the-password"}, "username"


def _sign_in_link(cast):
    return Client(), "/sign-in/link/", {"email": "not an address"}, "Enter an email address in the correct format"


def _booking(cast):
    return signed_in(cast.product_manager), "/bookings/new/", {}, "Select the kind of assessment"


def _challenge(cast):
    report = report_in(ReportStatus.SHARED, cast)
    return (
        signed_in(cast.product_manager),
        f"/team/reports/{report.pk}/challenge/",
        {"reasons": "  ", "from_status": report.status},
        "Enter your reasons for challenging the report",
    )


def _return(cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    return (
        signed_in(cast.assessment_team),
        f"/assessment-team/reports/{report.pk}/return/",
        {"comment": "", "from_status": report.status},
        "Enter a comment for the panel saying what needs to change",
    )


def _resolve(cast):
    report = report_in(ReportStatus.CHALLENGED, cast)
    return (
        signed_in(cast.plus),
        f"/plus/reports/{report.pk}/",
        {"outcome": "", "agreed_changes": "", "from_status": report.status},
        "Enter what the panel and the team decided",
    )


def _service_details(cast):
    report = report_create(assessment=cast.assessment)
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/about/",
        {"version": report.version, "service_description": "", "service_users": "People."},
        "Enter a description of the service",
    )


def _point(cast):
    report = report_create(assessment=cast.assessment)
    rating = report.ratings.get(number=1)
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/points/1/",
        {"version": rating.version, "rating": "purple", "done_well": "", "to_improve": ""},
        "Select green, amber or red",
    )


def _action_add(cast):
    report = report_create(assessment=cast.assessment)
    report.ratings.filter(number=1).update(rating="amber")
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/points/1/actions/add/",
        {"description": "", "due_date": ""},
        "Enter what the team needs to do",
    )


def _action_edit(cast):
    report = report_create(assessment=cast.assessment)
    rating = report.ratings.get(number=1)
    rating.rating = "amber"
    rating.save()
    action = ReportAction.objects.create(rating=rating, description="Test with users.")
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/actions/{action.pk}/edit/",
        {"version": action.version, "description": "", "due_date": ""},
        "Enter what the team needs to do",
    )


def _action_remove(cast):
    report = report_create(assessment=cast.assessment)
    rating = report.ratings.get(number=1)
    rating.rating = "amber"
    rating.save()
    action = ReportAction.objects.create(rating=rating, description="Test with users.")
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/actions/{action.pk}/remove/",
        {"version": "not a number"},
        "This page is out of date",
    )


def _overall(cast):
    report = report_create(assessment=cast.assessment)
    return (
        signed_in(cast.lead),
        f"/assessor/reports/{report.pk}/overall/",
        {"version": report.version, "overall_rating": "purple", "reason": ""},
        "Select the overall rating",
    )


def _feedback(cast):
    page = feedback.survey_page()
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    return Client(), page.url, {"token": invitation.token}, "Select an answer to “How was the assessment organised?”"


FORM_PAGES = {
    "sign in": _sign_in,
    "sign-in link": _sign_in_link,
    "ask for an assessment": _booking,
    "challenge a report": _challenge,
    "return a report to the panel": _return,
    "record agreed changes": _resolve,
    "service details": _service_details,
    "a point": _point,
    "add an action": _action_add,
    "change an action": _action_edit,
    "remove an action": _action_remove,
    "overall rating": _overall,
    "feedback survey": _feedback,
}


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_form_page_sent_something_wrong_has_one_error_summary_and_error_in_its_title(cast, name):
    client, url, data, message = FORM_PAGES[name](cast)

    response = client.post(url, data)

    assert_one_error_summary(response, message=message)


@pytest.mark.parametrize("name", [name for name in FORM_PAGES if name not in ("sign in", "feedback survey")])
def test_the_same_page_before_anything_is_sent_shows_no_error(cast, name):
    client, url, _, _ = FORM_PAGES[name](cast)
    assert_no_error(client.get(url))


def test_the_reports_filters_given_a_wrong_value_have_one_error_summary_and_error_in_the_title(client):
    response = client.get("/reports/", {"result": "purple"})
    assert_one_error_summary(response, message="Select a result from the list")
    assert_no_error(client.get("/reports/"))


# The one rule, whatever the page calls its form.


class _Form(forms.Form):
    name = forms.CharField(error_messages={"required": "Enter your name"})


PAGE = '{% extends "base.html" %}{% block title %}A page{% endblock %}'


def _render(context: dict) -> str:
    request = RequestFactory().get("/")
    return Template(PAGE).render(RequestContext(request, context))


@pytest.mark.parametrize("name", ["form", "filter_form", "anything"])
def test_a_form_with_errors_under_any_name_puts_error_in_the_title(name):
    assert title(_render({name: _Form({})})).startswith("Error: A page")


def test_a_page_whose_errors_are_not_a_forms_says_so_with_page_errors():
    assert title(_render({"page_errors": True})).startswith("Error: A page")


@pytest.mark.parametrize("context", [{}, {"form": _Form()}, {"form": _Form({"name": "Kim"})}])
def test_a_page_without_errors_has_no_error_in_its_title(context):
    assert title(_render(context)) == "A page – Service assessment reports – GOV.UK"


def test_a_page_rendered_without_a_request_still_works():
    # 500.html renders with a plain Context: the rule must not need a request.
    assert title(Template(PAGE).render(Context({"form": _Form({})}))).startswith("Error: ")


def test_recording_agreed_changes_on_a_report_no_longer_challenged_says_why_rather_than_an_orphaned_summary(cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    client = signed_in(cast.plus)

    response = client.post(f"/plus/reports/{report.pk}/", {"agreed_changes": "", "from_status": "challenged"})

    assert response.status_code == 302 and response["Location"] == f"/plus/reports/{report.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "govuk-error-summary" not in page
    assert "Someone else changed this report's status while you were looking at it (it is now submitted" in unescape(
        page
    )
    assert report.status_changes.count() == 1  # submitted, and nothing since
