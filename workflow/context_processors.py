"""The process's figures for every template, so a page says "within 7 days" by asking `workflow.deadlines`, never by
typing the number: `{{ deadlines.SHARE_WITHIN_DAYS }}`."""

from workflow import deadlines as _deadlines

FIGURES = _deadlines.figures()


def deadlines(request):
    return {"deadlines": FIGURES}
