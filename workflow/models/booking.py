"""A delivery team's request for an assessment of one of the assessment types (a service assessment, a
reassessment of its red points, an amber evidence review), and the service assessment team's answer: accepted
(with a date and a panel, which makes the assessment) or rejected with a reason.
Change it only through workflow.services.booking."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .assessments import Assessment, Service
from .choices import Phase


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class BookingRequest(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="booking_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booking_requests"
    )
    type = models.ForeignKey("cms.AssessmentType", on_delete=models.PROTECT, related_name="booking_requests")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    follows = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_requests",
        help_text="The assessment whose red or amber points are to be looked at again.",
    )
    preferred_dates = models.TextField(blank=True, help_text="Dates or weeks that suit the team.")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the request was rejected.")
    assessment = models.OneToOneField(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "assessment booking request"

    def __str__(self) -> str:
        return f"{self.type} of {self.service} ({self.get_phase_display()}), {self.get_status_display().lower()}"
