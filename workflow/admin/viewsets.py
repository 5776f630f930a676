"""Services, assessments, panels, delivery teams and report actions in the Wagtail admin: searchable, filterable
lists; the service assessment team adds and edits, the Service Assessment Plus team only reads (Django model
permissions, given in workflow.roles)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from cms.admin_views import RefusingProtectedDelete
from workflow import permissions, roles
from workflow.forms.base import PointNumbersField
from workflow.models import (
    Assessment,
    DeliveryTeamMember,
    Department,
    PanelMember,
    PanelRole,
    ReportAction,
    Service,
)
from workflow.services.actions import action_status_changed_in_admin
from workflow.services.booking import panel_seat_saved

from . import filters
from .columns import LinkedRowsMixin, ReportStatusColumn
from .history import shorten


class VersionBumpingEditView(generic.EditView):
    """Rows the assessors' form edits carry a version: an admin edit bumps it, so a stale form is refused."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.version += 1
        instance.save()
        self.form.save_m2m()
        return instance


class ActionEditView(VersionBumpingEditView):
    """Marking an action done here is accepting it, as a review on the report page would: it is closed with who and
    when, in the action's thread, and the delivery team is emailed. Opening it again clears who closed it."""

    def save_instance(self):
        was = type(self.object).objects.values_list("status", flat=True).get(pk=self.object.pk)
        instance = super().save_instance()
        return action_status_changed_in_admin(action=instance, user=self.request.user, was=was)


class ActionIndexView(LinkedRowsMixin, generic.IndexView):
    base_filterset_class = filters.filterset_with(filters.ACTION_PARAM, filters.ACTION_LISTS, "Your actions")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("rating__report__assessment__service")

    def get_add_url(self):
        return None


class NoAddView(generic.CreateView):
    """Actions are added in the report form, on a point the panel rated; the team follows them up here."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class RefusingProtectedDeleteView(RefusingProtectedDelete, generic.DeleteView):
    pass


class WorkflowModelViewSet(ModelViewSet):
    delete_view_class = RefusingProtectedDeleteView
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_per_page = 50


class DepartmentViewSet(WorkflowModelViewSet):
    model = Department
    name = "departments"
    icon = "folder-open-inverse"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class RecordLinkInspectView(generic.InspectView):
    """A service's or an assessment's page links to the service's record (workflow.views.services)."""

    def get_header_buttons(self):
        service_id = self.object.pk if isinstance(self.object, Service) else self.object.service_id
        record = HeaderButton(
            "The service’s record", url=reverse("records:service", args=[service_id]), icon_name="doc-full"
        )
        return [record, *super().get_header_buttons()]


class ServiceViewSet(WorkflowModelViewSet):
    model = Service
    name = "services"
    icon = "site"
    inspect_view_class = RecordLinkInspectView
    form_fields = ["name", "department", "description", "users"]
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name", "description", "department__name"]
    ordering = ["name"]


class AssessmentIndexView(LinkedRowsMixin, generic.IndexView):
    base_filterset_class = filters.filterset_with(filters.ASSESSMENT_PARAM, filters.ASSESSMENT_LISTS, "Your actions")

    def get_base_queryset(self):
        leads = PanelMember.objects.filter(role=PanelRole.LEAD).select_related("user")
        return (
            super()
            .get_base_queryset()
            .select_related("service", "type", "follows", "report")
            .prefetch_related(Prefetch("panel_members", queryset=leads, to_attr="lead_seats"))
        )


def _lead(assessment: Assessment):
    seats = getattr(assessment, "lead_seats", None)
    return seats[0].user if seats else assessment.lead_assessor


class AssessmentViewSet(WorkflowModelViewSet):
    model = Assessment
    name = "assessments"
    icon = "clipboard-list"
    index_view_class = AssessmentIndexView
    inspect_view_class = RecordLinkInspectView
    form_fields = ["service", "type", "phase", "date", "follows", "points_chosen", "confidential"]
    list_filter = ["type", "phase", "confidential", "service__department", "date"]
    search_fields = ["service__name", "service__department__name"]
    ordering = ["-date", "-pk"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "points_chosen":
            return PointNumbersField(required=False, label="Points to cover", help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, **kwargs)

    @cached_property
    def list_display(self):
        return [
            Column("service", label="Service", accessor="service"),
            Column("stage", label="Stage", accessor="stage_label"),
            DateColumn("date", label="Date"),
            Column("lead", label="Lead assessor", accessor=_lead),
            ReportStatusColumn("report", label="Report", accessor=lambda a: getattr(a, "report", None)),
        ]


class SeatForm(WagtailAdminModelForm):
    """A seat on a panel or a delivery team, for someone who holds the role it needs; the service assessment team
    seats only people it manages (workflow.permissions.seatable_people), never itself or a central team member."""

    seat_role: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = permissions.seatable_people(
            self.for_user, self.fields["user"].queryset, self.seat_role
        ).order_by("first_name", "last_name", "username")
        self.fields[
            "user"
        ].help_text = f"People in the “{self.seat_role}” role. Give someone the role under Settings > Users."


class PanelSeatForm(SeatForm):
    seat_role = roles.ASSESSORS

    class Meta:
        model = PanelMember
        fields = ["assessment", "user", "role"]


class DeliveryTeamSeatForm(SeatForm):
    seat_role = roles.DELIVERY_TEAM_MEMBERS

    class Meta:
        model = DeliveryTeamMember
        fields = ["service", "user", "role"]


class PanelSeatCreateView(generic.CreateView):
    def save_instance(self):
        seat = super().save_instance()
        panel_seat_saved(seat=seat)  # in the view's transaction, with the seat
        return seat


class PanelSeatEditView(generic.EditView):
    def save_instance(self):
        seat = super().save_instance()
        panel_seat_saved(seat=seat)
        return seat


class PanelMemberViewSet(WorkflowModelViewSet):
    model = PanelMember
    name = "panel_members"
    icon = "group"
    menu_label = "Panels"
    add_view_class = PanelSeatCreateView
    edit_view_class = PanelSeatEditView
    form_fields = ["assessment", "user", "role"]

    def get_form_class(self, for_update=False):
        return PanelSeatForm

    list_display = ["user", "role", "assessment"]
    list_filter = ["role"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "assessment__service__name"]
    ordering = ["-assessment__date", "assessment", "role"]


class DeliveryTeamMemberViewSet(WorkflowModelViewSet):
    model = DeliveryTeamMember
    name = "delivery_team_members"
    icon = "user"
    menu_label = "Delivery teams"
    form_fields = ["service", "user", "role"]

    def get_form_class(self, for_update=False):
        return DeliveryTeamSeatForm

    list_display = ["user", "role", "service"]
    list_filter = ["role"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "service__name"]
    ordering = ["service__name", "role"]


class ReportActionViewSet(WorkflowModelViewSet):
    model = ReportAction
    name = "report_actions"
    icon = "tasks"
    menu_label = "Actions"
    index_view_class = ActionIndexView
    add_view_class = NoAddView
    edit_view_class = ActionEditView
    form_fields = ["description", "due_date", "status", "evidence"]
    list_filter = ["status", "rating__rating", "due_date"]
    search_fields = ["description", "evidence", "rating__report__assessment__service__name"]
    ordering = ["due_date", "pk"]

    @cached_property
    def list_display(self):
        return [
            Column("description", label="Action", accessor=lambda action: shorten(action.description, 120)),
            Column("service", label="Service", accessor=lambda a: a.rating.report.assessment.service),
            Column("point", label="Point", accessor=lambda a: f"{a.rating.number} ({a.rating.get_rating_display()})"),
            Column("status", label="Status", accessor="get_status_display"),
            DateColumn("due_date", label="Due"),
        ]
