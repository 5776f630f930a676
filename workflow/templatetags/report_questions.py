"""A report's questions with their answers, in the report's own order and words (workflow.questions):

    {% load report_questions %}
    {% report_answers report as answers %}                    the report's own questions, answered on the report
    {% report_answers report row=form.current as answers %}   … answered on another copy of it (someone else's save)
    {% point_answers report rating as answers %}              the point questions, answered on one point
    {% point_answers report rating public=True as answers %}  only the published ones, for the public

Each answer has `question` (its `label`, `kind`, …) and `words`: the answer as people read it, to escape as any text."""

from django import template

from workflow import questions

register = template.Library()


@register.simple_tag
def report_answers(report, row=None, public=False) -> list[questions.Answer]:
    return questions.answers(report, questions.REPORT, row, published_only=bool(public))


@register.simple_tag
def point_answers(report, rating, public=False) -> list[questions.Answer]:
    return questions.answers(report, questions.POINT, rating, published_only=bool(public))
