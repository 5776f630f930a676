"""A challenge's meeting and its outcome. The Service Assessment Plus team arranges a meeting for each challenge (a
report challenged twice has a meeting per challenge), with people from the panel and the delivery team, and after it
records what was decided and the changes agreed, which resolving the challenge sends to the delivery team."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .history import ReportStatusChange
from .reports import ReportPage

PLACE_MAX_LENGTH = 500
OUTCOME_MAX_LENGTH = 5000


class ChallengeMeeting(models.Model):
    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="challenge_meetings")
    # The CHALLENGE status change the meeting is about.
    challenge = models.OneToOneField(ReportStatusChange, on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=PLACE_MAX_LENGTH, help_text="A room, or the link to the call.")
    # Only the report's panel and its service's delivery team (workflow.services.challenges checks).
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Bumped by every change, so a change made on a stale page is refused.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["report", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"Challenge meeting for {self.report_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class ChallengeOutcome(models.Model):
    """What the panel and the team decided about a challenge, recorded as the Plus team resolves it (in the resolving
    transaction, so a refused resolve leaves none)."""

    challenge = models.OneToOneField(ReportStatusChange, on_delete=models.CASCADE, related_name="outcome")
    outcome = models.TextField()
    agreed_changes = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Outcome of challenge {self.challenge_id}"
