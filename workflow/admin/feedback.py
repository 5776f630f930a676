"""Who was asked for feedback on which assessment, and whether they answered (read-only). The answers themselves
are in Forms, where they export as CSV with the assessment as a column."""

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.spreadsheets import spreadsheet_cell
from workflow.models import FeedbackInvitation, FeedbackSurveyPage


class FeedbackSubmissionsListView(SubmissionsListView):
    """Answers are free text from outside: in the CSV export, one that a spreadsheet would run as a formula is
    written as text (Wagtail guards only its XLSX export)."""

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {field: spreadsheet_cell(value) for field, value in row_dict.items()})


# Wagtail's own way to give a form page its answers' view (AbstractForm.get_submissions_list_view_class). Set here, as
# the admin loads, so that the page's model needs nothing from the admin: the view is only served by admin URLs, and
# Wagtail loads every app's wagtail_hooks, which import this module, before it builds them.
FeedbackSurveyPage.submissions_list_view_class = FeedbackSubmissionsListView


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Written by the service only: nobody adds, edits or deletes these by hand."""

    WRITE = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.WRITE])


class FeedbackInvitationViewSet(ModelViewSet):
    model = FeedbackInvitation
    name = "feedback_invitations"
    icon = "form"
    menu_label = "Feedback requests"
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["email", "assessment__service__name"]
    list_filter = ["used_at"]
    form_fields = ["email"]  # required by ModelViewSet; unused, since the policy refuses add and change
    ordering = ["-created_at"]
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            Column("assessment", label="Assessment", accessor="assessment"),
            Column("email", label="Asked"),
            DateColumn("created_at", label="Asked on"),
            DateColumn("used_at", label="Answered on"),
        ]
