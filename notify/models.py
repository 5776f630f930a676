"""The email outbox and the Notify template ids.

Every email is first a row here, written in the same transaction as the event that causes it, then
sent by a django-q2 task after commit (notify.outbox). The row's id is Notify's `reference`.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting

from . import kinds


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent to Notify"
    FAILED = "failed", "Failed"
    # Notify's delivery receipts
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Permanent failure"
    TEMPORARY_FAILURE = "temporary-failure", "Temporary failure"
    TECHNICAL_FAILURE = "technical-failure", "Technical failure"

    @classmethod
    def receipts(cls) -> list[str]:
        return [cls.DELIVERED, cls.PERMANENT_FAILURE, cls.TEMPORARY_FAILURE, cls.TECHNICAL_FAILURE]

    @classmethod
    def resendable(cls) -> list[str]:
        return [cls.FAILED, cls.PERMANENT_FAILURE, cls.TEMPORARY_FAILURE, cls.TECHNICAL_FAILURE]


class OutboxEmailQuerySet(models.QuerySet):
    def failed(self) -> "OutboxEmailQuerySet":
        """Emails Notify did not deliver, which may be resent. The one rule behind the outbox's "Failed, to resend"
        list, the admin dashboard's count of failed emails and the workflow's "Your actions"."""
        return self.filter(status__in=OutboxStatus.resendable())


class OutboxEmail(models.Model):
    # Sent to Notify as the notification's `reference`, so an email can be looked up after a timeout.
    id = models.UUIDField("reference", primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40, choices=kinds.choices())
    template_id = models.CharField(
        "Notify template id", max_length=36, blank=True, help_text="Taken from the settings when queued."
    )
    email_address = models.EmailField(max_length=254)
    personalisation = models.JSONField(default=dict, blank=True)
    # The same key twice inserts nothing: an event handled twice, or a schedule run twice, sends once.
    idempotency_key = models.CharField(max_length=500, unique=True)
    status = models.CharField(max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField("next attempt", null=True, blank=True)
    # Set after an attempt that may have reached Notify without an answer: look the reference up first.
    lookup_needed = models.BooleanField(default=False)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    notify_id = models.UUIDField("Notify id", null=True, blank=True)
    # What the email is about (a report, say), for the outbox to show and link. Generic, so that the outbox
    # depends on no model of the apps that send email; once the subject is deleted, it reads as None.
    subject_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # The sender's own key for the event that caused the email (e.g. "status-change:123"), to find its emails again.
    event = models.CharField(max_length=200, blank=True, db_index=True)
    resent_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField("delivery receipt at", null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "email"
        verbose_name_plural = "email outbox"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        permissions = [("resend_outboxemail", "Can resend a failed email")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email_address}"

    @property
    def is_secret(self) -> bool:
        return self.kind in kinds.SECRET_KINDS

    @property
    def can_resend(self) -> bool:
        return self.status in OutboxStatus.resendable() and not self.is_secret


def _template_field(kind: kinds.EmailKind) -> models.CharField:
    return models.CharField(kind.name, max_length=36, blank=True)


def _description(kind: kinds.EmailKind) -> str:
    personalisation = ", ".join(f"(({name}))" for name in kind.personalisation)
    return f"Sent to {kind.to} when {kind.when}. Personalisation: {personalisation}."


@register_setting(icon="mail")
class NotifyTemplates(BaseGenericSetting):
    """The GOV.UK Notify template of each email. A change applies to emails queued after it."""

    report_submitted = _template_field(kinds.KINDS[kinds.REPORT_SUBMITTED])
    report_returned = _template_field(kinds.KINDS[kinds.REPORT_RETURNED])
    report_shared = _template_field(kinds.KINDS[kinds.REPORT_SHARED])
    response_reminder = _template_field(kinds.KINDS[kinds.RESPONSE_REMINDER])
    response_overdue = _template_field(kinds.KINDS[kinds.RESPONSE_OVERDUE])
    report_not_shared = _template_field(kinds.KINDS[kinds.REPORT_NOT_SHARED])
    challenge_received = _template_field(kinds.KINDS[kinds.CHALLENGE_RECEIVED])
    report_published = _template_field(kinds.KINDS[kinds.REPORT_PUBLISHED])
    report_accepted_unpublished = _template_field(kinds.KINDS[kinds.REPORT_ACCEPTED_UNPUBLISHED])
    feedback_request = _template_field(kinds.KINDS[kinds.FEEDBACK_REQUEST])
    amber_actions_due = _template_field(kinds.KINDS[kinds.AMBER_ACTIONS_DUE])
    amber_actions_overdue = _template_field(kinds.KINDS[kinds.AMBER_ACTIONS_OVERDUE])
    reassessment_needed = _template_field(kinds.KINDS[kinds.REASSESSMENT_NEEDED])
    booking_received = _template_field(kinds.KINDS[kinds.BOOKING_RECEIVED])
    booking_accepted = _template_field(kinds.KINDS[kinds.BOOKING_ACCEPTED])
    booking_rejected = _template_field(kinds.KINDS[kinds.BOOKING_REJECTED])
    panel_appointed = _template_field(kinds.KINDS[kinds.PANEL_APPOINTED])
    clarification_asked = _template_field(kinds.KINDS[kinds.CLARIFICATION_ASKED])
    clarification_answered = _template_field(kinds.KINDS[kinds.CLARIFICATION_ANSWERED])
    meeting_invitation = _template_field(kinds.KINDS[kinds.MEETING_INVITATION])
    meeting_changed = _template_field(kinds.KINDS[kinds.MEETING_CHANGED])
    challenge_resolved = _template_field(kinds.KINDS[kinds.CHALLENGE_RESOLVED])
    follow_up_requested = _template_field(kinds.KINDS[kinds.FOLLOW_UP_REQUESTED])
    follow_up_answered = _template_field(kinds.KINDS[kinds.FOLLOW_UP_ANSWERED])
    report_corrected = _template_field(kinds.KINDS[kinds.REPORT_CORRECTED])
    report_withdrawn = _template_field(kinds.KINDS[kinds.REPORT_WITHDRAWN])
    action_ready_for_review = _template_field(kinds.KINDS[kinds.ACTION_READY_FOR_REVIEW])
    action_reviewed = _template_field(kinds.KINDS[kinds.ACTION_REVIEWED])
    sign_in_link = _template_field(kinds.KINDS[kinds.SIGN_IN_LINK])

    panels = [
        MultiFieldPanel(
            # The panel's help, not the field's: it says the figures in force (kinds.register_figures) each time the
            # page is shown, and a field's help text is written into migrations.
            [FieldPanel(key, help_text=lazy(_description, str)(kind)) for key, kind in kinds.KINDS.items()],
            heading="Template ids",
            help_text="Each template's id from GOV.UK Notify. Leave one blank to use this deployment's default.",
        ),
    ]

    class Meta:
        verbose_name = "Notify templates"

    @classmethod
    def current(cls) -> "NotifyTemplates":
        """The saved settings, or blank ones; never writes (it runs inside report transitions)."""
        return cls.objects.order_by("pk").first() or cls()

    def template_id(self, kind: str) -> str:
        return (getattr(self, kind, "") or "").strip() or settings.NOTIFY_TEMPLATE_IDS.get(kind, "")
