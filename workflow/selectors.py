"""Reads for the dashboards and report pages of the report process.

Each selector fetches everything its page shows in a fixed number of queries, whatever the number of
reports, and works out deadlines only through `workflow.deadlines`. Dates are computed for the `today`
passed in, so pages and tests agree on what is overdue without freezing the clock."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, When, prefetch_related_objects
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.models import Page

from notify.models import OutboxEmail
from workflow import deadlines, permissions
from workflow.models import (
    ActionUpdate,
    ActionUpdateKind,
    Assessment,
    ChallengeMeeting,
    Clarification,
    FollowUpRequest,
    PanelMember,
    PanelRole,
    PointRating,
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportComment,
    ReportPage,
    ReportStatus,
    ReportStatusChange,
    Service,
)
from workflow.transitions import ReportTransition


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    today: datetime.date
    # The day the clock stopped, while it stands still (a response deadline with a question open); None while it runs.
    stopped_on: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        if self.stopped_on is not None:
            return deadlines.response_missed_while_stopped(self.due, self.stopped_on)
        return deadlines.is_missed(self.due, self.today)

    @property
    def due_today(self) -> bool:
        return self.stopped_on is None and self.due == self.today

    @property
    def working_days_left(self) -> int:
        return deadlines.working_days_between(self.stopped_on or self.today, self.due)


@dataclass(frozen=True)
class ReportRow:
    """A report on a dashboard with the deadline that matters in its status, and the latest challenge if any."""

    report: ReportPage
    deadline: Deadline | None = None
    challenge: ReportStatusChange | None = None
    # Where a challenge stands, for the delivery team ("Challenged: meeting on 3 December"); "" when none.
    standing: str = ""

    @property
    def meeting(self):
        """The challenge's meeting, fetched with it; None until arranged."""
        return getattr(self.challenge, "meeting", None) if self.challenge else None


@dataclass(frozen=True)
class ActionRow:
    action: ReportAction
    due: datetime.date | None
    today: datetime.date

    @property
    def report(self) -> ReportPage:
        return self.action.rating.report

    @property
    def overdue(self) -> bool:
        return self.due is not None and deadlines.is_missed(self.due, self.today)


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment with its report (None until the lead assessor starts it) and its share-by date while the
    report is not yet shared."""

    assessment: Assessment
    report: ReportPage | None
    deadline: Deadline | None

    @property
    def lead(self):
        seats = getattr(self.assessment, "lead_seats", None)
        return seats[0].user if seats else None


@dataclass
class Worklist:
    to_check: list[ReportRow] = field(default_factory=list)
    to_share: list[ReportRow] = field(default_factory=list)
    awaiting_response: list[ReportRow] = field(default_factory=list)
    challenged: list[ReportRow] = field(default_factory=list)
    # Late, and the panel still has the report (a draft) or has not started it: nothing else lists these.
    late_with_panel: list[AssessmentRow] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        rows = [*self.to_check, *self.to_share, *self.awaiting_response, *self.late_with_panel]
        return sum(1 for row in rows if row.deadline and row.deadline.overdue)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _reports() -> QuerySet[ReportPage]:
    return ReportPage.objects.select_related("assessment__service__department", "assessment__type")


def _with_challenges(reports: QuerySet[ReportPage]) -> QuerySet[ReportPage]:
    # Newest first: a report challenged, resolved and challenged again shows the reasons that stand now.
    challenges = (
        ReportStatusChange.objects.filter(transition=ReportTransition.CHALLENGE)
        .select_related("by", "meeting")
        .order_by("-at", "-pk")
    )
    return reports.prefetch_related(Prefetch("status_changes", queryset=challenges, to_attr="challenges"))


def _latest_challenge(report: ReportPage) -> ReportStatusChange | None:
    challenges = getattr(report, "challenges", None)
    return challenges[0] if challenges else None


def response_deadline(report: ReportPage, *, today: datetime.date | None = None) -> Deadline | None:
    """The delivery team's deadline to accept or challenge while the report is shared with them: moved later by each
    question they asked, and standing still while one is open (`stopped_on`). Reads the open questions from
    `_with_open_questions` when the caller fetched them for every row at once."""
    if report.status != ReportStatus.SHARED or report.response_due is None:
        return None
    return Deadline(due=report.response_due, today=_today(today), stopped_on=response_clock_stopped_on(report))


# --- the delivery team's questions about a shared report ---------------------------------------------------


def _open_questions() -> QuerySet[Clarification]:
    """Open questions that stop their report's response clock: those asked since it was last shared. One asked about an
    earlier sharing (before a challenge, say) is still answered, but holds up no deadline of the report as it is now."""
    return Clarification.objects.filter(answered_at__isnull=True, asked_at__gte=F("report__shared_at"))


def _with_open_questions(reports: QuerySet[ReportPage]) -> QuerySet[ReportPage]:
    return reports.prefetch_related(Prefetch("clarifications", queryset=_open_questions(), to_attr="open_questions"))


def response_clock_stopped_on(report: ReportPage) -> datetime.date | None:
    """The day the report's response clock stopped, while a question is open; None while it runs."""
    questions = getattr(report, "open_questions", None)
    if questions is None:
        questions = _open_questions().filter(report=report)
    shared_on = timezone.localdate(report.shared_at) if report.shared_at else None
    return deadlines.response_clock_stopped_on(shared_on, [question.clock_stopped_on for question in questions])


def questions_stopping_the_clock(report: ReportPage) -> QuerySet[Clarification]:
    return _open_questions().filter(report=report)


def reports_with_open_questions() -> QuerySet:
    """The ids of reports with a question open, whose response clock is stopped while they are shared."""
    return _open_questions().values("report_id")


def clarifications(report: ReportPage) -> QuerySet[Clarification]:
    """The report's questions and answers, oldest first, with who asked, who answered and the point."""
    return (
        Clarification.objects.filter(report=report)
        .select_related("asked_by", "answered_by", "rating")
        .order_by("asked_at", "pk")
    )


def share_deadline(report: ReportPage, *, today: datetime.date | None = None) -> Deadline | None:
    """The service assessment team's deadline to share the report, while it is not yet shared."""
    return assessment_share_deadline(report.assessment, report, today=today)


def assessment_share_deadline(
    assessment: Assessment, report: ReportPage | None, *, today: datetime.date | None = None
) -> Deadline | None:
    """The deadline to share the report of an assessment while it is not yet shared, whether or not anyone has
    started it (`report` None)."""
    if report is not None and report.status not in ReportStatus.not_yet_shared():
        return None
    return Deadline(due=assessment.share_due, today=_today(today))


def reports_for_delivery_team(user, *, today: datetime.date | None = None) -> list[ReportRow]:
    """The reports of the person's services that the delivery team may see, those awaiting a response first."""
    if not permissions.is_delivery_team_member(user):
        return []
    today = _today(today)
    reports = _with_open_questions(
        _with_challenges(
            _reports()
            .filter(assessment__service__team_members__user=user)
            # A report resolved after a challenge stays on the dashboard while it is checked again.
            .filter(Q(status__in=permissions.TEAM_SEES_FROM) | Q(shared_at__isnull=False))
            .order_by("-assessment__date", "-pk")
        )
    )
    rows = [
        ReportRow(
            report=report,
            deadline=response_deadline(report, today=today),
            challenge=_latest_challenge(report),
            standing=challenge_standing(report, _latest_challenge(report)),
        )
        for report in reports
    ]
    return sorted(rows, key=lambda row: row.report.status != ReportStatus.SHARED)


def open_actions_for_delivery_team(user, *, today: datetime.date | None = None) -> list[ActionRow]:
    """The open actions of the person's services from accepted reports, soonest due first; red actions, which
    are resolved by a reassessment rather than by a date, come last."""
    if not permissions.is_delivery_team_member(user):
        return []
    today = _today(today)
    actions = (
        ReportAction.objects.filter(
            status=ReportActionStatus.OPEN,
            rating__report__status__in=ReportStatus.accepted_by_delivery_team(),
            rating__report__assessment__service__team_members__user=user,
        )
        .select_related("rating__report__assessment__service", "rating__report__assessment__type")
        .order_by("rating__report__assessment__service__name", "rating__number", "created_at", "pk")
    )
    rows = [ActionRow(action=action, due=_action_due(action), today=today) for action in actions]
    return sorted(rows, key=lambda row: (row.due is None, row.due or today))


def _action_due(action: ReportAction) -> datetime.date | None:
    if action.due_date:
        return action.due_date
    # Acceptance stamps amber actions with their due date; an action without one is still due on the rule, with the
    # figure in force when the report was accepted.
    report = action.rating.report
    if action.rating.rating == Rating.AMBER and report.accepted_at:
        return report.amber_actions_due
    return None


# --- what is late or waiting: one queryset per rule -------------------------------------------------------
#
# Each is the whole rule for one count and its list: the dashboards, "Your actions" on the admin home, the admin
# lists its links open (workflow.admin.filters) and the daily email all read these, so a count is always the
# number of rows its list shows.


def late_assessments(today: datetime.date | None = None) -> QuerySet[Assessment]:
    """Assessments past their share-by date whose report is not yet shared: a draft, submitted or checked
    report, or no report started at all. Oldest first; filter further on the share-by date as `share_due_on`."""
    today = _today(today)
    # The few assessments with no report (by the partial index on report_started) and the few reports in hand (by
    # the status index), as one list of ids: asking every assessment whether it has a report read them all.
    not_started = Assessment.objects.filter(report_started=False, report__isnull=True).order_by().values("pk")
    in_hand = ReportPage.objects.filter(status__in=ReportStatus.not_yet_shared()).order_by().values("assessment_id")
    # deadlines.is_missed(assessment.share_due, today), as a query.
    return (
        Assessment.objects.alias(share_due_on=deadlines.share_due_in_query("date", "share_within_days"))
        .filter(pk__in=not_started.union(in_hand, all=True))
        .filter(share_due_on__lt=today)
        .select_related("service__department", "type", "report")
        .prefetch_related(
            Prefetch(
                "panel_members",
                queryset=PanelMember.objects.filter(role=PanelRole.LEAD).select_related("user"),
                to_attr="lead_seats",
            )
        )
        .order_by("date", "pk")
    )


def reports_matching(words: str) -> QuerySet[ReportPage]:
    """The reports whose title, service or department contains these words (any case), as the admin's search finds
    them. Each of the three is looked up on its own table, where PostgreSQL's trigram indexes find the text
    (migration 0027), and the reports are those ids: one search across the three tables joined read every report."""
    # The title is the page's: read from the page table alone (the caller's reports leave out other pages).
    by_title = Page.objects.filter(title__icontains=words).order_by().values("pk")
    services = (
        Service.objects.filter(name__icontains=words)
        .order_by()
        .values("pk")
        .union(Service.objects.filter(department__name__icontains=words).order_by().values("pk"), all=True)
    )
    by_service = ReportPage.objects.filter(assessment__service__in=services).order_by().values("pk")
    return ReportPage.objects.filter(pk__in=by_title.union(by_service, all=True))


def reports_to_check() -> QuerySet[ReportPage]:
    return _reports().filter(status=ReportStatus.SUBMITTED).order_by("assessment__date", "pk")


def reports_to_share() -> QuerySet[ReportPage]:
    return _reports().filter(status=ReportStatus.CHECKED).order_by("assessment__date", "pk")


def responses_overdue(today: datetime.date | None = None) -> QuerySet[ReportPage]:
    """Shared reports whose delivery team has missed its response deadline."""
    # deadlines.is_missed(response_due, today), as a query; with a question open, the clock stands still from the day it
    # stopped (deadlines.response_missed_while_stopped), so the deadline is missed only if it was before that day.
    stopped_in_time = _open_questions().filter(report=OuterRef("pk"), clock_stopped_on__lte=OuterRef("response_due"))
    return (
        _reports()
        .filter(status=ReportStatus.SHARED, response_due__lt=_today(today))
        .exclude(Exists(stopped_in_time))
        .order_by("response_due", "pk")
    )


def open_challenges() -> QuerySet[ReportPage]:
    return _reports().filter(status=ReportStatus.CHALLENGED).order_by("assessment__date", "pk")


def open_amber_actions() -> QuerySet[ReportAction]:
    """Amber actions of accepted reports that the delivery team has still to do, with their due date."""
    return ReportAction.objects.filter(
        status=ReportActionStatus.OPEN,
        rating__rating=Rating.AMBER,
        rating__report__status__in=ReportStatus.accepted_by_delivery_team(),
        due_date__isnull=False,
    ).select_related("rating__report__assessment__service", "rating__report__assessment__type")


def amber_actions_due_soon(today: datetime.date | None = None) -> QuerySet[ReportAction]:
    """Open amber actions not yet overdue whose reminder day has come, by the figure their report was accepted with."""
    today = _today(today)
    return (
        with_amber_reminder_day(open_amber_actions())
        .filter(due_date__gte=today, reminder_on__lte=today)
        .order_by("due_date", "pk")
    )


def with_amber_reminder_day(actions: QuerySet[ReportAction]) -> QuerySet[ReportAction]:
    """The actions, to filter on the day their delivery team is reminded as `reminder_on`."""
    return actions.alias(
        reminder_on=deadlines.amber_actions_reminder_on_in_query(
            "due_date", "rating__report__amber_actions_reminder_days_before"
        )
    )


def amber_actions_overdue(today: datetime.date | None = None) -> QuerySet[ReportAction]:
    # deadlines.is_missed(due_date, today), as a query.
    return open_amber_actions().filter(due_date__lt=_today(today)).order_by("due_date", "pk")


def failed_emails() -> QuerySet[OutboxEmail]:
    """Emails Notify did not deliver, which the team may resend (the rule is notify's)."""
    return OutboxEmail.objects.failed().order_by("-created_at")


def assessment_row(assessment: Assessment, *, today: datetime.date | None = None) -> AssessmentRow:
    report = getattr(assessment, "report", None)  # None until the report is started
    return AssessmentRow(
        assessment=assessment, report=report, deadline=assessment_share_deadline(assessment, report, today=today)
    )


def assessment_team_worklist(today: datetime.date | None = None) -> Worklist:
    """What the service assessment team has to do, or is waiting on, oldest assessment first."""
    today = _today(today)
    reports = _with_open_questions(
        _with_challenges(
            _reports().filter(status__in=ReportStatus.on_assessment_team_worklist()).order_by("assessment__date", "pk")
        )
    )
    worklist = Worklist()
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            worklist.to_check.append(ReportRow(report=report, deadline=share_deadline(report, today=today)))
        elif report.status == ReportStatus.CHECKED:
            worklist.to_share.append(ReportRow(report=report, deadline=share_deadline(report, today=today)))
        elif report.status == ReportStatus.SHARED:
            worklist.awaiting_response.append(ReportRow(report=report, deadline=response_deadline(report, today=today)))
        else:
            worklist.challenged.append(ReportRow(report=report, challenge=_latest_challenge(report)))
    # Submitted and checked ones are late too, and flagged in their own sections above.
    with_panel = late_assessments(today).filter(Q(report__isnull=True) | Q(report__status=ReportStatus.DRAFT))
    worklist.late_with_panel = [assessment_row(assessment, today=today) for assessment in with_panel]
    return worklist


def challenged_reports() -> list[ReportRow]:
    """The reports the Service Assessment Plus team is resolving, longest challenged first."""
    reports = _with_challenges(_reports().filter(status=ReportStatus.CHALLENGED).order_by("assessment__date", "pk"))
    rows = [ReportRow(report=report, challenge=_latest_challenge(report)) for report in reports]
    return sorted(rows, key=lambda row: (row.challenge is None, row.challenge.at if row.challenge else None))


def latest_challenge(report: ReportPage) -> ReportStatusChange | None:
    return (
        report.status_changes.filter(transition=ReportTransition.CHALLENGE)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


SENT_BACK_TO_PANEL_BY = (ReportTransition.RETURN, ReportTransition.CHALLENGE)


def standing_challenge(report: ReportPage) -> ReportStatusChange | None:
    """The challenge the report is under now; None once it is resolved (or was never challenged)."""
    return latest_challenge(report) if report.status == ReportStatus.CHALLENGED else None


def sent_back_to_panel(report: ReportPage) -> ReportStatusChange | None:
    """The return or challenge that gave the report back to the panel, while the panel still has it from that."""
    latest = report.status_changes.last()
    if latest and latest.to_status == report.status and latest.transition in SENT_BACK_TO_PANEL_BY:
        return latest
    return None


def status_changes(report: ReportPage) -> QuerySet[ReportStatusChange]:
    """The report's status history, oldest first."""
    return report.status_changes.select_related("by").order_by("at", "pk")


def with_ratings(report: ReportPage) -> ReportPage:
    """The report with its ratings and their actions loaded, so showing the whole report takes two queries. Each action
    comes with the follow-up report that closed it, if any, to say so."""
    closing = ReportAction.objects.select_related("closed_by_report__assessment__type")
    prefetch_related_objects([report], Prefetch("ratings__actions", queryset=closing))
    return report


# The panel's comments. Only people `permissions.may_read_comments` lets read them are ever shown these.


@dataclass(frozen=True)
class CommentThreads:
    """A report's comment threads (top-level comments, each with `.replies` fetched), oldest first."""

    whole_report: list
    by_point: dict  # point number: its threads, for points with any

    def on_point(self, number: int) -> list:
        return self.by_point.get(number, [])

    @property
    def points(self) -> list:
        """(number, threads) of each point with comments, in the order of the points."""
        return sorted(self.by_point.items())


def comment_threads(report: ReportPage) -> CommentThreads:
    """Every comment of the report, in threads, grouped by point: two queries, however many there are."""
    threads = (
        ReportComment.objects.filter(report=report, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=ReportComment.objects.select_related("author")))
    )
    whole, by_point = [], {}
    for thread in threads:
        if thread.point_number is None:
            whole.append(thread)
        else:
            by_point.setdefault(thread.point_number, []).append(thread)
    return CommentThreads(whole_report=whole, by_point=by_point)


def unresolved_comments(report: ReportPage) -> QuerySet[ReportComment]:
    """The report's threads not yet resolved: the whole report's first, then each point's, oldest first."""
    return (
        ReportComment.objects.filter(report=report, parent__isnull=True, resolved_at__isnull=True)
        .select_related("author")
        .order_by(F("point_number").asc(nulls_first=True), "created_at", "pk")
    )


# --- the challenge meeting, its outcome, and the thread the delivery team reads ---------------------------------


def challenge_standing(report: ReportPage, challenge: ReportStatusChange | None) -> str:
    """Where the report's latest challenge stands, in the delivery team's words; "" when it has none."""
    if challenge is None:
        return ""
    if report.status == ReportStatus.CHALLENGED:
        meeting = getattr(challenge, "meeting", None)
        if meeting is None:
            return "Challenged: meeting not yet arranged"
        return f"Challenged: meeting on {format_date(timezone.localtime(meeting.starts_at), 'j F')}"
    if report.status in ReportStatus.not_yet_shared():
        return "Challenge resolved: being checked again"
    return ""


def challenge_meeting(report: ReportPage):
    """The meeting about the challenge the report is under now; None if not arranged (or not challenged)."""
    challenge = standing_challenge(report)
    return (
        ChallengeMeeting.objects.filter(challenge=challenge).prefetch_related("attendees").first()
        if challenge
        else None
    )


@dataclass(frozen=True)
class ChallengeThread:
    """One challenge and what followed it: the team's reasons, the meeting, the outcome and agreed changes."""

    challenge: ReportStatusChange
    meeting: object | None
    attendees: list
    outcome: object | None


def challenge_threads(report: ReportPage) -> list[ChallengeThread]:
    """Every challenge of the report, oldest first, each with its meeting and outcome: four queries."""
    challenges = list(
        report.status_changes.filter(transition=ReportTransition.CHALLENGE)
        .select_related("by", "meeting", "outcome", "outcome__recorded_by")
        .prefetch_related("meeting__attendees")
        .order_by("at", "pk")
    )
    threads = []
    for challenge in challenges:
        meeting = getattr(challenge, "meeting", None)
        threads.append(
            ChallengeThread(
                challenge=challenge,
                meeting=meeting,
                attendees=meeting_attendees(report, meeting) if meeting else [],
                outcome=getattr(challenge, "outcome", None),
            )
        )
    return threads


def meeting_attendees(report: ReportPage, meeting) -> list[str]:
    """Each person invited, as "Name, role"."""
    panel_roles = {seat.user_id: seat.get_role_display() for seat in report.assessment.panel_members.all()}
    team_roles = {seat.user_id: seat.get_role_display() for seat in report.assessment.service.team_members.all()}
    return [
        f"{person.get_full_name() or person.get_username()}, "
        f"{panel_roles.get(person.pk) or team_roles.get(person.pk) or 'attendee'}"
        for person in meeting.attendees.all()
    ]


# --- follow-up support ------------------------------------------------------------------------------


def panel_seats(assessment: Assessment) -> QuerySet[PanelMember]:
    """The panel, lead first, for the delivery team to see who assessed them."""
    order = Case(*(When(role=role, then=i) for i, role in enumerate(PanelRole.values)), default=len(PanelRole.values))
    return (
        PanelMember.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by(order, "user__first_name", "user__last_name", "pk")
    )


def follow_up_requests(report: ReportPage) -> QuerySet[FollowUpRequest]:
    return (
        FollowUpRequest.objects.filter(report=report)
        .select_related("requested_by", "decided_by")
        .prefetch_related(Prefetch("actions", queryset=ReportAction.objects.select_related("rating")))
        .order_by("-created_at", "-pk")
    )


def follow_up_actions(report: ReportPage) -> QuerySet[ReportAction]:
    """The actions a follow-up may be asked about: the report's own, in point order."""
    return ReportAction.objects.filter(rating__report=report).select_related("rating").order_by("rating__number", "pk")


# After publishing: a report's corrections, newest first, as its page and the team's page list them.
def corrections(report: ReportPage):
    return report.corrections.select_related("made_by").order_by("-made_at", "-pk")


# --- follow-up reports: the earlier actions a panel re-rates against -------------------------------------


@dataclass(frozen=True)
class EarlierActions:
    """The actions of the report a follow-up follows, on the points it looks at again: the amber actions for an amber
    evidence review, the red ones for a reassessment, with the team's evidence. `assessment` is the one whose report
    set them."""

    assessment: Assessment
    colour: str
    actions: list[ReportAction]

    @property
    def colour_label(self) -> str:
        return Rating(self.colour).label.lower()

    @property
    def resolved_by(self) -> str:
        """The ratings that resolve them, in words (workflow.services.actions_closing closes them)."""
        return "green or amber" if self.colour == Rating.RED else "green"

    def on_point(self, number: int) -> list[ReportAction]:
        return [action for action in self.actions if action.rating.number == number]

    @property
    def by_point(self) -> list[tuple[int, str, list[ReportAction]]]:
        """(number, title, actions) for each point that has any, in point order."""
        points: dict[int, tuple[int, str, list[ReportAction]]] = {}
        for action in self.actions:
            points.setdefault(action.rating.number, (action.rating.number, action.rating.title, []))[2].append(action)
        return list(points.values())


# The colour of the points each kind of follow-up looks at again, and so of the actions it reads and may close.
FOLLOW_UP_COLOURS = {"red": Rating.RED, "amber": Rating.AMBER}


def earlier_actions(report: ReportPage, *, number: int | None = None) -> EarlierActions | None:
    """For a follow-up report, the earlier report's actions on its points (or on point `number` only), with their
    threads, in two queries;
    None for a report that follows nothing. Reads `report.assessment.type`: fetch it with the report."""
    assessment = report.assessment
    colour = FOLLOW_UP_COLOURS.get(assessment.type.scope)
    if colour is None or assessment.follows_id is None:
        return None
    actions = ReportAction.objects.filter(
        rating__report__assessment_id=assessment.follows_id,
        rating__rating=colour,
        rating__number__in=report.ratings.values("number") if number is None else [number],
    )
    actions = list(
        actions.select_related("rating__report__assessment__type", "closed_by", "closed_by_report__assessment__type")
        # The team's progress and evidence, which the panel reads before rating the point again.
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("by").order_by("at", "pk")))
        .order_by("rating__number", "created_at", "pk")
    )
    # The earlier assessment comes with its actions; a follow-up always has some (its points are those with actions),
    # but a point removed from view leaves none, and then the assessment costs a query of its own.
    earlier = actions[0].rating.report.assessment if actions else assessment.follows
    return EarlierActions(assessment=earlier, colour=colour, actions=actions)


# --- the service's record: its assessments, the grid of ratings, its open actions -----------------------------------
#
# One read of the service's assessments serves the record page and the booking rules (workflow.booking_rules), in a
# fixed number of queries whatever the number of assessments.


def service_assessments(service) -> list[Assessment]:
    """Every assessment of the service, oldest first (then in the order made), with its type, its report (when
    started) and the report's ratings in point order with their actions."""
    ratings = PointRating.objects.order_by("number").prefetch_related(
        Prefetch("actions", queryset=ReportAction.objects.order_by("created_at", "pk"))
    )
    reports = ReportPage.objects.prefetch_related(Prefetch("ratings", queryset=ratings))
    return list(
        Assessment.objects.filter(service=service)
        .select_related("type")
        .prefetch_related(Prefetch("report", queryset=reports))
        .order_by("date", "pk")
    )


@dataclass
class RecordColumn:
    """An assessment on the record, with its report when started and whether the reader may see its ratings."""

    assessment: Assessment
    report: ReportPage | None
    visible: bool
    # The reader's page for the report, set by the view (one per audience); "" when they have none.
    link: str = ""

    @property
    def result(self) -> str:
        """The overall rating, once the reader may see it and the panel has given it; "" otherwise."""
        return self.report.overall_rating if self.visible and self.report is not None else ""


@dataclass(frozen=True)
class RecordCell:
    rating: str  # "green", "amber", "red", or "" when there is no rating to show
    words: str  # "Not in scope", "Not rated yet", "Not available yet" (to this reader), or "" for a rating


@dataclass(frozen=True)
class RecordRow:
    number: int
    title: str
    cells: list[RecordCell]


@dataclass
class ServiceRecord:
    service: object
    assessments: list[Assessment]
    columns: list[RecordColumn]
    rows: list[RecordRow]
    open_actions: list[ActionRow]
    # The service's assessments the reader sits on the panel of.
    own_panels: set[int]


def _record_cell(column: RecordColumn, rating) -> RecordCell:
    if column.report is None or column.report.status == ReportStatus.DRAFT:
        return RecordCell("", "Not rated yet")
    if not column.visible:
        return RecordCell("", "Not available yet")
    if rating is None:
        return RecordCell("", "Not in scope")
    return RecordCell(rating.rating, "" if rating.rating else "Not rated yet")


def service_record(service, user, *, today: datetime.date | None = None) -> ServiceRecord:
    """The service's record as this person may read it (permissions.may_read_service_record): each report's ratings
    only where permissions.may_see_on_record lets them."""
    assessments = service_assessments(service)
    own_panels = set(
        PanelMember.objects.filter(user=user, assessment__service=service).values_list("assessment_id", flat=True)
    )
    columns = []
    for assessment in assessments:
        report = getattr(assessment, "report", None)
        visible = report is not None and permissions.may_see_on_record(user, report, own_panels=own_panels)
        columns.append(RecordColumn(assessment=assessment, report=report, visible=visible))
    titles, by_column = {}, []
    for column in columns:
        ratings = {rating.number: rating for rating in column.report.ratings.all()} if column.report else {}
        titles.update({number: rating.title for number, rating in ratings.items()})
        by_column.append(ratings)
    rows = [
        RecordRow(
            number=number,
            title=title,
            cells=[
                _record_cell(column, ratings.get(number)) for column, ratings in zip(columns, by_column, strict=True)
            ],
        )
        for number, title in sorted(titles.items())
    ]
    today = _today(today)
    actions = [
        ActionRow(action=action, due=_action_due(action), today=today)
        for column in columns
        if column.visible and column.report.status in ReportStatus.accepted_by_delivery_team()
        for rating in column.report.ratings.all()
        for action in rating.actions.all()
        if action.status == ReportActionStatus.OPEN
    ]
    actions.sort(key=lambda row: (row.due is None, row.due or today, row.action.rating.number, row.action.pk))
    return ServiceRecord(
        service=service,
        assessments=assessments,
        columns=columns,
        rows=rows,
        open_actions=actions,
        own_panels=own_panels,
    )


# --- the delivery team's work on its actions, and their review ------------------------------------------------------


def report_actions_with_threads(report: ReportPage) -> list[ReportAction]:
    """The report's actions in point order, each with its thread (`updates`, oldest first, with who wrote each) and
    who closed it, for the pages that show their state."""
    return list(
        ReportAction.objects.filter(rating__report=report)
        .select_related("rating", "closed_by", "closed_by_report")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("by").order_by("at", "pk")))
        .order_by("rating__number", "created_at", "pk")
    )


def actions_waiting_for_review(report: ReportPage | None = None) -> QuerySet[ReportAction]:
    """Open actions the delivery team has marked ready for review, of accepted reports: of one report, or of all."""
    actions = ReportAction.objects.filter(
        status=ReportActionStatus.OPEN,
        ready_for_review_at__isnull=False,
        rating__report__status__in=ReportStatus.accepted_by_delivery_team(),
    )
    return actions.filter(rating__report=report) if report is not None else actions


def actions_waiting_for_lead_review(user) -> QuerySet[ReportAction]:
    """Those of the reports whose panel this person leads."""
    return actions_waiting_for_review().filter(
        rating__report__assessment__panel_members__user=user,
        rating__report__assessment__panel_members__role=PanelRole.LEAD,
    )


def team_words_since_review(action: ReportAction) -> list[ActionUpdate]:
    """What the team has written since the action was last reviewed (all of it, if never): what a reviewer reads."""
    updates = list(action.updates.select_related("by").order_by("at", "pk"))
    reviews = [index for index, update in enumerate(updates) if update.is_review]
    since = updates[reviews[-1] + 1 :] if reviews else updates
    return [update for update in since if update.kind in (ActionUpdateKind.PROGRESS, ActionUpdateKind.READY_FOR_REVIEW)]


@dataclass(frozen=True)
class ReportWaiting:
    report: ReportPage
    count: int


def reports_with_actions_waiting(actions: QuerySet[ReportAction]) -> list[ReportWaiting]:
    """The reports of these actions waiting for review, each with how many, longest waiting first: for dashboards."""
    counts: dict[int, int] = {}
    first: dict[int, datetime.datetime] = {}
    for report_id, ready_at in actions.values_list("rating__report_id", "ready_for_review_at"):
        counts[report_id] = counts.get(report_id, 0) + 1
        first[report_id] = min(first.get(report_id, ready_at), ready_at)
    reports = _reports().filter(pk__in=counts).in_bulk()
    return [ReportWaiting(reports[pk], counts[pk]) for pk in sorted(counts, key=lambda pk: first[pk]) if pk in reports]
