"""Content the service assessment team edits: the home page, guidance pages, the standards with their points, the
report forms' questions, and the types of assessment."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import figures, restrictions
from .blocks import POINT_COLUMNS, REPORT_COLUMNS, ContentBlock, QuestionKind, QuestionsBlock, options
from .forms import ServiceStandardForm
from .restrictions import ViewRestrictionsFromCache


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ServiceStandardQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=StandardStatus.PUBLISHED)


class ServiceStandard(ClusterableModel):
    """One version of a standard, with its ordered points. Versions of one standard share its name; an
    assessment uses the newest published version in force on its date, and its report keeps that version's
    points whatever is published later."""

    name = models.CharField(
        max_length=255, help_text="As reports name it, for example “GOV.UK Service Standard”. Versions share it."
    )
    version = models.CharField(max_length=50, help_text="For example “2019”.")
    effective_from = models.DateField(
        "in force from", help_text="Once published, assessments held on or after this date use this version."
    )
    status = models.CharField(
        max_length=10,
        choices=StandardStatus.choices,
        default=StandardStatus.DRAFT,
        help_text="A draft is used by no assessment. Publish it when its points are ready.",
    )

    history = HistoricalRecords()
    objects = ServiceStandardQuerySet.as_manager()
    base_form_class = ServiceStandardForm

    panels = [
        FieldPanel("name"),
        FieldPanel("version"),
        FieldPanel("effective_from"),
        FieldPanel("status"),
        InlinePanel("points", label="Point", min_num=1, heading="Points"),
    ]

    class Meta:
        ordering = ["name", "-effective_from", "-pk"]
        verbose_name = "service standard"
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="one_standard_version_per_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == StandardStatus.PUBLISHED

    def in_force_on(self, day) -> "ServiceStandard":
        """The newest published version of this standard in force on `day`; this one if none is."""
        newest = (
            ServiceStandard.objects.published()
            .filter(name=self.name, effective_from__lte=day)
            .order_by("-effective_from", "-pk")
            .first()
        )
        return newest or self


class ServiceStandardPointQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("number")


class ServiceStandardPoint(models.Model):
    """A point of one version of a standard. Reports copy the title when written, so editing a point changes new
    reports only."""

    standard = ParentalKey(ServiceStandard, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(99)])
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100)
    service_manual_url = models.URLField("guidance link", max_length=500)
    assessor_guidance = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text="Shown to assessors beside this point in the report form.",
    )

    # simple_history would copy the ParentalKey as a ParentalKey, which modelcluster refuses on a history model;
    # a point never moves between standards, so its history needs no link to one.
    history = HistoricalRecords(excluded_fields=["standard"])
    objects = ServiceStandardPointQuerySet.as_manager()

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("service_manual_url"),
        FieldPanel("assessor_guidance"),
    ]

    class Meta:
        ordering = ["standard", "number"]
        verbose_name = "standard point"
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="one_point_per_number_per_standard"),
            models.UniqueConstraint(fields=["standard", "slug"], name="one_point_per_slug_per_standard"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PointsInScope(models.TextChoices):
    ALL = "all", "Every point of the standard"
    RED = "red", "The points rated red at the assessment it follows"
    AMBER = "amber", "The points rated amber at the assessment it follows"
    CHOSEN = "chosen", "The points chosen when it is booked"

    @classmethod
    def following_an_assessment(cls) -> list[str]:
        return [cls.RED, cls.AMBER]


class AssessmentTypeQuerySet(models.QuerySet):
    def first_assessments(self):
        return self.filter(scope=PointsInScope.ALL)

    def following(self, scope: str):
        return self.filter(scope=scope)


class ReportForm(models.Model):
    """The questions of a report beyond its fixed core (the rating of each point, the actions on amber and red
    points, the overall rating): some for the whole report, some asked of every point. A report copies them when it
    is created and is shown and checked by that copy, so editing a form changes new reports only."""

    name = models.CharField(max_length=255, unique=True)
    report_questions = StreamField(
        QuestionsBlock(REPORT_COLUMNS),
        blank=True,
        help_text="Asked once for the whole report, on its “Service details” page, in this order.",
    )
    point_questions = StreamField(
        QuestionsBlock(POINT_COLUMNS),
        blank=True,
        help_text="Asked of every point, under its rating, in this order.",
    )

    panels = [FieldPanel("name"), FieldPanel("report_questions"), FieldPanel("point_questions")]

    class Meta:
        ordering = ["name"]
        verbose_name = "report form"

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict[str, list[dict]]:
        """The questions as a report keeps them: plain data, so that they read the same whatever the form becomes."""
        return {
            "report": [_question(child) for child in self.report_questions],
            "point": [_question(child) for child in self.point_questions],
        }


def _question(child) -> dict:
    value = child.value
    return {
        "id": child.id,
        "label": value["label"],
        "hint": value["hint"],
        "kind": value["kind"],
        "choices": options(value["choices"]) if value["kind"] == QuestionKind.CHOICE else [],
        "required": bool(value["required"]),
        "published": bool(value["published"]),
        "stored_in": value["stored_in"] or "",
    }


class AssessmentType(models.Model):
    """A kind of assessment: which standard, which of its points, and whether an accepted report is published.
    The stages the public reports list offers are each phase with each published type."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=50, unique=True, help_text="Names the stage in the public reports list's addresses and open data."
    )
    stage_suffix = models.CharField(
        "stage name",
        max_length=100,
        blank=True,
        help_text="Follows the phase in the stage's name, as in “Alpha reassessment”. Leave empty for the phase alone.",
    )
    standard = models.ForeignKey(
        ServiceStandard,
        on_delete=models.PROTECT,
        related_name="assessment_types",
        help_text="Its assessments use the newest published version of this standard in force on their date.",
    )
    scope = models.CharField("points in scope", max_length=10, choices=PointsInScope.choices)
    published = models.BooleanField(
        "publish accepted reports", default=True, help_text="A peer review's report, for one, is never published."
    )
    report_form = models.ForeignKey(
        ReportForm,
        on_delete=models.PROTECT,
        related_name="assessment_types",
        help_text="The questions its reports ask. A report keeps the questions it was started with.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lists show types in this order.")

    history = HistoricalRecords()
    objects = AssessmentTypeQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("stage_suffix"),
        FieldPanel("standard"),
        FieldPanel("scope"),
        FieldPanel("published"),
        FieldPanel("report_form"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "assessment type"

    def __str__(self) -> str:
        return self.name

    @property
    def follows_an_assessment(self) -> bool:
        return self.scope in PointsInScope.following_an_assessment()

    def stage_label(self, phase_label: str) -> str:
        return f"{phase_label} {self.stage_suffix}" if self.stage_suffix else phase_label


class HomePage(ViewRestrictionsFromCache, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(ContentBlock(), blank=True, help_text=figures.HELP_TEXT)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    template = "cms/home_page.html"


class GuidancePage(ViewRestrictionsFromCache, Page):
    summary = models.CharField(max_length=500, blank=True, help_text="One sentence under the title.")
    body = StreamField(ContentBlock(), blank=True, help_text=figures.HELP_TEXT)

    parent_page_types = ["cms.HomePage", "cms.GuidancePage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    template = "cms/guidance_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = restrictions.public(self.get_children().live()).specific()
        return context
