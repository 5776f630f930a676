"""Follow-up reports: an amber evidence review re-rates the amber points, a reassessment the red ones. Its panel reads
the earlier report's actions and the team's evidence beside each point, and accepting its report closes the actions
of the points it rated well enough, as resolved by it. Through HTTP where a person acts."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import AssessmentType
from tests.cast import make_cast, report_in, signed_in
from workflow.models import Rating, ReportAction, ReportActionStatus, ReportPage, ReportStatus

pytestmark = pytest.mark.django_db

# Point 3 red, points 6 and 9 amber, point 11 red.
FIRST = "ggrggaggagrggg"
HOSTILE = '<script>alert("x")</script> & see https://example.com/evidence?a=1'


@pytest.fixture
def first():
    """The alpha assessment, accepted and published, with the team's evidence on every action."""
    cast = make_cast(date=datetime.date(2026, 3, 1))
    report = report_in(ReportStatus.PUBLISHED, cast, FIRST)
    six = report.ratings.get(number=6)
    ReportAction.objects.create(rating=six, description="Test the form with screen reader users.")
    for action in ReportAction.objects.filter(rating__report=report):
        action.evidence = f"Done for point {action.rating.number}: {HOSTILE}"
        action.save()
    return cast, report


def follow_up(first_cast, slug: str, *, follows=None, date=datetime.date(2026, 6, 1), **fields):
    return make_cast(
        service=first_cast.assessment.service,
        type=AssessmentType.objects.get(slug=slug),
        follows=follows or first_cast.assessment,
        date=date,
        **fields,
    )


def actions_on(report, number: int) -> list[ReportAction]:
    return list(ReportAction.objects.filter(rating__report=report, rating__number=number).order_by("pk"))


def accept(cast, report) -> ReportPage:
    response = signed_in(cast.product_manager).post(f"/team/reports/{report.pk}/accept/", {"from_status": "shared"})
    assert response.status_code == 302
    return ReportPage.objects.get(pk=report.pk)


def still_open(actions):
    return all(
        a.status == ReportActionStatus.OPEN and a.closed_at is None and a.closed_by_report_id is None
        for a in (ReportAction.objects.get(pk=a.pk) for a in actions)
    )


# --- closing on acceptance --------------------------------------------------------------------------------


def test_an_amber_evidence_review_closes_the_amber_actions_of_the_points_it_rates_green_only(first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    # Its points are 6 and 9: point 6 green, point 9 still amber.
    review = report_in(ReportStatus.SHARED, review_cast, "ga")
    assert list(review.ratings.values_list("number", flat=True)) == [6, 9]
    assert still_open(actions_on(earlier, 6) + actions_on(earlier, 9)), "nothing closes before acceptance"

    review = accept(review_cast, review)

    assert review.status == ReportStatus.PUBLISHED
    six = actions_on(earlier, 6)
    assert len(six) == 2
    for action in six:
        assert action.status == ReportActionStatus.DONE
        assert action.closed_by_report_id == review.pk
        assert action.closed_by == review_cast.product_manager
        assert action.closed_at == review.accepted_at or abs(action.closed_at - review.accepted_at).total_seconds() < 5
    assert still_open(actions_on(earlier, 9) + actions_on(earlier, 3) + actions_on(earlier, 11))
    # The review's own action on point 9, still amber, is open too.
    assert still_open(actions_on(review, 9))


@pytest.mark.parametrize("rated", ["g", "a"])
def test_a_reassessment_closes_the_red_actions_of_a_point_it_rates_green_or_amber_not_of_one_still_red(first, rated):
    first_cast, earlier = first
    reassessment_cast = follow_up(first_cast, "reassessment")
    # Its points are 3 and 11: point 3 green or amber, point 11 still red.
    reassessment = report_in(ReportStatus.SHARED, reassessment_cast, rated + "r")
    assert list(reassessment.ratings.values_list("number", flat=True)) == [3, 11]
    assert still_open(actions_on(earlier, 3))

    reassessment = accept(reassessment_cast, reassessment)

    [three] = actions_on(earlier, 3)
    assert (three.status, three.closed_by_report_id, three.closed_by) == (
        ReportActionStatus.DONE,
        reassessment.pk,
        reassessment_cast.product_manager,
    )
    # Still red keeps its actions; the amber points are no reassessment's to close.
    assert still_open(actions_on(earlier, 11) + actions_on(earlier, 6) + actions_on(earlier, 9))


def test_closing_is_in_each_actions_history_as_the_person_who_accepted(first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    accept(review_cast, report_in(ReportStatus.SHARED, review_cast, "ga"))

    for action in actions_on(earlier, 6):
        latest = action.history.first()
        assert latest.status == ReportActionStatus.DONE
        assert latest.closed_by_report_id == action.closed_by_report_id
        assert latest.history_user == review_cast.product_manager
        assert latest.history_change_reason == "Resolved by the alpha amber evidence review report."
        assert action.history.count() >= 2


def test_a_confidential_follow_up_closes_them_at_acceptance_though_never_published(first):
    first_cast, earlier = first
    reassessment_cast = follow_up(first_cast, "reassessment", confidential=True)
    reassessment = accept(reassessment_cast, report_in(ReportStatus.SHARED, reassessment_cast, "gr"))

    assert reassessment.status == ReportStatus.ACCEPTED and not reassessment.live
    [three] = actions_on(earlier, 3)
    assert three.status == ReportActionStatus.DONE and three.closed_by_report_id == reassessment.pk


def test_nothing_closes_while_the_follow_up_is_drafted_checked_shared_or_challenged(first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    report_in(ReportStatus.CHALLENGED, review_cast, "gg")
    assert still_open(ReportAction.objects.filter(rating__report=earlier))


def test_a_second_reassessment_resolves_the_red_actions_of_every_report_before_it(first):
    first_cast, earlier = first
    once_cast = follow_up(first_cast, "reassessment")
    once = report_in(ReportStatus.PUBLISHED, once_cast, "rr")  # both still red, with new red actions
    assert still_open(actions_on(earlier, 3) + actions_on(once, 3))

    twice_cast = follow_up(first_cast, "reassessment", follows=once_cast.assessment, date=datetime.date(2026, 9, 1))
    twice = accept(twice_cast, report_in(ReportStatus.SHARED, twice_cast, "gr"))

    for action in actions_on(earlier, 3) + actions_on(once, 3):
        action.refresh_from_db()
        assert action.closed_by_report_id == twice.pk
    assert still_open(actions_on(earlier, 11) + actions_on(once, 11))


def test_an_action_already_closed_keeps_how_it_was_closed(first):
    first_cast, earlier = first
    [three] = actions_on(earlier, 3)
    closed_on = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    ReportAction.objects.filter(pk=three.pk).update(
        status=ReportActionStatus.DONE, closed_at=closed_on, closed_by=first_cast.lead
    )
    reassessment_cast = follow_up(first_cast, "reassessment")
    accept(reassessment_cast, report_in(ReportStatus.SHARED, reassessment_cast, "gr"))

    three.refresh_from_db()
    assert (three.closed_at, three.closed_by, three.closed_by_report_id) == (closed_on, first_cast.lead, None)


# --- what the panel reads ----------------------------------------------------------------------------------


def test_the_panels_point_page_shows_the_earlier_actions_and_the_teams_evidence_escaped(first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    review = report_in(ReportStatus.DRAFT, review_cast, "")
    [due_action] = actions_on(earlier, 6)[:1]

    html = signed_in(review_cast.lead).get(f"/assessor/reports/{review.pk}/points/6/").content.decode()

    assert "Amber actions from the alpha assessment report" in html
    assert "Fix point 6." in html and "Test the form with screen reader users." in html
    assert due_action.due_date and re.search(rf"Due</dt>\s*<dd[^>]*>{due_action.due_date:%-d %B %Y}</dd>", html)
    assert "Done for point 6: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; see" in html
    assert '<script>alert("x")' not in html
    assert 'href="https://example.com/evidence?a=1"' in html
    assert "Rating the point green closes its open amber actions" in html
    # Only this point's: point 9's are on its own page.
    assert "Fix point 9." not in html and "Fix point 3." not in html


def test_the_panels_report_overview_lists_the_earlier_actions_of_every_point_in_scope(first):
    first_cast, earlier = first
    reassessment_cast = follow_up(first_cast, "reassessment")
    reassessment = report_in(ReportStatus.DRAFT, reassessment_cast, "")

    html = signed_in(reassessment_cast.lead).get(f"/assessor/reports/{reassessment.pk}/").content.decode()

    assert "Red actions from the alpha assessment report" in html
    assert 'id="earlier-actions-point-3"' in html and 'id="earlier-actions-point-11"' in html
    assert "Fix point 3." in html and "Fix point 11." in html and "Fix point 6." not in html
    assert "Done for point 11: &lt;script&gt;" in html
    assert "Rating a point green or amber closes its open red actions" in html


def test_a_first_assessments_pages_have_no_earlier_actions(first):
    first_cast, earlier = first
    cast = make_cast(service=first_cast.assessment.service, phase="beta", date=datetime.date(2026, 6, 1))
    report = report_in(ReportStatus.DRAFT, cast, "")
    client = signed_in(cast.lead)
    assert 'id="earlier-actions"' not in client.get(f"/assessor/reports/{report.pk}/").content.decode()
    assert 'id="earlier-actions"' not in client.get(f"/assessor/reports/{report.pk}/points/6/").content.decode()


def test_the_earlier_actions_take_one_query_however_many_points_and_actions(first, django_assert_max_num_queries):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "reassessment")
    review = report_in(ReportStatus.DRAFT, review_cast, "")
    client = signed_in(review_cast.lead)
    overview, point = f"/assessor/reports/{review.pk}/", f"/assessor/reports/{review.pk}/points/3/"

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count(overview), count(point)
    for number in (3, 11):
        rating = earlier.ratings.get(number=number)
        for n in range(4):
            ReportAction.objects.create(rating=rating, description=f"More on {number}, {n}.", evidence="Shown.")

    with django_assert_max_num_queries(before[0]):
        assert client.get(overview).content.decode().count("app-earlier-action") == 10
    with django_assert_max_num_queries(before[1]):
        assert client.get(point).content.decode().count("app-earlier-action") == 5


# --- what the delivery team and the public read --------------------------------------------------------------


def test_the_teams_earlier_report_says_which_report_closed_an_action_and_links_to_it(first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    review = accept(review_cast, report_in(ReportStatus.SHARED, review_cast, "ga"))
    closed = actions_on(earlier, 6)[0]
    closed.refresh_from_db()

    html = signed_in(first_cast.product_manager).get(f"/team/reports/{earlier.pk}/").content.decode()

    line = re.search(rf'id="action-{closed.pk}-closed">(.*?)</span>', html, re.S).group(1)
    assert f"Closed on {closed.closed_at:%-d %B %Y} by the" in line
    assert f'<a class="govuk-link" href="/team/reports/{review.pk}/">alpha amber evidence review report</a>' in line
    [nine] = actions_on(earlier, 9)
    assert f'id="action-{nine.pk}-closed"' not in html


def test_the_teams_report_page_takes_no_query_per_closed_action(first, django_assert_max_num_queries):
    first_cast, earlier = first
    client = signed_in(first_cast.product_manager)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/team/reports/{earlier.pk}/")
    before = len(queries)  # now: the log it reads from is a bounded deque
    reassessment_cast = follow_up(first_cast, "reassessment")
    accept(reassessment_cast, report_in(ReportStatus.SHARED, reassessment_cast, "gg"))
    with django_assert_max_num_queries(before):
        assert client.get(f"/team/reports/{earlier.pk}/").content.decode().count("app-action-closed") == 2


def test_a_published_follow_up_is_a_short_report_of_its_points_at_that_stage(client, first):
    first_cast, earlier = first
    review_cast = follow_up(first_cast, "amber-evidence-review")
    review = accept(review_cast, report_in(ReportStatus.SHARED, review_cast, "ga"))
    cache.clear()

    html = client.get(review.url).content.decode()

    assert "Alpha amber evidence review</dd>" in html
    assert "The report for the" in html and "alpha amber evidence review on 1 June 2026." in html
    assert re.findall(r'<a class="govuk-link" href="#point-(\d+)">', html) == ["6", "9"]
    assert re.findall(r'<h2 class="govuk-heading-l" id="point-(\d+)">', html) == ["6", "9"]
    assert Rating.GREEN in html and "Not rated" not in html
