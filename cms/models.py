"""Content the service assessment team edits: the home page, guidance pages and the Service Standard points."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import figures
from .blocks import ContentBlock


class ServiceStandardPointQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("number")


class ServiceStandardPoint(models.Model):
    """One of the 14 points. Reports copy the title when written, so editing a point changes new reports only."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1), MaxValueValidator(14)])
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, unique=True)
    service_manual_url = models.URLField("Service Manual link", max_length=500)
    assessor_guidance = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text="Shown to assessors beside this point in the report form.",
    )

    history = HistoricalRecords()
    objects = ServiceStandardPointQuerySet.as_manager()

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("service_manual_url"),
        FieldPanel("assessor_guidance"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = "Service Standard point"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(ContentBlock(), blank=True, help_text=figures.HELP_TEXT)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    template = "cms/home_page.html"


class GuidancePage(Page):
    summary = models.CharField(max_length=500, blank=True, help_text="One sentence under the title.")
    body = StreamField(ContentBlock(), blank=True, help_text=figures.HELP_TEXT)

    parent_page_types = ["cms.HomePage", "cms.GuidancePage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    template = "cms/guidance_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = self.get_children().live().public().specific()
        return context
