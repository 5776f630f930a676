"""The reports section the public reads."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.restrictions import ViewRestrictionsFromCache

from . import selectors
from .forms import ReportFilterForm


class ReportIndexPage(ViewRestrictionsFromCache, Page):
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
        context["form"] = form
        context["reports"] = selectors.reports_page(
            self.published_reports(),
            form.filters(),
            number=request.GET.get("page"),
            size=self.page_size,
            index_url=self.get_url(request),
        )
        return context


class ListedReport(models.Model):
    """One row for each report the public may see (live, public and published), with what the reports list
    sorts and filters by. The list pages through these rows alone, so that a page, a deep page and the count
    cost the same at 100,000 reports as at 1,000 (a sort across the page, report and assessment tables read every
    row); the reports themselves are then read by id through `selectors.published_reports()`, so a row left here
    by mistake can never show a report the public may not see. `publishing.listing` keeps the rows."""

    report = models.OneToOneField("workflow.ReportPage", on_delete=models.CASCADE, primary_key=True, related_name="+")
    assessment_date = models.DateField()
    overall_rating = models.CharField(max_length=10)
    phase = models.CharField(max_length=20)
    type = models.ForeignKey("cms.AssessmentType", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("workflow.Department", on_delete=models.CASCADE, related_name="+")
    # The feed's order: newest published first.
    first_published_at = models.DateTimeField(null=True)
    # The report page's place in the page tree (Wagtail's `path`): the API's list is in that order, and pages through
    # these rows by an index on it (publishing.api).
    path = models.CharField(max_length=255, default="")
    # On PostgreSQL, the words the list's search finds the report by, with a GIN index (migration 0006). Empty on
    # SQLite, where the search is Wagtail's.
    search = SearchVectorField(null=True, editable=False)
    # The stemming and stop words of that search (a PostgreSQL text search configuration).
    SEARCH_CONFIG = "english"

    class Meta:
        indexes = [
            models.Index(F("assessment_date").desc(), F("report").desc(), name="listed_newest_first"),
            # The list's filters, so that counting a filtered list reads this index alone.
            models.Index(fields=["overall_rating", "phase", "type", "assessment_date"], name="listed_by_filters"),
            models.Index(F("first_published_at").desc(), F("report").desc(), name="listed_newest_published"),
            models.Index(fields=["path", "report"], name="listed_by_path"),
        ]

    def __str__(self) -> str:
        return f"Listed report {self.report_id}"
