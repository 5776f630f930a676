"""The panel's editing services, called directly: who may edit, and edits made on stale copies."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cast import make_cast, rate, report_in
from workflow import questions
from workflow.models import PointRating, Rating, ReportAction, ReportPage, ReportStatus
from workflow.services import editing
from workflow.services.editing import StaleEdit
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def draft(cast):
    return report_create(assessment=cast.assessment)


def first_point(report) -> PointRating:
    return report.ratings.order_by("number").first()


def save_point(rating, user, *, version=None, value=Rating.AMBER, done_well="Did well.", to_improve="Improve."):
    return editing.rating_update(
        rating=rating,
        user=user,
        version=rating.version if version is None else version,
        rating_value=value,
        answers=questions.by_column(rating.report, questions.POINT, done_well=done_well, to_improve=to_improve),
    )


def details(report, description: str, users: str) -> dict:
    return questions.by_column(report, questions.REPORT, service_description=description, service_users=users)


# Point ratings


def test_a_panel_member_rates_a_point_and_history_says_who(cast, draft):
    rating = first_point(draft)
    saved = save_point(rating, cast.researcher)
    rating.refresh_from_db()
    assert (rating.rating, rating.done_well, rating.to_improve, rating.version) == (
        Rating.AMBER,
        "Did well.",
        "Improve.",
        1,
    )
    assert saved.version == 1
    assert rating.history.first().history_user == cast.researcher


def test_an_edit_on_a_stale_copy_is_refused_and_the_other_edit_is_kept(cast, draft):
    lead_copy = first_point(draft)
    researcher_copy = PointRating.objects.get(pk=lead_copy.pk)
    save_point(lead_copy, cast.lead, value=Rating.GREEN, done_well="The lead's words.")

    with pytest.raises(StaleEdit) as refused:
        save_point(researcher_copy, cast.researcher, done_well="The researcher's words.")

    assert refused.value.current.done_well == "The lead's words."
    assert refused.value.current.version == 1
    lead_copy.refresh_from_db()
    assert lead_copy.done_well == "The lead's words."
    # With the version it was shown, the second person's edit goes through.
    save_point(researcher_copy, cast.researcher, version=refused.value.current.version, done_well="Merged.")
    lead_copy.refresh_from_db()
    assert (lead_copy.done_well, lead_copy.version) == ("Merged.", 2)


@pytest.mark.parametrize(
    "who", ["observer", "assessor_not_on_panel", "assessment_team", "product_manager", "superuser"]
)
def test_only_panel_members_other_than_observers_rate_points(cast, draft, who):
    rating = first_point(draft)
    with pytest.raises(PermissionDenied):
        save_point(rating, getattr(cast, who))
    rating.refresh_from_db()
    assert (rating.rating, rating.version) == ("", 0)


def test_nobody_edits_a_submitted_report(cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    rating = first_point(report)
    with pytest.raises(PermissionDenied):
        save_point(rating, cast.lead)


def test_the_panel_edits_a_challenged_report(cast):
    report = report_in(ReportStatus.CHALLENGED, cast)
    saved = save_point(first_point(report), cast.researcher, value=Rating.GREEN, done_well="Agreed change.")
    assert saved.done_well == "Agreed change."


def test_a_rating_that_is_not_green_amber_or_red_is_refused(cast, draft):
    with pytest.raises(ValidationError):
        save_point(first_point(draft), cast.lead, value="purple")


# Actions


def test_actions_are_added_to_amber_and_red_points_only(cast, draft):
    green, amber, unrated = draft.ratings.order_by("number")[:3]
    save_point(green, cast.lead, value=Rating.GREEN)
    save_point(amber, cast.lead, value=Rating.AMBER)

    for point in (green, unrated):
        with pytest.raises(ValidationError, match="Only amber and red points have actions"):
            editing.action_create(rating=point, user=cast.lead, description="Do something.")
    action = editing.action_create(
        rating=amber, user=cast.researcher, description="Test with users.", due_date=datetime.date(2027, 1, 31)
    )

    assert list(ReportAction.objects.values_list("rating__number", "description")) == [(2, "Test with users.")]
    assert action.history.first().history_user == cast.researcher


def test_an_action_needs_a_description(cast, draft):
    rating = first_point(draft)
    save_point(rating, cast.lead, value=Rating.RED)
    with pytest.raises(ValidationError):
        editing.action_create(rating=rating, user=cast.lead, description="   ")


def test_an_action_is_added_to_a_point_turned_green_since_the_page_was_loaded(cast, draft):
    rating = first_point(draft)
    save_point(rating, cast.lead, value=Rating.AMBER)
    page_copy = PointRating.objects.get(pk=rating.pk)
    save_point(page_copy, cast.researcher, value=Rating.GREEN)
    with pytest.raises(ValidationError):
        editing.action_create(rating=page_copy, user=cast.lead, description="Too late.")
    assert not ReportAction.objects.exists()


def test_actions_are_edited_and_removed_with_version_checks(cast, draft):
    rating = first_point(draft)
    save_point(rating, cast.lead, value=Rating.RED)
    action = editing.action_create(rating=rating, user=cast.lead, description="First words.")
    stale = ReportAction.objects.get(pk=action.pk)

    editing.action_update(action=action, user=cast.researcher, version=0, description="Second words.", due_date=None)
    with pytest.raises(StaleEdit) as refused:
        editing.action_update(action=stale, user=cast.lead, version=0, description="Lost?", due_date=None)
    assert refused.value.current.description == "Second words."
    with pytest.raises(StaleEdit):
        editing.action_delete(action=stale, user=cast.lead, version=0)
    assert ReportAction.objects.get(pk=action.pk).description == "Second words."

    editing.action_delete(action=stale, user=cast.lead, version=1)
    assert not ReportAction.objects.filter(pk=action.pk).exists()
    assert ReportAction.history.filter(id=action.pk, history_type="-").get().history_user == cast.lead


def test_editing_an_action_someone_removed_is_a_stale_edit_with_nothing_current(cast, draft):
    rating = first_point(draft)
    save_point(rating, cast.lead, value=Rating.RED)
    action = editing.action_create(rating=rating, user=cast.lead, description="Words.")
    copy = ReportAction.objects.get(pk=action.pk)
    editing.action_delete(action=action, user=cast.lead, version=0)
    with pytest.raises(StaleEdit) as refused:
        editing.action_update(action=copy, user=cast.researcher, version=0, description="Mine.", due_date=None)
    assert refused.value.current is None


def test_observers_cannot_touch_actions(cast, draft):
    rating = first_point(draft)
    save_point(rating, cast.lead, value=Rating.RED)
    action = editing.action_create(rating=rating, user=cast.lead, description="Words.")
    with pytest.raises(PermissionDenied):
        editing.action_create(rating=rating, user=cast.observer, description="More.")
    with pytest.raises(PermissionDenied):
        editing.action_update(action=action, user=cast.observer, version=0, description="Mine.", due_date=None)
    with pytest.raises(PermissionDenied):
        editing.action_delete(action=action, user=cast.observer, version=0)
    assert ReportAction.objects.get().description == "Words."


# The report's own fields


def test_the_service_details_are_updated_with_a_version_check(cast, draft):
    stale = ReportPage.objects.get(pk=draft.pk)
    editing.report_details_update(
        report=draft, user=cast.researcher, version=0, answers=details(draft, "New description.", "Users.")
    )
    with pytest.raises(StaleEdit) as refused:
        editing.report_details_update(
            report=stale, user=cast.lead, version=0, answers=details(stale, "Other.", "Other.")
        )
    assert refused.value.current.service_description == "New description."
    draft.refresh_from_db()
    assert (draft.service_description, draft.service_users, draft.version, draft.status) == (
        "New description.",
        "Users.",
        1,
        ReportStatus.DRAFT,
    )
    assert draft.history.first().history_user == cast.researcher


def test_only_the_lead_gives_the_overall_rating(cast, draft):
    with pytest.raises(PermissionDenied):
        editing.report_overall_update(
            report=draft, user=cast.researcher, version=0, overall_rating=Rating.GREEN, reason=""
        )
    editing.report_overall_update(report=draft, user=cast.lead, version=0, overall_rating=Rating.GREEN, reason="")
    draft.refresh_from_db()
    assert (draft.overall_rating, draft.version) == (Rating.GREEN, 1)


def test_an_overall_rating_that_differs_from_the_suggestion_needs_a_reason(cast, draft):
    report = rate(draft, "gggggagggggggg")
    with pytest.raises(ValidationError) as refused:
        editing.report_overall_update(report=report, user=cast.lead, version=0, overall_rating=Rating.GREEN, reason=" ")
    assert "the point ratings suggest amber" in str(refused.value)
    editing.report_overall_update(
        report=report, user=cast.lead, version=0, overall_rating=Rating.GREEN, reason="Point 6 is nearly there."
    )
    report.refresh_from_db()
    assert (report.overall_rating, report.overall_rating_reason) == (Rating.GREEN, "Point 6 is nearly there.")


def test_the_overall_rating_on_a_stale_copy_is_refused(cast, draft):
    editing.report_details_update(report=draft, user=cast.researcher, version=0, answers=details(draft, "D.", "U."))
    with pytest.raises(StaleEdit):
        editing.report_overall_update(report=draft, user=cast.lead, version=0, overall_rating=Rating.GREEN, reason="")
    draft.refresh_from_db()
    assert draft.overall_rating == ""


def test_the_overall_rating_is_green_amber_or_red(cast, draft):
    with pytest.raises(ValidationError):
        editing.report_overall_update(report=draft, user=cast.lead, version=0, overall_rating="", reason="")
