"""The thread of an action after its report is accepted: what the delivery team did and its evidence, its asking for
a review, and the review's answer (accepted, which closed the action, or more needed). Shown in order under the
action; written only through workflow.services.actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cms.text import shorten

from .reports import ReportAction

# Long enough for a paragraph of evidence with a few links; anything longer belongs in the linked documents.
TEXT_LIMIT = 5_000


class ActionUpdateKind(models.TextChoices):
    PROGRESS = "progress", "Progress"
    READY_FOR_REVIEW = "ready_for_review", "Ready for review"
    ACCEPTED = "accepted", "Accepted"
    MORE_NEEDED = "more_needed", "More needed"

    @classmethod
    def reviews(cls) -> list[str]:
        return [cls.ACCEPTED, cls.MORE_NEEDED]


class ActionUpdate(models.Model):
    action = models.ForeignKey(ReportAction, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=ActionUpdateKind.choices)
    # The team's words (what was done, the evidence, links as plain addresses), or the reviewer's comment: blank only
    # for an acceptance without one.
    text = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Not auto_now_add, so that the demo's story can record its steps when they happened.
    at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {shorten(self.text, 80)}" if self.text else label

    @property
    def is_review(self) -> bool:
        return self.kind in ActionUpdateKind.reviews()

    @property
    def by_name(self) -> str:
        return self.by.get_full_name() or self.by.get_username()
