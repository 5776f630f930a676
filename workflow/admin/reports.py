"""Reports in the Wagtail admin, read-focused: a searchable, filterable list, and an inspect view with the
per-point ratings and actions, the status history, the field history, and a button for exactly each transition
this person may make now. Transitions go through workflow.services.transitions; nothing here sets a status.

Report content is written by the panel in the report form, so nobody adds, edits or deletes reports here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from workflow import permissions, selectors
from workflow.models import ReportAction, ReportPage
from workflow.services.transitions import TransitionRefused, allowed_transitions, report_transition
from workflow.transitions import TRANSITIONS, ReportTransition

from . import filters, history
from .columns import LinkedRowsMixin, ReportStatusColumn


class ReadOnlyReportPolicy(ModelPermissionPolicy):
    """`workflow.view_reportpage` to see reports here; nobody adds, edits or deletes them through this view set
    (the page tree and the report form do that)."""

    WRITE = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.WRITE])


report_policy = ReadOnlyReportPolicy(ReportPage)


class ReportPolicyMixin:
    # Only these views use this policy: Wagtail's page permission policy stays in charge of the page tree.
    @cached_property
    def permission_policy(self):
        return report_policy


class ReportIndexView(ReportPolicyMixin, LinkedRowsMixin, generic.IndexView):
    base_filterset_class = filters.filterset_with(filters.REPORT_PARAM, filters.REPORT_LISTS, "Your actions")
    matched_by_id = 1000

    def get_base_queryset(self):
        return ReportPage.objects.with_assessment().select_related("assessment__type")

    def search_queryset(self, queryset):
        # The viewset's search_fields, searched as Wagtail would (any of them contains the words), but by index.
        if not self.is_searching:
            return queryset
        # The ids first, as a list: as a subquery PostgreSQL cannot tell how many there are (it guesses 200) and
        # walks every report newest first to meet them. When the words are in many reports, Wagtail's one pass over
        # every report (the same search) is the quicker.
        matching = selectors.reports_matching(self.search_query).order_by()  # which ones, not in what order
        ids = list(matching.values_list("pk", flat=True)[: self.matched_by_id + 1])
        if len(ids) > self.matched_by_id:
            return super().search_queryset(queryset)
        return queryset.filter(pk__in=ids)


class ReportInspectView(ReportPolicyMixin, generic.InspectView):
    template_name = "workflow/admin/report_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            ReportPage.objects.with_assessment().prefetch_related(
                Prefetch("ratings__actions", queryset=ReportAction.objects.order_by("created_at", "pk"))
            ),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            report=report,
            ratings=report.ratings.all(),
            status_changes=selectors.status_changes(report),
            field_history=history.field_changes(report),
            transitions=[
                {
                    "spec": transition,
                    "url": reverse("admin_reports:transition", args=[report.pk, transition.name]),
                    "page": reverse(transition.page, args=[report.pk]) if transition.page else "",
                    # Sending the report back is never the step the page leads to.
                    "secondary": transition.name == ReportTransition.RETURN,
                }
                for transition in allowed_transitions(report, self.request.user)
            ],
            share_deadline=selectors.share_deadline(report),
            response_deadline=selectors.response_deadline(report),
            # Corrections are made on the team's own correction page, which this links to.
            correct_url=reverse("assessment_team:correct", args=[report.pk])
            if permissions.may_correct_report(self.request.user, report)
            else None,
        )
        return context


class ReportCreateView(ReportPolicyMixin, generic.CreateView):
    pass


class ReportEditView(ReportPolicyMixin, generic.EditView):
    pass


class ReportDeleteView(ReportPolicyMixin, generic.DeleteView):
    pass


class ReportTransitionView(View):
    """POST only: makes the named transition through the transition service, then back to the report."""

    http_method_names = ["post"]

    def post(self, request, pk, name):
        if not report_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        report = get_object_or_404(ReportPage, pk=pk)
        spec = TRANSITIONS.get(name)
        if spec is not None and spec.page:
            # It records more than this form posts (what was decided, for the delivery team's email): made on its page.
            messages.error(
                request,
                f"{spec.label} on the Service Assessment Plus team's page for the report, which asks for what was decided.",
            )
            return redirect("admin_reports:inspect", pk)
        try:
            report_transition(
                report=report,
                name=name,
                user=request.user,
                comment=request.POST.get("comment", ""),
                # The status the inspect page showed: refused if someone else moved the report on meanwhile.
                expected_status=request.POST.get("from_status") or None,
            )
        except TransitionRefused as refusal:
            for reason in refusal.reasons:
                messages.error(request, reason)
        except PermissionDenied as denied:
            messages.error(request, str(denied) or "You cannot make this change to the report.")
        else:
            report.refresh_from_db()
            messages.success(request, f"The report for {report.title} is now {report.get_status_display().lower()}.")
        return redirect("admin_reports:inspect", pk)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report_policy.user_has_permission(request.user, "view")


class ReportViewSet(ModelViewSet):
    model = ReportPage
    name = "admin_reports"
    url_prefix = "assessment-reports"
    icon = "doc-full"
    menu_label = "Reports"
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ReportIndexView
    inspect_view_class = ReportInspectView
    # The policy refuses these to everyone: reports are written in the report form and moved by transitions.
    add_view_class = ReportCreateView
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    menu_item_class = ReportMenuItem
    search_backend_name = None
    search_fields = ["title", "assessment__service__name", "assessment__service__department__name"]
    list_filter = ["status", "overall_rating", "assessment__phase"]
    form_fields = ["title"]  # required by ModelViewSet; unused, since the policy refuses add and change
    ordering = ["-assessment__date", "-pk"]
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            Column("title", label="Service", accessor="title"),
            Column("stage", label="Stage", accessor=lambda r: r.assessment.stage_label),
            DateColumn("assessment_date", label="Assessment", accessor=lambda r: r.assessment.date),
            ReportStatusColumn("status", label="Status", sort_key="status"),
            Column("overall_rating", label="Overall", accessor="get_overall_rating_display"),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("transition/<int:pk>/<slug:name>/", ReportTransitionView.as_view(), name="transition"),
        ]
