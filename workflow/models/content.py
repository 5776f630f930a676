"""Words of the report form's fixed core (the ratings and the actions) that the service assessment team edits in the
Wagtail admin, without a deploy. The questions' own hints are in each report form (cms.models.ReportForm)."""

from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting

from workflow import deadlines


def _hint(default: str, label: str) -> models.TextField:
    return models.TextField(label, default=default, blank=True, max_length=500)


@register_setting(icon="help", name="report-form-help-texts")
class ReportFormHelpTexts(BaseGenericSetting):
    rating_green = _hint("The service meets this point of the Standard. Green points have no actions.", "green rating")
    rating_amber = _hint(
        "The service can move to the next phase, but the team must address the actions within "
        f"{deadlines.AMBER_ACTIONS_WITHIN_MONTHS} months.",
        "amber rating",
    )
    rating_red = _hint(
        "The service must pause, address the actions and be reassessed against this point.", "red rating"
    )
    action = _hint("Say what the team should do and how it will show it has been done.", "an action")

    class Meta:
        verbose_name = "report form help texts"

    def rating_hints(self) -> dict[str, str]:
        return {"green": self.rating_green, "amber": self.rating_amber, "red": self.rating_red}
