"""What the service assessment team sets in the Wagtail admin, without a deploy: the words of the report form's
fixed core (the ratings and the actions) and the figures of the process's deadlines. The questions' own hints are in
each report form (cms.models.ReportForm)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting

from cms import figures
from workflow import deadlines


def _hint(default: str, label: str) -> models.TextField:
    return models.TextField(label, default=default, blank=True, max_length=500, help_text=figures.HELP_TEXT)


@register_setting(icon="help", name="report-form-help-texts")
class ReportFormHelpTexts(BaseGenericSetting):
    rating_green = _hint("The service meets this point of the Standard. Green points have no actions.", "green rating")
    rating_amber = _hint(
        "The service can move to the next phase, but the team must address the actions within "
        "{AMBER_ACTIONS_WITHIN_MONTHS} months.",
        "amber rating",
    )
    rating_red = _hint(
        "The service must pause, address the actions and be reassessed against this point.", "red rating"
    )
    action = _hint("Say what the team should do and how it will show it has been done.", "an action")

    class Meta:
        verbose_name = "report form help texts"

    def shown(self) -> dict[str, str]:
        """Each text by its field's name as the report form shows it, with the policy figures in force."""
        figures_in_force = deadlines.in_force().by_name()
        return {
            field.name: figures.fill(getattr(self, field.name), figures_in_force)
            for field in self._meta.fields
            if isinstance(field, models.TextField)
        }


def _figure(label: str, default: int, most: int, unit: str, help_text: str) -> models.SmallIntegerField:
    message = f"Enter a whole number of {unit} from 1 to {most}"
    # Not a PositiveSmallIntegerField: its form field refuses a negative number with a message of Django's own, before
    # these validators can say the range.
    return models.SmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1, message), MaxValueValidator(most, message)],
        help_text=help_text,
    )


@register_setting(icon="date", name="policy-figures")
class PolicyFigures(BaseGenericSetting):
    """The figures of workflow.deadlines. Each deadline stores the figures in force when its clock started, so a
    change here applies to clocks started after it."""

    share_within_days = _figure(
        "Days to share a report",
        deadlines.DEFAULTS.share_within_days,
        60,
        "days",
        "Calendar days after the assessment by which the report is shared with the delivery team. A change applies to "
        "assessments booked after it. In guidance: {SHARE_WITHIN_DAYS}.",
    )
    respond_within_working_days = _figure(
        "Working days to respond",
        deadlines.DEFAULTS.respond_within_working_days,
        60,
        "working days",
        "Working days after sharing in which the product or delivery manager accepts or challenges the report. A "
        "change applies to reports shared after it. In guidance: {RESPOND_WITHIN_WORKING_DAYS}.",
    )
    response_reminder_working_days_before = _figure(
        "Working days before the response deadline to remind the delivery team",
        deadlines.DEFAULTS.response_reminder_working_days_before,
        59,
        "working days",
        "A change applies to reports shared after it. In guidance: {RESPONSE_REMINDER_WORKING_DAYS_BEFORE}.",
    )
    amber_actions_within_months = _figure(
        "Months to complete amber actions",
        deadlines.DEFAULTS.amber_actions_within_months,
        24,
        "months",
        "Calendar months after the delivery team accepts the report when its amber actions are due. A change applies "
        "to reports accepted after it. In guidance: {AMBER_ACTIONS_WITHIN_MONTHS}.",
    )
    amber_actions_reminder_days_before = _figure(
        "Days before amber actions are due to remind the delivery team",
        deadlines.DEFAULTS.amber_actions_reminder_days_before,
        60,
        "days",
        "A change applies to reports accepted after it. In guidance: {AMBER_ACTIONS_REMINDER_DAYS_BEFORE}.",
    )

    class Meta:
        verbose_name = "policy figures"
        verbose_name_plural = "policy figures"

    def clean(self):
        # A reminder before its clock starts would go out with the event it is about, or never.
        errors = {}
        if self.response_reminder_working_days_before >= self.respond_within_working_days:
            errors["response_reminder_working_days_before"] = (
                "Enter fewer working days than the delivery team has to respond, so the reminder comes after sharing"
            )
        shortest = 28 * self.amber_actions_within_months  # no month is shorter than 28 days
        if self.amber_actions_reminder_days_before >= shortest:
            errors["amber_actions_reminder_days_before"] = (
                f"Enter fewer than {shortest} days, so the reminder comes after the report is accepted"
            )
        if errors:
            raise ValidationError(errors)
