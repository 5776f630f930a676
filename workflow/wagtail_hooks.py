"""The service assessment team's control room in the Wagtail admin. The email outbox is notify's own
(notify.wagtail_hooks)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from workflow import permissions
from workflow.admin.audit import AuditView
from workflow.admin.booking import BookingViewSet
from workflow.admin.dashboard import YourActionsPanel
from workflow.admin.feedback import FeedbackInvitationViewSet, ReadOnlyPolicy
from workflow.admin.insights import InsightsView
from workflow.admin.reports import ReportViewSet, report_policy
from workflow.admin.viewsets import (
    AssessmentViewSet,
    DeliveryTeamMemberViewSet,
    DepartmentViewSet,
    PanelMemberViewSet,
    ReportActionViewSet,
    ServiceViewSet,
)
from workflow.models import FeedbackInvitation, ReportPage

register_permission_policy(FeedbackInvitation, ReadOnlyPolicy(FeedbackInvitation))


@hooks.register("notify_subject_admin_url")
def report_in_the_outbox(subject, user):
    # An email about a report links to the report's page in the admin, not to the page editor.
    if isinstance(subject, ReportPage) and report_policy.user_has_permission(user, "view"):
        return reverse("admin_reports:inspect", args=[subject.pk])
    return None


# The service assessment team's control room: services, assessments, panels, delivery teams, actions and reports
# (workflow.admin), "your actions" on the dashboard, and the audit history.


class AssessmentsViewSetGroup(ModelViewSetGroup):
    menu_label = "Assessments"
    menu_icon = "clipboard-list"
    menu_order = 200
    items = (
        ReportViewSet,
        AssessmentViewSet,
        ServiceViewSet,
        DepartmentViewSet,
        PanelMemberViewSet,
        DeliveryTeamMemberViewSet,
        ReportActionViewSet,
        BookingViewSet,
        FeedbackInvitationViewSet,
    )


@hooks.register("register_admin_viewset")
def register_assessment_viewsets():
    return AssessmentsViewSetGroup()


@hooks.register("insert_global_admin_css")
def report_status_tag_colours():
    # The report status tags' GOV.UK colours (workflow.templatetags.report_status): GOV.UK Frontend's own CSS is
    # not loaded in the admin. A file, as the admin's content security policy wants.
    return format_html('<link rel="stylesheet" href="{}">', static("workflow/admin.css"))


@hooks.register("construct_homepage_panels")
def add_your_actions_panel(request, panels):
    panels.insert(0, YourActionsPanel())


@hooks.register("register_admin_urls")
def register_audit_and_insights_urls():
    return [
        path("audit/", AuditView.as_view(), name="workflow_audit"),
        path("insights/", InsightsView.as_view(), name="workflow_insights"),
    ]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_audit(request.user)


class InsightsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_insights(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem("Audit history", reverse("workflow_audit"), icon_name="history", order=870)


@hooks.register("register_admin_menu_item")
def register_insights_menu_item():
    return InsightsMenuItem("Insights", reverse("workflow_insights"), icon_name="table", order=860)
