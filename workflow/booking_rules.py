"""Every rule on booking an assessment, in one place: the delivery team's request (workflow.services.booking), the
service assessment team's decision (the admin) and the service's record ("what must happen before the next booking")
all ask these, so each refusal is said once and in the same words everywhere.

A rule that stops a booking returns `Blocker`s: the words, and the point or action it is about (its report and
anchor on that report's page), so pages link each one to what must change.

How a point stands. The service's assessments are read in date order (then in the order they were made); only
reports the delivery team has accepted count, since until then a rating may still change. A point stands at its
rating in the latest accepted report that rated it: a reassessment, an amber evidence review, or a later full
assessment (of the same phase or another). So a point rated red stays red until a later report rates it green or
amber, and actions on ratings since superseded (amber at alpha, then rated again at an amber evidence review) no
longer hold anything up: the later rating's actions do.

- A point standing red stops the next phase: a service assessment (a type that covers every point) of a phase
  later than the latest one assessed. It may book the reassessment, or assess the same phase again in full.
- An open amber action on a point standing amber stops every booking but a follow-up (a reassessment of red
  points, an amber evidence review).
- An amber evidence review is asked for once every open amber action of the report it follows has its evidence
  (ready for review) or is closed.
- A follow-up follows an accepted report of the same service that rated points of its scope.
- One request waits for an answer at a time."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.dateformat import format as format_date

from cms.models import AssessmentType, PointsInScope
from workflow import selectors
from workflow.models import Assessment, BookingRequest, BookingStatus, Phase, Rating, ReportActionStatus, ReportStatus


@dataclass(frozen=True)
class Blocker:
    """One reason a booking cannot be made. `report_id` and `anchor` say where on a report's page the point or action
    is; a reason about the service as a whole has neither."""

    words: str
    report_id: int | None = None
    point: int | None = None
    action_id: int | None = None

    @property
    def anchor(self) -> str:
        if self.action_id is not None:
            return f"action-{self.action_id}"
        return f"point-{self.point}" if self.point is not None else ""

    def link(self, url_name: str) -> str:
        """The address of the point or action on the report page `url_name` (one per audience), or ""."""
        if self.report_id is None:
            return ""
        return f"{reverse(url_name, args=[self.report_id])}#{self.anchor}"


def _report(assessment: Assessment):
    return getattr(assessment, "report", None)


def _accepted(assessment: Assessment) -> bool:
    report = _report(assessment)
    return report is not None and report.status in ReportStatus.accepted_by_delivery_team()


def _phase_order(phase: str) -> int:
    return Phase.values.index(phase) if phase in Phase.values else -1


def _a(name: str) -> str:
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _on(assessment: Assessment) -> str:
    return (
        f"your {assessment.stage_name[0].lower()}{assessment.stage_name[1:]} on {format_date(assessment.date, 'j F Y')}"
    )


class Standing:
    """Where each point of a service stands, from its assessments in date order (workflow.selectors
    .service_assessments, which fetches them with their reports, ratings and actions)."""

    def __init__(self, assessments: list[Assessment]):
        self.assessments = assessments
        self.accepted = [assessment for assessment in assessments if _accepted(assessment)]
        self.points = {}
        for assessment in self.accepted:
            for rating in _report(assessment).ratings.all():
                if rating.rating:
                    self.points[rating.number] = rating

    @classmethod
    def of(cls, service) -> "Standing":
        return cls(selectors.service_assessments(service))

    def red_points(self):
        return [rating for number, rating in sorted(self.points.items()) if rating.rating == Rating.RED]

    def open_amber_actions(self):
        return [
            action
            for number, rating in sorted(self.points.items())
            if rating.rating == Rating.AMBER
            for action in rating.actions.all()
            if action.status == ReportActionStatus.OPEN
        ]

    @property
    def latest_phase(self) -> str | None:
        phases = [assessment.phase for assessment in self.accepted]
        return max(phases, key=_phase_order) if phases else None

    def is_next_phase(self, assessment_type: AssessmentType, phase: str) -> bool:
        latest = self.latest_phase
        return (
            assessment_type.scope == PointsInScope.ALL
            and latest is not None
            and _phase_order(phase) > _phase_order(latest)
        )

    def follow_up_target(self, assessment_type: AssessmentType) -> Assessment | None:
        """The assessment a follow-up looks again at when the team does not say: the latest accepted one that rated
        points of its scope, else the latest with a report (whose refusal then says why)."""
        for assessment in reversed(self.accepted):
            if any(rating.rating == assessment_type.scope for rating in _report(assessment).ratings.all()):
                return assessment
        with_report = [assessment for assessment in self.assessments if _report(assessment) is not None]
        return with_report[-1] if with_report else None

    def find(self, assessment: Assessment | None) -> Assessment | None:
        """The fetched copy of `assessment` (with its report, ratings and actions), if it is the service's."""
        if assessment is None:
            return None
        return next((mine for mine in self.assessments if mine.pk == assessment.pk), None)


# The rules, each returning its blockers. The first of a group says what is refused; the rest name each point or
# action and where it is.


def red_points_blockers(standing: Standing) -> list[Blocker]:
    red = standing.red_points()
    if not red:
        return []
    return [
        Blocker(
            "You cannot book your next phase while a point is rated red: ask for a reassessment, which must rate "
            "it green or amber first."
        ),
        *(
            Blocker(
                f"Point {rating.number}, {rating.title}, was rated red at {_on(rating.report.assessment)}.",
                report_id=rating.report.pk,
                point=rating.number,
            )
            for rating in red
        ),
    ]


def open_amber_actions_blockers(standing: Standing) -> list[Blocker]:
    actions = standing.open_amber_actions()
    if not actions:
        return []
    last = standing.accepted[-1].pk if standing.accepted else None
    whose = (
        "your last assessment"
        if all(action.rating.report.assessment_id == last for action in actions)
        else "your assessments"
    )
    return [
        Blocker(
            f"You cannot book an assessment other than a reassessment or an amber evidence review while amber "
            f"actions from {whose} are open. Close them, or ask for an amber evidence review once each has its "
            "evidence."
        ),
        *(
            Blocker(
                f"Close the open amber action on point {action.rating.number}: {action.description}",
                report_id=action.rating.report_id,
                point=action.rating.number,
                action_id=action.pk,
            )
            for action in actions
        ),
    ]


def follow_up_blockers(assessment_type: AssessmentType, follows: Assessment | None, service) -> list[Blocker]:
    """A follow-up needs an accepted report of the service with points of its scope; an amber evidence review, the
    evidence for each of that report's open amber actions. `follows` is the fetched copy (Standing.find)."""
    name = assessment_type.name.lower()
    scope = assessment_type.scope
    report = _report(follows) if follows is not None else None
    if follows is None or follows.service_id != service.pk or report is None:
        return [Blocker(f"Choose the assessment of your service whose {scope} points the {name} looks at.")]
    if not any(rating.rating == scope for rating in report.ratings.all()):
        return [Blocker(f"That assessment has no {scope} points for {_a(name)}.")]
    if report.status not in ReportStatus.accepted_by_delivery_team():
        return [Blocker(f"{_a(name).capitalize()} can be booked once the report of the assessment is accepted.")]
    if scope != PointsInScope.AMBER:
        return []
    without_evidence = [
        action
        for rating in report.ratings.all()
        if rating.rating == Rating.AMBER
        for action in rating.actions.all()
        if action.status == ReportActionStatus.OPEN and action.ready_for_review_at is None
    ]
    if not without_evidence:
        return []
    return [
        Blocker(
            f"You can ask for {_a(name)} once every open amber action of {_on(follows)} has its evidence and is "
            "marked ready for review."
        ),
        *(
            Blocker(
                f"Record the evidence for the amber action on point {action.rating.number} and mark it ready for "
                f"review: {action.description}",
                report_id=report.pk,
                point=action.rating.number,
                action_id=action.pk,
            )
            for action in without_evidence
        ),
    ]


def waiting_request_blockers(service, *, deciding: BookingRequest | None = None) -> list[Blocker]:
    waiting = BookingRequest.objects.filter(service=service, status=BookingStatus.REQUESTED)
    if deciding is not None:
        waiting = waiting.exclude(pk=deciding.pk)
    return [Blocker("Your service already has a request waiting for an answer.")] if waiting.exists() else []


def booking_blockers(
    *,
    service,
    assessment_type: AssessmentType,
    phase: str,
    follows: Assessment | None = None,
    deciding: BookingRequest | None = None,
    standing: Standing | None = None,
) -> list[Blocker]:
    """Everything that stops this booking, in the order a page lists them; [] when it may be made. `deciding` is the
    request being answered (it is the one waiting, so that rule skips it)."""
    standing = standing or Standing.of(service)
    blockers = []
    if assessment_type.follows_an_assessment:
        blockers += follow_up_blockers(assessment_type, standing.find(follows), service)
    else:
        if standing.is_next_phase(assessment_type, phase):
            blockers += red_points_blockers(standing)
        blockers += open_amber_actions_blockers(standing)
    return blockers + waiting_request_blockers(service, deciding=deciding)


def before_next_phase(service, *, standing: Standing | None = None) -> list[Blocker]:
    """What must happen before the service books its next phase: the same words as the refusals."""
    standing = standing or Standing.of(service)
    return [
        *red_points_blockers(standing),
        *open_amber_actions_blockers(standing),
        *waiting_request_blockers(service),
    ]
