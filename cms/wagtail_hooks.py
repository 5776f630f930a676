from django.http import Http404
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.chooser import CreateView as ChooserCreateView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from .admin_views import RefusingProtectedDelete
from .models import AssessmentType, ReportForm, ServiceStandard


class ChooserCreateViewWithoutForm(ChooserCreateView):
    """Wagtail routes the chooser's "create" step even when it offers no creation form, and a POST to it then
    fails on the missing form. Standards, types and report forms are written in their own editors, so the step does
    not exist."""

    def get(self, request):
        if self.get_creation_form_class() is None:
            raise Http404("Add it from its list in the admin, not from a chooser.")
        return super().get(request)

    def post(self, request):
        if self.get_creation_form_class() is None:
            raise Http404("Add it from its list in the admin, not from a chooser.")
        return super().post(request)


class ChooserViewSetWithoutCreate(SnippetChooserViewSet):
    create_view_class = ChooserCreateViewWithoutForm


class RefusingProtectedDeleteView(RefusingProtectedDelete, DeleteView):
    """Types use standards and report forms, and assessments use types, through rows a migration or the booking
    process wrote."""


class ServiceStandardViewSet(SnippetViewSet):
    model = ServiceStandard
    icon = "list-ol"
    menu_label = "Standards"
    list_display = ["name", "version", "effective_from", "status"]
    list_filter = ["name", "status"]
    search_fields = ["name", "version"]
    chooser_viewset_class = ChooserViewSetWithoutCreate
    delete_view_class = RefusingProtectedDeleteView


class AssessmentTypeViewSet(SnippetViewSet):
    model = AssessmentType
    icon = "tasks"
    menu_label = "Assessment types"
    list_display = [
        "name",
        "stage_suffix",
        "standard",
        "scope",
        BooleanColumn("published", label="Published when accepted"),
    ]
    ordering = ["sort_order", "name"]
    chooser_viewset_class = ChooserViewSetWithoutCreate
    delete_view_class = RefusingProtectedDeleteView


class ReportFormViewSet(SnippetViewSet):
    model = ReportForm
    icon = "form"
    menu_label = "Report forms"
    list_display = ["name"]
    search_fields = ["name"]
    chooser_viewset_class = ChooserViewSetWithoutCreate
    delete_view_class = RefusingProtectedDeleteView


class StandardsGroup(SnippetViewSetGroup):
    items = (ServiceStandardViewSet, AssessmentTypeViewSet, ReportFormViewSet)
    menu_icon = "list-ol"
    menu_label = "Standards and types"
    menu_order = 300


register_snippet(StandardsGroup)
