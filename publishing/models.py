"""The reports section the public reads."""

from django.core.paginator import Paginator
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import selectors
from .forms import ReportFilterForm


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
        return selectors.published_reports().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = ReportFilterForm(request.GET)
        form.is_valid()
        reports = selectors.search_reports(
            selectors.filter_reports(self.published_reports(), form.filters()), form.filters().query
        )
        context["form"] = form
        context["reports"] = Paginator(reports, self.page_size).get_page(request.GET.get("page"))
        return context
