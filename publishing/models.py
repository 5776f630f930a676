"""The reports section the public reads."""

from django.core.paginator import Paginator
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from workflow.models import ReportPage


class ReportIndexPage(Page):
    """`/reports/`: published reports, newest assessment first."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["workflow.ReportPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    template = "publishing/report_index_page.html"
    page_size = 20

    def published_reports(self):
        return (
            ReportPage.objects.child_of(self)
            .live()
            .public()
            .select_related("assessment__service__department")
            .order_by("-assessment__date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = Paginator(self.published_reports(), self.page_size).get_page(request.GET.get("page"))
        return context
