"""Assessment reports. A report is a Wagtail page so that, once accepted, publishing it is Wagtail publishing it;
until then it is not live and its URL answers 404 to the public."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField
from simple_history.models import HistoricalRecords
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .assessments import Assessment
from .choices import Rating, ReportActionStatus, ReportStatus


class ReportPageQuerySet(PageQuerySet):
    def for_status(self, *statuses):
        return self.filter(status__in=statuses)

    def with_assessment(self):
        return self.select_related("assessment__service__department")


class ReportPage(ConcurrentTransitionMixin, Page):
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="report")
    # Only the transition services in workflow.services change this.
    status = FSMField(default=ReportStatus.DRAFT, choices=ReportStatus.choices, protected=True)
    service_description = models.TextField(blank=True)
    service_users = models.TextField(blank=True)
    overall_rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    overall_rating_reason = models.TextField(
        blank=True, help_text="Why the overall rating differs from the one the point ratings suggest."
    )

    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "url_path", "draft_title"])
    objects = PageManager.from_queryset(ReportPageQuerySet)()

    parent_page_types = [settings.REPORTS_INDEX_PAGE_MODEL]
    subpage_types: list[str] = []
    # Report content is edited in the assessors' report form, never in the page editor.
    content_panels = [*Page.content_panels]
    promote_panels: list = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("service_description"),
        index.SearchField("service_users"),
        index.FilterField("overall_rating"),
        index.FilterField("status"),
    ]

    template = "workflow/report_page.html"

    class Meta:
        verbose_name = "assessment report"

    def __str__(self) -> str:
        return f"Report: {self.assessment}"

    def clean_fields(self, exclude=None):
        # Wagtail cleans every field before saving a revision, and cleaning sets the field again, which the
        # protected status field refuses. Transitions alone set the status, so there is nothing to clean.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def with_content_json(self, content):
        # A revision holds content, not workflow state: restoring or publishing an old revision must not
        # move the report back to the status it had when that revision was saved.
        page = super().with_content_json(content)
        self._meta.get_field("status").set_state(page, self.status)
        page._update_initial_state()  # so saving it is not taken for a concurrent transition
        return page

    @property
    def suggested_overall_rating(self):
        return Rating.overall(rating.rating for rating in self.ratings.all())


class PointRating(models.Model):
    """A point's rating in one report. Number and title are copied from the point when the report is
    written, so later edits to the Service Standard content do not rewrite old reports."""

    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="ratings")
    point = models.ForeignKey("cms.ServiceStandardPoint", on_delete=models.SET_NULL, null=True, blank=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    done_well = models.TextField("what the team has done well", blank=True)
    to_improve = models.TextField("what the team needs to improve", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_rating_per_point_per_report")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}: {self.get_rating_display() or 'not rated'}"


class ReportAction(models.Model):
    """Something the team must do about an amber or red point."""

    rating = models.ForeignKey(PointRating, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReportActionStatus.choices, default=ReportActionStatus.OPEN)
    evidence = models.TextField(blank=True, help_text="How the team resolved the action.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rating", "created_at", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
