"""What the project's admin views share, whichever app's models they show."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.urls import reverse


class RefusingProtectedDelete:
    """For a Wagtail delete view. Wagtail knows that other rows protect an object from its reference index, which
    misses rows written outside the admin (migrations, seed_demo, the report process, a shell). The database's own
    refusal is the last word: show it as a message, with nothing deleted, rather than a server error."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            kinds = sorted({str(row._meta.verbose_name_plural) for row in blocking})
            messages.error(
                self.request,
                f"“{self.object}” was not deleted: {', '.join(kinds) or 'other records'} still refer to it. "
                "Delete or move those first.",
            )
            return redirect(reverse(self.index_url_name))
