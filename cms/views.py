"""The server error page, which tells the database going away from every other fault.

Django calls `handler500` inside its `except` block, so `sys.exc_info()` is the error being handled. When the
database has gone away (a restart, a failover, a dropped connection) every transaction in flight rolled back,
so the page can say plainly that nothing was saved and that trying again will work once it is back: 503, not
500. Anything else is a fault in the service itself and gets the ordinary 500 page."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

# How long to suggest waiting: long enough for a database restart or failover, short enough to retry by hand.
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the database going away caused this error, however it was wrapped on the way up."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name=template_name)
    # Rendered without the request, as Django renders its own 500 page: the context processors would read the
    # session, the user and their messages from the database that has just gone away.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A proxy or browser must not keep this answer in place of the page once the database is back.
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason: str = ""):
    """A form refused by the CSRF check: say what happened and what to do, never Django's developer page."""
    response = render(request, "403_csrf.html", status=403)
    response["Cache-Control"] = "no-store"
    return response
