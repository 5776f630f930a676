from django.conf import settings
from django.db import models


class RoleChange(models.Model):
    """One row each time someone's access changes: a group joined or left, or the superuser, staff or active flag
    turned on or off. Written by workflow.services.people whatever made the change (the admin, a bulk action, a
    command), so the audit view can answer "who gave this person that role, and when?"."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="role_changes"
    )
    # Kept apart from the person: the row still says whom it was about if the account is ever deleted.
    person_name = models.CharField(max_length=300)
    role = models.CharField(max_length=150)
    from_value = models.CharField("from", max_length=20)
    to_value = models.CharField("to", max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        permissions = [
            (
                "manage_people",
                "Can invite people, deactivate them and give them the roles of the report process",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.role} {self.from_value} → {self.to_value}"
