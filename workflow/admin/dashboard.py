""" "Your actions" on the admin home: what the service assessment team has to do now, each with a link to the list."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from workflow import permissions, selectors
from workflow.models import OutboxEmail, OutboxStatus, Rating, ReportAction, ReportActionStatus, ReportStatus

AMBER_DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str


def _amber_actions():
    return ReportAction.objects.filter(
        status=ReportActionStatus.OPEN,
        rating__rating=Rating.AMBER,
        rating__report__status__in=[ReportStatus.ACCEPTED, ReportStatus.PUBLISHED],
        due_date__isnull=False,
    )


def your_actions(today: datetime.date | None = None) -> list[Item]:
    today = today or timezone.localdate()
    worklist = selectors.assessment_team_worklist(today=today)
    reports = reverse("admin_reports:index")
    actions = reverse("report_actions:index")
    amber = _amber_actions()
    counts = amber.aggregate(
        overdue=_count(Q(due_date__lt=today)),
        due=_count(Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=AMBER_DUE_SOON_DAYS))),
    )
    return [
        Item("Reports to check", len(worklist.to_check), f"{reports}?status={ReportStatus.SUBMITTED}"),
        Item("Reports to share", len(worklist.to_share), f"{reports}?status={ReportStatus.CHECKED}"),
        Item(
            "Reports overdue to share (7 days after the assessment)",
            sum(1 for row in [*worklist.to_check, *worklist.to_share] if row.deadline.overdue),
            f"{reports}?status={ReportStatus.CHECKED}",
        ),
        Item(
            "Responses overdue (10 working days after sharing)",
            sum(1 for row in worklist.awaiting_response if row.deadline and row.deadline.overdue),
            f"{reports}?status={ReportStatus.SHARED}",
        ),
        Item("Open challenges", len(worklist.challenged), f"{reports}?status={ReportStatus.CHALLENGED}"),
        Item(
            f"Amber actions due in the next {AMBER_DUE_SOON_DAYS} days",
            counts["due"],
            f"{actions}?status={ReportActionStatus.OPEN}&rating__rating={Rating.AMBER}",
        ),
        Item(
            "Amber actions overdue",
            counts["overdue"],
            f"{actions}?status={ReportActionStatus.OPEN}&rating__rating={Rating.AMBER}",
        ),
        Item(
            "Emails that failed",
            OutboxEmail.objects.filter(status__in=OutboxStatus.resendable()).count(),
            f"{reverse('outbox:index')}?status={OutboxStatus.FAILED}",
        ),
    ]


def _count(condition):
    return Count("pk", filter=condition)


class YourActionsPanel(Component):
    name = "your_actions"
    order = 10

    def render_html(self, parent_context):
        request = parent_context["request"]
        if not permissions.is_assessment_team(request.user):
            return ""
        return render_to_string("workflow/admin/your_actions_panel.html", {"items": your_actions()})
