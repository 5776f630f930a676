""" "Your actions" on the admin home: what the service assessment team has to do now, each with a link to the list.

Every count is the number of rows its link lists: both come from one selector (workflow.admin.filters)."""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from workflow import permissions

from . import filters


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str


REPORTS = ("admin_reports:index", filters.REPORT_PARAM, filters.REPORT_LISTS)
ASSESSMENTS = ("assessments:index", filters.ASSESSMENT_PARAM, filters.ASSESSMENT_LISTS)
ACTIONS = ("report_actions:index", filters.ACTION_PARAM, filters.ACTION_LISTS)
EMAILS = ("outbox:index", filters.EMAIL_PARAM, filters.EMAIL_LISTS)

ITEMS = [
    ("Reports to check", REPORTS, "to-check"),
    ("Reports to share", REPORTS, "to-share"),
    # Each deadline keeps the figures in force when its clock started, so the labels name no figure of today's.
    ("Reports overdue to share (past their share-by date)", ASSESSMENTS, "share"),
    ("Responses overdue (past their response deadline)", REPORTS, "response-overdue"),
    ("Open challenges", REPORTS, "challenged"),
    ("Amber actions due soon (the delivery team has been reminded)", ACTIONS, "soon"),
    ("Amber actions overdue", ACTIONS, "overdue"),
    ("Emails that failed", EMAILS, filters.FAILED_FILTER[1]),
]


def your_actions(today: datetime.date | None = None) -> list[Item]:
    today = today or timezone.localdate()
    return [
        Item(label, lists[key].rows(today).count(), filters.link(reverse(index), param, key))
        for label, (index, param, lists), key in ITEMS
    ]


class YourActionsPanel(Component):
    name = "your_actions"
    order = 10

    def render_html(self, parent_context):
        request = parent_context["request"]
        if not permissions.is_assessment_team(request.user):
            return ""
        return render_to_string("workflow/admin/your_actions_panel.html", {"items": your_actions()})
