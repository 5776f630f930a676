"""Sign-in links: anyone with an account can sign in with a one-time link sent by email, so delivery teams
and assessors need no password. Staff may still use their passwords at /sign-in/ and /admin/.

- /sign-in/link/: asks for an email address, and always answers the same way ("if there is an account
  for that address, we've sent a link"), so nobody learns who has an account. Five requests for one address
  from one client address within an hour, then django-axes' lockout page (429) and no more emails until the hour
  is up: the form cannot be used to flood someone's inbox.
- /sign-in/link/<token>/: the link in the email (django-sesame: works once, for 15 minutes). Opening it
  shows a "Sign in" button; only pressing it (a POST) uses the link up, so an email scanner that opens
  links does not burn it.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from sesame.backends import ModelBackend as SesameBackend

from workflow.forms.base import WithoutNullCharactersForm
from workflow.services.signin import sign_in_links_send


class SignInLinkForm(WithoutNullCharactersForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request):
    # Bound on every POST, even an empty one, so that a post without fields is told what is missing.
    form = SignInLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": _link_request_key(form.cleaned_data["email"])}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        sign_in_links_send(address=form.cleaned_data["email"])
        # Counted as a failed sign-in under the link-request key, so that django-axes limits link requests as it
        # does wrong passwords: AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME, per email and client address.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        # The limit applies from the next request: this link has been sent, so say so rather than "locked out".
        request.axes_locked_out = False
        return redirect("signin:link_sent")
    return render(request, "workflow/signin/request_link.html", {"form": form})


# Link requests are counted apart from passwords: a username may be an email address (the team creates accounts in
# the Wagtail admin, which takes any username), and with one count a person's own link requests would lock their
# password out, and the password lockout page's "get a sign-in link by email instead" would lock them out again. No
# username can clash with the key: Django's username rule allows neither a space nor a colon. The key is cut to the
# length django-axes stores (an address may be 254 characters long).
LINK_REQUEST_KEY = "sign-in link: {address}"
AXES_USERNAME_LENGTH = 255


def _link_request_key(address: str) -> str:
    return LINK_REQUEST_KEY.format(address=address.strip().lower())[:AXES_USERNAME_LENGTH]


@never_cache
def link_sent(request):
    return render(request, "workflow/signin/link_sent.html", {"minutes": settings.SESAME_MAX_AGE // 60})


@never_cache
@require_http_methods(["GET", "POST"])
def use_link(request, token: str):
    if request.method == "GET":
        # Check the link without using it up.
        user = _link_user(token)
        template = "workflow/signin/use_link.html" if user else "workflow/signin/link_expired.html"
        return _private(render(request, template, {"minutes": settings.SESAME_MAX_AGE // 60}))
    with transaction.atomic():
        user = _link_user(token)
        # One use only, even for two presses at once: the token is tied to the last sign-in time, and only
        # the request that moves it on may sign in.
        if user is None or not get_user_model().objects.filter(pk=user.pk, last_login=user.last_login).update(
            last_login=timezone.now()
        ):
            return _private(render(request, "workflow/signin/link_expired.html", status=200))
        login(request, user, backend=SESAME_BACKEND)
    return redirect(settings.LOGIN_REDIRECT_URL)


SESAME_BACKEND = "sesame.backends.ModelBackend"


def _link_user(token: str):
    """The active person a link's token was made for, or None. Asked of django-sesame's backend alone: the token
    is checked by its signature, so it needs none of the lockout that django-axes (first in
    AUTHENTICATION_BACKENDS) puts on passwords, and axes cannot tell one person's old links from another's behind
    one office address. Through authenticate() without a request, axes refuses every link with an exception."""
    return SesameBackend().authenticate(None, sesame=token)


def _private(response):
    # The token is in this page's URL: never send it to another site as a referrer. "same-origin", not
    # "no-referrer": under no-referrer the browser sends `Origin: null` with the page's own "Sign in" form, and
    # Django's CSRF check rightly refuses a form from a null origin.
    response["Referrer-Policy"] = "same-origin"
    return response


urlpatterns = [
    path("link/", request_link, name="request_link"),
    path("link/sent/", link_sent, name="link_sent"),
    path("link/<str:token>/", use_link, name="use_link"),
]
