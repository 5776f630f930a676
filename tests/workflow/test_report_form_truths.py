"""The assessors' report form says what is true and loses nothing: saving an action someone else removed keeps the
words; the overview marks the points still short of an action, and "Save and continue" says so; links are GOV.UK
links, the guidance on writing a report among them; the due date is the GOV.UK date input. Through HTTP."""

import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Page

from cms.models import GuidancePage, HomePage
from tests.cast import make_cast, rate, signed_in
from workflow.forms.base import NULL_CHARACTERS_MESSAGE
from workflow.models import PointRating, Rating, ReportAction, ReportPage, ReportStatus
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

ERROR_SUMMARY = re.compile(r'<div class="govuk-error-summary".*?<ul[^>]*>(.*?)</ul>', re.S)
BANNER = re.compile(r'<p class="govuk-notification-banner__heading">(.*?)</p>', re.S)
GUIDANCE_SLUG = "writing-an-assessment-report"
GUIDANCE_WORDS = "Read the guidance on writing an assessment report"


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def draft(cast):
    return report_create(assessment=cast.assessment)


def url(name, *args):
    return reverse(f"assessor:{name}", args=args)


def words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def error_summary(html: str) -> list[str]:
    match = ERROR_SUMMARY.search(html)
    return [words(item) for item in re.findall(r"<li>(.*?)</li>", match[1], re.S)] if match else []


def textarea(html: str, name: str) -> str:
    return unescape(re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)[1])


def banners(html: str) -> list[str]:
    return [words(found) for found in BANNER.findall(html)]


def rate_point(client, report, number, rating, *, then="overview", follow=False):
    current = PointRating.objects.get(report=report, number=number)
    return client.post(
        url("point", report.pk, number),
        {"version": current.version, "rating": rating, "done_well": "", "to_improve": "", "then": then},
        follow=follow,
    )


def amber_point_with_action(report, user, number=1, description="Test with 5 users."):
    client = signed_in(user)
    rate_point(client, report, number, Rating.AMBER)
    client.post(url("action_add", report.pk, number), {"description": description})
    return ReportAction.objects.get(rating__report=report, rating__number=number, description=description)


# An action someone else removed


def test_saving_an_action_someone_else_removed_keeps_the_text_and_explains(cast, draft):
    action = amber_point_with_action(draft, cast.lead)
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)
    form = lead.get(url("action_edit", draft.pk, action.pk)).text
    version = re.search(r'name="version" value="(\d+)"', form)[1]

    researcher.post(url("action_remove", draft.pk, action.pk), {"version": action.version})
    assert not ReportAction.objects.filter(pk=action.pk).exists()

    typed = {
        "version": version,
        "description": "Test with 8 users, including screen reader users.",
        "due_date_day": "31",
        "due_date_month": "1",
        "due_date_year": "2027",
    }
    response = lead.post(url("action_edit", draft.pk, action.pk), typed)
    assert response.status_code == 200
    html = response.text
    assert error_summary(html) == [
        "Someone else removed this action while you were editing it. Your text is still in the form: save it to add "
        "it as a new action if the team still needs to do it."
    ]
    assert textarea(html, "description") == typed["description"]
    for part, value in (("day", "31"), ("month", "1"), ("year", "2027")):
        assert re.search(rf'name="due_date_{part}" value="{value}"', html)
    # The form now adds what was typed as a new action, on the point the removed one was on.
    assert f'<form method="post" action="{url("action_add", draft.pk, 1)}" novalidate>' in html
    assert "Add as a new action" in html
    assert not ReportAction.objects.filter(rating__report=draft).exists()  # nothing made behind their back

    added = lead.post(url("action_add", draft.pk, 1), typed)
    assert added.status_code == 302
    new = ReportAction.objects.get(rating__report=draft)
    assert (new.description, str(new.due_date), new.rating.number) == (typed["description"], "2027-01-31", 1)


def test_opening_or_removing_an_action_someone_else_removed_says_so(cast, draft):
    action = amber_point_with_action(draft, cast.lead, number=4)
    ReportAction.objects.get(pk=action.pk).delete()
    client = signed_in(cast.researcher)
    point_actions = url("point", draft.pk, 4) + "#actions"

    opened = client.get(url("action_edit", draft.pk, action.pk))
    assert (opened.status_code, opened.url) == (302, point_actions)
    assert banners(client.get(point_actions).text) == ["Someone else has removed this action."]

    removed = client.post(url("action_remove", draft.pk, action.pk), {"version": 0})
    assert (removed.status_code, removed.url) == (302, point_actions)
    assert banners(client.get(point_actions).text) == ["Someone else has removed this action."]


def test_a_removed_action_of_another_report_is_still_not_found(cast, draft):
    other_cast = make_cast()
    other = report_create(assessment=other_cast.assessment)
    foreign = amber_point_with_action(other, other_cast.lead)
    ReportAction.objects.get(pk=foreign.pk).delete()
    client = signed_in(cast.lead)
    assert client.get(url("action_edit", draft.pk, foreign.pk)).status_code == 404
    assert client.post(url("action_edit", draft.pk, foreign.pk), {"version": 0, "description": "x"}).status_code == 404
    assert client.post(url("action_remove", draft.pk, foreign.pk), {"version": 0}).status_code == 404


def test_a_removed_action_once_the_report_is_submitted_says_why_nothing_can_be_saved(cast):
    report = rate(report_create(assessment=cast.assessment), "gggggagggggggg")
    action = ReportAction.objects.get(rating__report=report)
    lead = signed_in(cast.lead)
    version = re.search(r'name="version" value="(\d+)"', lead.get(url("action_edit", report.pk, action.pk)).text)[1]
    ReportAction.objects.get(pk=action.pk).delete()
    ReportAction.objects.create(rating=report.ratings.get(number=6), description="Replacement.")
    lead.post(url("submit", report.pk))
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    response = lead.post(url("action_edit", report.pk, action.pk), {"version": version, "description": "Mine."})
    assert response.status_code == 200
    assert error_summary(response.text) == [
        "The report has been submitted to the service assessment team, so the panel can no longer change it. If "
        "something needs to change, ask the service assessment team to return it to the panel."
    ]
    assert textarea(response.text, "description") == "Mine."
    assert "Add as a new action" not in response.text


# Points still short of something


def test_the_overview_marks_each_amber_or_red_point_without_an_action(cast, draft):
    report = rate(draft, "gggaggrgggagrg")  # one action on each amber and red point
    ReportAction.objects.filter(rating__report=report, rating__number__in=[4, 13]).delete()
    ReportAction.objects.create(rating=report.ratings.get(number=1), description="Left from when it was amber.")
    html = signed_in(cast.researcher).get(url("report", report.pk)).text

    marked = {
        int(number)
        for number, hint in re.findall(r'id="point-(\d+)-hint" class="govuk-task-list__hint">(.*?)</div>', html, re.S)
        if "data-needs-action" in hint
    }
    short_of_an_action = {
        rating.number
        for rating in PointRating.objects.filter(report=report, rating__in=Rating.needing_actions())
        if not rating.actions.exists()
    }
    green_with_actions = set(
        PointRating.objects.filter(report=report, rating=Rating.GREEN, actions__isnull=False).values_list(
            "number", flat=True
        )
    )
    assert short_of_an_action == {4, 13} and green_with_actions == {1}
    assert marked == short_of_an_action | green_with_actions
    hints = dict(re.findall(r'id="point-(\d+)-hint" class="govuk-task-list__hint">(.*?)</div>', html, re.S))
    assert words(hints["4"]) == "No actions yet: amber points need at least one"
    assert words(hints["13"]) == "No actions yet: red points need at least one"
    assert words(hints["1"]) == "1 action to remove: green points have none"
    assert words(hints["7"]) == "1 action"
    assert words(hints["2"]) == "No actions"


def test_save_and_continue_past_an_amber_point_without_an_action_says_what_is_needed(cast, draft):
    client = signed_in(cast.researcher)
    response = rate_point(client, draft, 3, Rating.AMBER, then="next", follow=True)
    assert response.redirect_chain[-1][0] == url("point", draft.pk, 4)
    assert banners(response.text) == [
        "Point 3 has been saved. Point 3 is rated amber, so it still needs at least one action for the team before "
        "the report can be submitted."
    ]
    assert PointRating.objects.get(report=draft, number=3).rating == Rating.AMBER


def test_save_and_return_past_a_red_point_without_an_action_says_what_is_needed(cast, draft):
    response = rate_point(signed_in(cast.lead), draft, 14, Rating.RED, then="next", follow=True)
    assert response.redirect_chain[-1][0].startswith(url("report", draft.pk))
    assert banners(response.text) == [
        "Point 14 has been saved. Point 14 is rated red, so it still needs at least one action for the team before "
        "the report can be submitted."
    ]


def test_save_and_continue_past_a_green_point_that_still_has_actions_says_so(cast, draft):
    amber_point_with_action(draft, cast.lead, number=2)
    response = rate_point(signed_in(cast.lead), draft, 2, Rating.GREEN, then="next", follow=True)
    assert banners(response.text) == [
        "Point 2 has been saved. Point 2 is rated green, which takes no actions: remove its action before the report "
        "can be submitted, or rate it amber or red."
    ]


def test_save_and_continue_past_a_complete_point_says_nothing(cast, draft):
    amber_point_with_action(draft, cast.lead, number=5)
    client = signed_in(cast.lead)
    moved_on = rate_point(client, draft, 5, Rating.AMBER, then="next", follow=True)
    assert moved_on.redirect_chain[-1][0] == url("point", draft.pk, 6)
    assert banners(moved_on.text) == []
    green = rate_point(client, draft, 6, Rating.GREEN, then="overview", follow=True)
    assert banners(green.text) == ["Point 6 has been saved."]


# Links


def test_every_link_in_the_point_pages_guidance_is_a_govuk_link(cast, draft):
    rating = PointRating.objects.select_related("point").get(report=draft, number=1)
    assert "<a " in rating.point.assessor_guidance  # the seeded guidance links to the Service Manual
    html = signed_in(cast.lead).get(url("point", draft.pk, 1)).text
    aside = re.search(r"<aside[^>]*>(.*?)</aside>", html, re.S)[1]
    links = re.findall(r"<a\b[^>]*>", aside)
    assert len(links) >= 2  # the guidance's own link and the Service Manual link
    assert all('class="govuk-link"' in link for link in links), links


def writing_guidance() -> GuidancePage:
    """The live guidance page on writing a report at /guidance/writing-an-assessment-report/, made if the content
    migration has not made it."""
    existing = GuidancePage.objects.filter(slug=GUIDANCE_SLUG).first()
    if existing:
        if not existing.live:
            existing.save_revision().publish()
        return existing
    home = HomePage.objects.first()
    index = GuidancePage.objects.child_of(home).filter(slug="guidance").first()
    if index is None:
        index = home.add_child(instance=GuidancePage(title="Guidance", slug="guidance"))
    return index.add_child(instance=GuidancePage(title="Writing an assessment report", slug=GUIDANCE_SLUG))


def test_the_report_form_links_to_the_guidance_on_writing_a_report_while_it_is_live(cast, draft):
    guidance = writing_guidance()
    assert guidance.url == f"/guidance/{GUIDANCE_SLUG}/"
    rate_point(signed_in(cast.lead), draft, 1, Rating.AMBER)
    client = signed_in(cast.lead)
    link = f'<a class="govuk-link" href="/guidance/{GUIDANCE_SLUG}/">{GUIDANCE_WORDS}</a>'
    pages = [
        url("report", draft.pk),
        url("point", draft.pk, 1),
        url("action_add", draft.pk, 1),
        url("about", draft.pk),
        url("overall", draft.pk),
    ]
    for address in pages:
        assert link in client.get(address).text, address

    Page.objects.get(pk=guidance.pk).specific.unpublish()
    for address in pages:
        html = client.get(address).text
        assert GUIDANCE_WORDS not in html, address
        assert f"/guidance/{GUIDANCE_SLUG}/" not in html, address


# The due date


def test_the_due_date_is_the_govuk_date_input(cast, draft):
    rate_point(signed_in(cast.lead), draft, 1, Rating.AMBER)
    html = signed_in(cast.lead).get(url("action_add", draft.pk, 1)).text
    assert 'type="date"' not in html
    assert '<legend class="govuk-fieldset__legend">Due date (optional)</legend>' in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert re.search(rf'for="id_due_date_\d">{label}</label>', html)
        assert re.search(rf'class="govuk-input govuk-date-input__input[^"]*" type="text" name="due_date_{part}"', html)
    assert "For example, 31 1 2027." in html


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("31", "2", "2027", "Due date must be a real date"),
        ("31", "", "2027", "Due date must include a month"),
        ("1", "13", "2027", "Due date must be a real date"),
        ("1", "2", "27", "Year must include 4 numbers"),
        ("tomorrow", "2", "2027", "Due date must be a real date"),
        ("3\x00", "2", "2027", NULL_CHARACTERS_MESSAGE),
    ],
)
def test_a_due_date_that_is_not_a_real_date_is_a_govuk_error_and_loses_nothing(cast, draft, day, month, year, message):
    rate_point(signed_in(cast.lead), draft, 1, Rating.AMBER)
    response = signed_in(cast.lead).post(
        url("action_add", draft.pk, 1),
        {"description": "Test with users.", "due_date_day": day, "due_date_month": month, "due_date_year": year},
    )
    assert response.status_code == 200
    html = response.text
    assert f'<li><a href="#id_due_date_0">{message}</a></li>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert "govuk-form-group--error" in html and "govuk-input--error" in html
    assert textarea(html, "description") == "Test with users."
    assert re.search(rf'name="due_date_year" value="{year}"', html)
    assert re.search(rf'name="due_date_month"( value="{month}")?[ >]', html)
    assert "\x00" not in html
    assert not ReportAction.objects.filter(rating__report=draft).exists()


def test_a_real_due_date_is_saved_and_shown_back_in_the_boxes(cast, draft):
    rate_point(signed_in(cast.lead), draft, 1, Rating.AMBER)
    client = signed_in(cast.lead)
    added = client.post(
        url("action_add", draft.pk, 1),
        {"description": "Test with users.", "due_date_day": "27", "due_date_month": "3", "due_date_year": "2027"},
    )
    assert added.status_code == 302
    action = ReportAction.objects.get(rating__report=draft)
    assert str(action.due_date) == "2027-03-27"
    assert "Due 27 March 2027" in client.get(url("point", draft.pk, 1)).text

    edit = client.get(url("action_edit", draft.pk, action.pk)).text
    for part, value in (("day", "27"), ("month", "3"), ("year", "2027")):
        assert re.search(rf'name="due_date_{part}" value="{value}"', edit)

    cleared = client.post(
        url("action_edit", draft.pk, action.pk),
        {"version": action.version, "description": "Test with users.", "due_date_day": "", "due_date_month": ""},
    )
    assert cleared.status_code == 302
    action.refresh_from_db()
    assert action.due_date is None
