"""Services, their assessments, the panels that assess them and the delivery teams that answer."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from cms.models import AssessmentType, PointsInScope
from workflow import deadlines

from .choices import DeliveryTeamRole, PanelRole, Phase, ReportStatus


class Department(models.Model):
    """A department or portfolio that services belong to."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Service(models.Model):
    # A stable identifier for open data: names change and are spelt inconsistently, this does not.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    description = models.TextField(blank=True, help_text="What the service does, in plain English.")
    users = models.TextField("service users", blank=True, help_text="Who uses the service.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="unique_service_name_per_department")
        ]

    def __str__(self) -> str:
        return self.name


def default_type(*, follows: "Assessment | None") -> AssessmentType:
    """The type of an assessment made without one: a reassessment of red points if it follows another, else the
    first type that covers every point."""
    types = (
        AssessmentType.objects.following(PointsInScope.RED) if follows else AssessmentType.objects.first_assessments()
    )
    return types.order_by("sort_order", "pk").first()


class AssessmentQuerySet(models.QuerySet):
    def for_assessor(self, user):
        return self.filter(panel_members__user=user).distinct()


class Assessment(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="assessments")
    type = models.ForeignKey(
        "cms.AssessmentType",
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="Which points it covers, against which standard, and whether its accepted report is published.",
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    date = models.DateField("assessment date")
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The earlier assessment whose red or amber points this one looks at again.",
    )
    # Fixed when the assessment is made, so its report keeps the points it was written against.
    standard = models.ForeignKey(
        "cms.ServiceStandard", on_delete=models.PROTECT, related_name="assessments", editable=False
    )
    points_chosen = models.JSONField(
        "points to cover",
        default=list,
        blank=True,
        help_text="For a type whose points are chosen when booking: their numbers, for example 3, 5, 9.",
    )
    confidential = models.BooleanField(
        default=False,
        help_text=(
            "Its report is checked, shared and answered as any other, but never published: accepting it ends "
            "the process."
        ),
    )
    # The figure in force when the assessment was booked (Settings > Policy figures): its report's share-by date keeps
    # it, and moves with the date if the assessment is rescheduled.
    share_within_days = models.PositiveSmallIntegerField("days to share the report", editable=False)
    # Set once its report is started (services.reports.report_create). The lists of late assessments find the few
    # with no report by a partial index on this, rather than looking for a report for every assessment ever held;
    # they still check that there is none, so a stale copy of the assessment saved over it costs a little speed only.
    report_started = models.BooleanField(default=False, editable=False)

    # A note for the lists, not a change anyone made: not in the audit history.
    history = HistoricalRecords(excluded_fields=["report_started"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        # Lists newest first (the admin's reports and assessments) read the newest rows by this index rather than
        # sorting them all.
        indexes = [
            models.Index(fields=["date", "id"], name="assessment_date"),
            models.Index(
                fields=["date"], condition=models.Q(report_started=False), name="assessment_report_not_started"
            ),
        ]
        permissions = [
            ("assess", "Can sit on assessment panels"),
            ("respond_for_service", "Can respond to reports for their own service"),
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.stage_label} – {self.date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        if self.type_id is None:
            self.type = default_type(follows=self.follows)
        if self.standard_id is None:
            self.standard = self.standard_to_use()
        if self.share_within_days is None:
            self.share_within_days = deadlines.in_force().share_within_days
        super().save(*args, **kwargs)

    def standard_to_use(self):
        """A follow-up looks again at points of the assessment it follows, so it keeps that one's standard;
        any other uses the newest published version of its type's standard in force on its date."""
        if self.follows is not None:
            return self.follows.standard
        return self.type.standard.in_force_on(self.date)

    @property
    def share_due(self):
        return deadlines.share_due(self.date, self.share_within_days)

    @property
    def is_reassessment(self) -> bool:
        return self.type.scope == PointsInScope.RED

    @property
    def why_not_published(self) -> str:
        """Why accepting its report does not publish it ("" when it does): publishing's condition asks this
        (workflow.models.reports.published_when_accepted)."""
        if self.confidential:
            return "The assessment is confidential, so its report is never published."
        if not self.type.published:
            return f"A {self.type.name.lower()}’s report is never published."
        return ""

    @staticmethod
    def label_stage(phase: str, stage_suffix: str) -> str:
        """The stage as published reports name it: "Alpha", "Alpha reassessment", "Beta amber evidence review"."""
        label = Phase(phase).label if phase in Phase.values else str(phase)
        return f"{label} {stage_suffix}" if stage_suffix else label

    @staticmethod
    def name_stage(phase: str, stage_suffix: str) -> str:
        """The assessment as a sentence names it: "Alpha assessment", "Alpha reassessment" (never "Alpha
        reassessment assessment")."""
        label = Assessment.label_stage(phase, stage_suffix)
        return label if stage_suffix else f"{label} assessment"

    @property
    def stage_label(self) -> str:
        return self.label_stage(self.phase, self.type.stage_suffix)

    @property
    def stage_name(self) -> str:
        """Write "{{ assessment.stage_name }}", not "{{ assessment.stage_label }} assessment"."""
        return self.name_stage(self.phase, self.type.stage_suffix)

    def clean(self):
        self._clean_confidential()
        self._clean_type()
        earlier = self.follows
        if earlier is None:
            return
        if self.must_be_confidential and not self.confidential:
            raise ValidationError(
                {"confidential": "An assessment that follows a confidential assessment must be confidential too."}
            )
        if earlier.pk == self.pk:
            raise ValidationError({"follows": "An assessment cannot follow itself."})
        if earlier.service_id != self.service_id:
            raise ValidationError({"follows": "An assessment can only follow an assessment of the same service."})
        if self.date and earlier.date and earlier.date >= self.date:
            raise ValidationError({"follows": "An assessment must come after the assessment it follows."})

    def _clean_type(self):
        kind = self.type if self.type_id else None
        if kind is None:
            return
        if kind.follows_an_assessment and self.follows is None:
            raise ValidationError(
                {"follows": f"Choose the assessment whose {kind.scope} points this {kind.name.lower()} looks at."}
            )
        if not kind.follows_an_assessment and self.follows is not None:
            raise ValidationError({"follows": f"A {kind.name.lower()} does not follow an earlier assessment."})
        self._clean_points_chosen(kind)
        report = getattr(self, "report", None) if self.pk else None
        if report is not None and Assessment.objects.filter(pk=self.pk).exclude(type=kind).exists():
            raise ValidationError({"type": "The report has been started with this type’s points, so it cannot change."})

    def _clean_points_chosen(self, kind: AssessmentType):
        if kind.scope != PointsInScope.CHOSEN:
            if self.points_chosen:
                raise ValidationError(
                    {"points_chosen": f"A {kind.name.lower()} covers its own points: leave this empty."}
                )
            return
        if not self.points_chosen:
            raise ValidationError({"points_chosen": f"Enter the points this {kind.name.lower()} covers."})
        standard = self.standard if self.standard_id else self.standard_to_use()
        numbers = set(standard.points.values_list("number", flat=True))
        unknown = [number for number in self.points_chosen if number not in numbers]
        if unknown:
            listed = ", ".join(str(number) for number in unknown)
            raise ValidationError(
                {
                    "points_chosen": f"The {standard} has no point {listed}: it has points 1 to {max(numbers, default=0)}."
                }
            )

    @property
    def must_be_confidential(self) -> bool:
        """A follow-up of a confidential assessment: its published report would name the stage ("Alpha
        reassessment") and the points the confidential one rated red or amber."""
        return self.follows is not None and self.follows.confidential

    def _clean_confidential(self):
        # Accepting publishes a report that is not confidential, and ends a confidential one's process: after that,
        # changing it would neither publish nor withdraw the report, only make the record untrue.
        if self.pk is None:
            return
        before = Assessment.objects.filter(pk=self.pk).values_list("confidential", flat=True).first()
        report = getattr(self, "report", None)
        changed = before is not None and before != self.confidential
        if changed and report is not None and report.status in ReportStatus.accepted_by_delivery_team():
            raise ValidationError(
                {
                    "confidential": "The delivery team has accepted the report, so whether the assessment is "
                    "confidential can no longer change."
                }
            )

    @property
    def lead_assessor(self):
        member = self.panel_members.filter(role=PanelRole.LEAD).select_related("user").first()
        return member.user if member else None


class PanelMember(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="panel_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    role = models.CharField(max_length=20, choices=PanelRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "role"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="one_seat_per_person_per_panel"),
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(role="lead"), name="one_lead_assessor_per_panel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"

    def clean(self):
        # An assessor must not judge a service their own team delivers.
        if (
            self.user_id
            and self.assessment_id
            and DeliveryTeamMember.objects.filter(user_id=self.user_id, service_id=self.assessment.service_id).exists()
        ):
            raise ValidationError(
                {"user": "This person is on the service's delivery team, so cannot sit on its panel."}
            )


class DeliveryTeamMember(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delivery_teams")
    role = models.CharField(max_length=20, choices=DeliveryTeamRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "role"]
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="one_role_per_person_per_service"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()}, {self.service})"

    def clean(self):
        # The mirror of PanelMember.clean: nobody answers for a team whose report they wrote.
        if (
            self.user_id
            and self.service_id
            and PanelMember.objects.filter(user_id=self.user_id, assessment__service_id=self.service_id).exists()
        ):
            raise ValidationError(
                {"user": "This person sits on a panel assessing this service, so cannot join its team."}
            )
