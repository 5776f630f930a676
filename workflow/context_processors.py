"""The process's figures for every template, as the team has set them now, so a page says "within 7 days" by asking
`workflow.deadlines`, never by typing the number: `{{ deadlines.SHARE_WITHIN_DAYS }}`."""

from django.utils.functional import SimpleLazyObject

from workflow import deadlines as _deadlines


def deadlines(request):
    # Lazy: only a page that shows a figure reads the setting, and then once for the whole request.
    return {"deadlines": SimpleLazyObject(lambda: _deadlines.in_force(request).by_name())}
