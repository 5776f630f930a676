"""A delivery team's request, after accepting its report, for follow-up support from the panel (a call or a workshop)
about named actions of the report, and its outcome: arranged (how and when) or declined (why), recorded by the lead
assessor or the service assessment team. Change it only through workflow.services.follow_ups."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cms.text import shorten

from .reports import ReportAction, ReportPage

DETAILS_LIMIT = 2_000
OUTCOME_LIMIT = 2_000


class FollowUpSupport(models.TextChoices):
    CALL = "call", "A follow-up call"
    WORKSHOP = "workshop", "A workshop"


class FollowUpStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ARRANGED = "arranged", "Arranged"
    DECLINED = "declined", "Declined"


class FollowUpRequest(models.Model):
    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="follow_up_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    support = models.CharField(max_length=20, choices=FollowUpSupport.choices)
    actions = models.ManyToManyField(ReportAction, related_name="follow_up_requests")
    details = models.TextField(max_length=DETAILS_LIMIT)
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.REQUESTED)
    # How and when it is arranged, or why it was declined.
    outcome = models.TextField(blank=True, max_length=OUTCOME_LIMIT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_support_display()}: {shorten(self.details, 60)}"

    @property
    def is_decided(self) -> bool:
        return self.status != FollowUpStatus.REQUESTED
