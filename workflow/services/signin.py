"""Sending sign-in links (workflow.views.signin asks for them; emails.sign_in_email says what they hold)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from sesame.utils import get_token

from notify import outbox
from workflow import emails


@transaction.atomic
def sign_in_links_send(*, address: str) -> None:
    """Queue a sign-in link for each active account with this address; none if there is none."""
    for user in get_user_model().objects.filter(email__iexact=address.strip(), is_active=True).order_by("pk"):
        link = emails.absolute(reverse("signin:use_link", args=[get_token(user)]))
        outbox.enqueue(outbox.write(emails.sign_in_email(user, link)))
