"""Assessment reports. A report is a Wagtail page so that, once accepted, publishing it is Wagtail publishing it;
until then it is not live and its URL answers 404 to the public."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords
from wagtail.models import Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.restrictions import PublicFromCache, ViewRestrictionsFromCache
from cms.text import shorten
from workflow import deadlines, permissions, ratings
from workflow.questions import unanswered
from workflow.transitions import ReportTransition

from .assessments import Assessment
from .choices import Rating, ReportActionStatus, ReportStatus


def _points(numbers: list[int]) -> str:
    """ "point 3", "points 3 and 7", "points 1, 2 and 3"."""
    if len(numbers) == 1:
        return f"point {numbers[0]}"
    return "points " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


class Condition:
    """A django-fsm condition that can also say, in plain words, why it is not met."""

    def __init__(self, refusal: Callable[["ReportPage"], str | None]):
        self.refusal = refusal
        self.__name__ = refusal.__name__

    def __call__(self, report: "ReportPage") -> bool:
        return self.refusal(report) is None


@Condition
def every_point_rated(report: "ReportPage") -> str | None:
    unrated = [rating.number for rating in report.ratings.all() if not rating.rating]
    if unrated:
        return f"Rate every point before submitting: {_points(unrated)} not yet rated."
    return None


@Condition
def actions_on_every_amber_and_red_point(report: "ReportPage") -> str | None:
    without = list(
        report.ratings.filter(rating__in=Rating.needing_actions())
        .annotate(action_count=Count("actions"))
        .filter(action_count=0)
        .values_list("number", flat=True)
    )
    if without:
        return f"Add at least one action to every amber or red point: {_points(without)} has none."
    return None


@Condition
def no_actions_on_green_points(report: "ReportPage") -> str | None:
    green_with_actions = list(
        report.ratings.filter(rating=Rating.GREEN, actions__isnull=False).distinct().values_list("number", flat=True)
    )
    if green_with_actions:
        return f"Remove the actions from green points, which need none: {_points(green_with_actions)}."
    return None


@Condition
def overall_rating_given(report: "ReportPage") -> str | None:
    if not report.overall_rating:
        return "Give the overall rating."
    if report.overall_rating_differs and not report.overall_rating_reason.strip():
        return f"{ratings.reason_missing(report.overall_rating, report.suggested_overall_rating)}."
    return None


@Condition
def required_questions_answered(report: "ReportPage") -> str | None:
    needed = [
        f"Answer “{question.label}” on {_points(numbers)}." if numbers else f"Answer “{question.label}”."
        for question, numbers in unanswered(report)
    ]
    return " ".join(needed) or None


@Condition
def has_points_to_rate(report: "ReportPage") -> str | None:
    if not report.ratings.exists():
        return "This report has no points to rate."
    return None


@Condition
def published_when_accepted(report: "ReportPage") -> str | None:
    """Confidential assessments and types that are never published (a peer review) end at acceptance."""
    return report.assessment.why_not_published or None


# What a report must be before the service assessment team may check it: on first submission, and again
# when a challenge is resolved, since the panel amends the report while it is challenged.
COMPLETE_REPORT = [
    has_points_to_rate,
    every_point_rated,
    actions_on_every_amber_and_red_point,
    no_actions_on_green_points,
    required_questions_answered,
    overall_rating_given,
]
# What publishing asks of a report besides being accepted. Accepting publishes a report that meets them, and ends the
# process of one that does not.
PUBLISHABLE = [published_when_accepted]


class ReportPagePermissionTester(PagePermissionTester):
    """A report changes only through the report form and its transitions. The page editor would let the
    team publish an unaccepted report, or write an old revision over the panel's latest work."""

    def can_edit(self):
        return False

    def can_publish(self):
        return False

    def can_unpublish(self):
        return False

    def can_copy(self):
        return False

    def can_move(self):
        return False

    def can_delete(self, ignore_bulk=False):
        return False


def _lead_assessor(report, user) -> bool:
    return permissions.is_lead_assessor(user, report)


def _assessment_team(report, user) -> bool:
    return permissions.is_assessment_team(user)


def _responder(report, user) -> bool:
    return permissions.is_responder(user, report)


def _plus_team(report, user) -> bool:
    return permissions.is_plus_team(user)


class ReportPageQuerySet(PublicFromCache, PageQuerySet):
    def with_assessment(self):
        return self.select_related("assessment__service__department")


class ReportPage(ConcurrentTransitionMixin, ViewRestrictionsFromCache, Page):
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="report")
    # Only the transition services in workflow.services change this.
    status = FSMField(default=ReportStatus.DRAFT, choices=ReportStatus.choices, protected=True)
    # The questions of the report form as they were when the report was created (workflow.questions reads them),
    # and the answers to those not kept in a column of their own (service description and users), by question id.
    questions = models.JSONField(editable=False)
    service_description = models.TextField(blank=True)
    service_users = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True)
    overall_rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    overall_rating_reason = models.TextField(
        blank=True, help_text="Why the overall rating differs from the one the point ratings suggest."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # After publishing: the latest correction (the public page's "Updated on", the feed's and open data's updated
    # date) and the withdrawal. The change notes and the reason are the corrections' and the status change's.
    corrected_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The policy figures in force when sharing and accepting started their clocks (Settings > Policy figures), so a
    # change there never moves a reminder or a deadline already running.
    response_reminder_working_days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    amber_actions_within_months = models.PositiveSmallIntegerField(null=True, blank=True)
    amber_actions_reminder_days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    # Bumped by every edit of the report's own fields, so an edit made on a stale copy is refused.
    version = models.PositiveIntegerField(default=0)

    # The questions never change once copied: a copy in every history row would record nothing.
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "url_path", "draft_title", "questions"])
    objects = PageManager.from_queryset(ReportPageQuerySet)()

    parent_page_types = [settings.REPORTS_INDEX_PAGE_MODEL]
    subpage_types: list[str] = []
    # A report is started for an assessment by workflow.services.reports.report_create; the page editor's form
    # has no assessment, so it could only fail. Wagtail then neither offers nor accepts one in its "add" views.
    is_creatable = False
    # Report content is edited in the assessors' report form, never in the page editor.
    content_panels = [*Page.content_panels]
    promote_panels: list = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("service_description"),
        index.SearchField("service_users"),
        index.RelatedFields(
            "assessment",
            [
                index.RelatedFields(
                    "service",
                    [index.SearchField("name"), index.RelatedFields("department", [index.SearchField("name")])],
                )
            ],
        ),
        index.RelatedFields(
            "ratings", [index.SearchField("title"), index.SearchField("done_well"), index.SearchField("to_improve")]
        ),
        index.FilterField("overall_rating"),
        index.FilterField("status"),
    ]

    # The public page of a published report is publishing's to render; the model only names it.
    template = "publishing/report_page.html"

    class Meta:
        verbose_name = "assessment report"
        # The dashboards read the few reports in each status of the work in hand among many published ones.
        indexes = [models.Index(fields=["status"], name="report_status")]

    def __str__(self) -> str:
        return f"Report: {self.assessment}"

    def permissions_for_user(self, user):
        return ReportPagePermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        # Wagtail serves any live page; a report is public only once published, whatever else made it live. A withdrawn
        # report keeps its page, saying so, so that links to it still explain where it went.
        if self.status not in ReportStatus.served_at_its_address():
            raise Http404("No such report")
        return super().serve(request, *args, **kwargs)

    def clean_fields(self, exclude=None):
        # Wagtail cleans every field before saving a revision, and cleaning sets the field again, which the
        # protected status field refuses. Transitions alone set the status, so there is nothing to clean.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def with_content_json(self, content):
        # A revision holds content, not workflow state: restoring or publishing an old revision must not
        # move the report back to the status it had when that revision was saved.
        page = super().with_content_json(content)
        self._meta.get_field("status").set_state(page, self.status)
        page._update_initial_state()  # so saving it is not taken for a concurrent transition
        return page

    @property
    def suggested_overall_rating(self):
        return Rating.overall(rating.rating for rating in self.ratings.all())

    @property
    def overall_rating_differs(self) -> bool:
        """Whether the lead's overall rating is not the one the point ratings suggest: only then does it need the
        lead's reason, and only then is the reason shown to the checker and the delivery team."""
        return ratings.reason_needed(self.overall_rating, self.suggested_overall_rating)

    @property
    def overall_rating_agrees(self) -> bool:
        """Whether the lead's overall rating is the one the point ratings suggest, so a reason explains nothing.
        Not simply "does not differ": with no point rated there is nothing to agree with."""
        return bool(self.overall_rating and self.overall_rating == self.suggested_overall_rating)

    @property
    def share_due(self):
        return self.assessment.share_due

    @property
    def response_reminder_on(self):
        return deadlines.response_reminder_on(self.response_due, self.response_reminder_working_days_before)

    @property
    def amber_actions_due(self):
        return deadlines.amber_actions_due(timezone.localdate(self.accepted_at), self.amber_actions_within_months)

    # The state machine. Perform transitions through workflow.services.transitions, never directly.

    @transition(
        field=status,
        source=ReportStatus.DRAFT,
        target=ReportStatus.SUBMITTED,
        permission=_lead_assessor,
        conditions=COMPLETE_REPORT,
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=ReportStatus.awaiting_assessment_team(),
        target=ReportStatus.DRAFT,
        permission=_assessment_team,
    )
    def return_to_panel(self):
        self.submitted_at = None

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.CHECKED, permission=_assessment_team)
    def mark_checked(self):
        pass

    @transition(field=status, source=ReportStatus.CHECKED, target=ReportStatus.SHARED, permission=_assessment_team)
    def share(self):
        self.shared_at = timezone.now()
        figures = deadlines.in_force()
        self.response_due = deadlines.response_due(
            timezone.localdate(self.shared_at), figures.respond_within_working_days
        )
        self.response_reminder_working_days_before = figures.response_reminder_working_days_before

    @transition(field=status, source=ReportStatus.SHARED, target=ReportStatus.ACCEPTED, permission=_responder)
    def accept(self):
        self.accepted_at = timezone.now()
        figures = deadlines.in_force()
        self.amber_actions_within_months = figures.amber_actions_within_months
        self.amber_actions_reminder_days_before = figures.amber_actions_reminder_days_before

    @transition(field=status, source=ReportStatus.SHARED, target=ReportStatus.CHALLENGED, permission=_responder)
    def challenge(self):
        pass

    @transition(
        field=status,
        source=ReportStatus.CHALLENGED,
        target=ReportStatus.SUBMITTED,
        permission=_plus_team,
        conditions=COMPLETE_REPORT,
    )
    def resolve_challenge(self):
        self.submitted_at = timezone.now()

    # Publishing follows acceptance at once, in the same request, as the person who accepted.
    @transition(
        field=status,
        source=ReportStatus.ACCEPTED,
        target=ReportStatus.PUBLISHED,
        permission=_responder,
        conditions=PUBLISHABLE,
    )
    def mark_published(self):
        pass

    @transition(field=status, source=ReportStatus.PUBLISHED, target=ReportStatus.WITHDRAWN, permission=_assessment_team)
    def withdraw(self):
        self.withdrawn_at = timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ReportStatus.WITHDRAWN

    @property
    def withdrawal_reason(self) -> str:
        """The public reason the service assessment team gave, kept as the withdrawal's status change comment."""
        change = (
            self.status_changes.filter(transition=ReportTransition.WITHDRAW)
            .order_by("-at", "-pk")
            .only("comment")
            .first()
        )
        return change.comment if change else ""

    @property
    def updated_on(self):
        """The day of the latest correction, None if never corrected: open data's "updated" date."""
        return timezone.localdate(self.corrected_at) if self.corrected_at else None

    @property
    def accepting_publishes(self) -> bool:
        """Whether accepting this report publishes it, as publishing's own conditions say. It asks the conditions, not
        the status, so that the answer holds once the report is published: a status change's emails may be worked out
        again after commit (workflow.emails.queue_for_status_change)."""
        return all(condition(self) for condition in PUBLISHABLE)


class PointRating(models.Model):
    """A point's rating in one report. Number and title are copied from the point when the report is
    written, so later edits to the Service Standard content do not rewrite old reports."""

    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="ratings")
    point = models.ForeignKey("cms.ServiceStandardPoint", on_delete=models.SET_NULL, null=True, blank=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    done_well = models.TextField("what the team has done well", blank=True)
    to_improve = models.TextField("what the team needs to improve", blank=True)
    # Answers to the report's point questions not kept in a column (done well, to improve), by question id.
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_rating_per_point_per_report")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}: {self.get_rating_display() or 'not rated'}"

    @property
    def needs_action(self) -> bool:
        """Amber or red with no action yet: the report cannot be submitted until the point has one."""
        return self.rating in Rating.needing_actions() and not self.actions.all()

    @property
    def has_actions_to_remove(self) -> bool:
        """Green and still holding actions (it was amber or red when they were added): they must go before the
        report is submitted."""
        return self.rating == Rating.GREEN and bool(self.actions.all())

    def still_needed(self) -> str:
        """What this point still needs before the report can be submitted, in words for the panel; "" if nothing.
        Rating it is not included: notes often come before the panel agrees a rating."""
        if self.needs_action:
            return (
                f"Point {self.number} is rated {self.get_rating_display().lower()}, so it still needs at least one "
                "action for the team before the report can be submitted."
            )
        if self.has_actions_to_remove:
            count = len(self.actions.all())
            return (
                f"Point {self.number} is rated green, which takes no actions: remove its "
                f"{'action' if count == 1 else f'{count} actions'} before the report can be submitted, or rate it "
                "amber or red."
            )
        return ""

    @property
    def action_list(self):
        """The point's actions, as the report body reads them (the public page passes plain rows instead)."""
        return self.actions.all()


class ReportAction(models.Model):
    """Something the team must do about an amber or red point."""

    rating = models.ForeignKey(PointRating, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReportActionStatus.choices, default=ReportActionStatus.OPEN)
    evidence = models.TextField(blank=True, help_text="How the team resolved the action.")
    # The delivery team marks an open action ready for review once it has recorded what it did and its evidence; a
    # review that asks for more clears it again. Still open while waiting: it counts as open for every deadline.
    ready_for_review_at = models.DateTimeField(null=True, blank=True)
    # Closing: by a review that accepted the evidence (closed_by), or by the follow-up report that rated its point
    # green (or, for a red action, amber) when it was published (closed_by_report).
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by_report = models.ForeignKey(
        ReportPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_closed"
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rating", "created_at", "pk"]

    def __str__(self) -> str:
        return shorten(self.description, 80)
