from django.http import Http404
from wagtail.admin.views.generic.chooser import CreateView as ChooserCreateView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ServiceStandardPoint


class ChooserCreateViewWithoutForm(ChooserCreateView):
    """Wagtail routes the chooser's "create" step even when it offers no creation form, and a POST to it then
    fails on the missing form. Points are added in the snippet's own editor, so the step does not exist here."""

    def get(self, request):
        if self.get_creation_form_class() is None:
            raise Http404("Service Standard points are added from the Service Standard list, not a chooser.")
        return super().get(request)

    def post(self, request):
        if self.get_creation_form_class() is None:
            raise Http404("Service Standard points are added from the Service Standard list, not a chooser.")
        return super().post(request)


class ServiceStandardPointChooserViewSet(SnippetChooserViewSet):
    create_view_class = ChooserCreateViewWithoutForm


class ServiceStandardPointViewSet(SnippetViewSet):
    model = ServiceStandardPoint
    icon = "list-ol"
    menu_label = "Service Standard"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["number", "title", "service_manual_url"]
    search_fields = ["title", "assessor_guidance"]
    ordering = ["number"]
    chooser_viewset_class = ServiceStandardPointChooserViewSet


register_snippet(ServiceStandardPointViewSet)
