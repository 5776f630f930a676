"""Closing the actions a follow-up report resolves.

A reassessment looks again at the red points of the report it follows, an amber evidence review at the amber ones.
When the delivery team accepts the follow-up's report, its ratings stand, and every open action of the colour it
looked at, on a point it rated well enough, is closed as resolved by that report: for a reassessment a point rated
green or amber, for an amber evidence review a point rated green. A point still red (or still amber after an amber
evidence review) keeps its actions open.

It is the acceptance that counts, not the publishing: a confidential follow-up is accepted and never published, and
its ratings stand all the same (as `workflow.services.reports.points_in_scope` already reads them). A published one
is published in the same transaction as its acceptance, so for it the two are one moment."""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cms.models import PointsInScope
from workflow.models import Rating, ReportAction, ReportActionStatus, ReportPage

# The ratings, in a follow-up of each scope, that resolve the actions of the points it looks at again.
RESOLVING = {
    PointsInScope.RED: [Rating.GREEN, Rating.AMBER],
    PointsInScope.AMBER: [Rating.GREEN],
}
LOOKED_AT = {PointsInScope.RED: Rating.RED, PointsInScope.AMBER: Rating.AMBER}


def _earlier_reports(report: ReportPage, colour: str) -> list[int]:
    """The report the follow-up follows and, when that one was itself a follow-up of the same kind, the reports
    before it: a point red at alpha and still red at its first reassessment has red actions in both, and a second
    reassessment that rates it green resolves them all."""
    ids = []
    assessment = report.assessment
    while assessment.follows_id is not None:
        earlier = type(assessment).objects.select_related("type").get(pk=assessment.follows_id)
        ids.append(earlier.pk)
        if LOOKED_AT.get(earlier.type.scope) != colour:
            break
        assessment = earlier
    return list(ReportPage.objects.filter(assessment_id__in=ids).values_list("pk", flat=True))


@transaction.atomic
def actions_close_resolved(*, report: ReportPage, user) -> list[ReportAction]:
    """Closes the earlier actions this accepted follow-up report resolves, as `user` (whose acceptance counts),
    recording each in the action's history. Returns the actions closed; none for a report that follows nothing."""
    scope = report.assessment.type.scope
    colour = LOOKED_AT.get(scope)
    if colour is None:
        return []
    resolved_points = report.ratings.filter(rating__in=RESOLVING[scope]).values("number")
    # Locked: the lead assessor may be accepting the team's evidence for one of them at this moment.
    actions = list(
        ReportAction.objects.select_for_update()
        .filter(
            rating__report_id__in=_earlier_reports(report, colour),
            rating__rating=colour,
            rating__number__in=resolved_points,
            status=ReportActionStatus.OPEN,
        )
        .order_by("pk")
    )
    now = timezone.now()
    for action in actions:
        action.status = ReportActionStatus.DONE
        action.closed_at = now
        action.closed_by = user
        action.closed_by_report = report
        action.version += 1
        action.updated_at = now
    bulk_update_with_history(
        actions,
        ReportAction,
        ["status", "closed_at", "closed_by", "closed_by_report", "version", "updated_at"],
        default_user=user,
        default_change_reason=f"Resolved by the {report.assessment.stage_name.lower()} report.",
    )
    return actions
