from django.http import Http404
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.chooser import CreateView as ChooserCreateView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AssessmentType, ServiceStandard


class ChooserCreateViewWithoutForm(ChooserCreateView):
    """Wagtail routes the chooser's "create" step even when it offers no creation form, and a POST to it then
    fails on the missing form. Standards and types are written in their own editors, so the step does not exist."""

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


class ServiceStandardViewSet(SnippetViewSet):
    model = ServiceStandard
    icon = "list-ol"
    menu_label = "Standards"
    list_display = ["name", "version", "effective_from", "status"]
    list_filter = ["name", "status"]
    search_fields = ["name", "version"]
    chooser_viewset_class = ChooserViewSetWithoutCreate


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


class StandardsGroup(SnippetViewSetGroup):
    items = (ServiceStandardViewSet, AssessmentTypeViewSet)
    menu_icon = "list-ol"
    menu_label = "Standards and types"
    menu_order = 300


register_snippet(StandardsGroup)
