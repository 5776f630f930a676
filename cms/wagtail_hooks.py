from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ServiceStandardPoint


class ServiceStandardPointViewSet(SnippetViewSet):
    model = ServiceStandardPoint
    icon = "list-ol"
    menu_label = "Service Standard"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["number", "title", "service_manual_url"]
    search_fields = ["title", "assessor_guidance"]
    ordering = ["number"]


register_snippet(ServiceStandardPointViewSet)
