"""Admin forms for the content the team edits, with the rules the models alone cannot see."""

from wagtail.admin.forms import WagtailAdminModelForm


class ServiceStandardForm(WagtailAdminModelForm):
    """A version that assessments use keeps its points: their reports count by its numbers, and a follow-up
    looks again at the points it names. Titles and guidance may still be put right; anything more is a new
    version."""

    def clean(self):
        cleaned = super().clean()
        standard = self.instance
        if standard.pk is None or not standard.assessments.exists():
            return cleaned
        if cleaned.get("status") != standard.status:
            self.add_error("status", "Assessments use this version, so it stays published. Add a new version instead.")
        points = self.formsets["points"]
        if points.is_valid():
            numbers = sorted(
                form.cleaned_data["number"]
                for form in points.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            )
            if numbers != sorted(standard.points.values_list("number", flat=True)):
                self.add_error(
                    None,
                    "Assessments use this version, so its points cannot be added, removed or renumbered. "
                    "Add a new version of the standard instead.",
                )
        return cleaned
