"""Every existing report keeps the questions of its type's form, which is the form of the four questions reports have
always asked (cms 0007): it reads, checks and submits as before. The hints of those four move from the report form's
help texts, as the team last wrote them, to the questions of that form."""

from django.db import migrations

DEFAULT_FORM = "Service assessment report"
HINTS = ("service_description", "service_users", "done_well", "to_improve")


def _raw(stream) -> list[dict]:
    return [{**item, "value": dict(item["value"])} for item in stream.raw_data]


def _snapshot(form) -> dict:
    # As cms.models.ReportForm.snapshot made it when this was written.
    def question(item):
        value = item["value"]
        options = [line.strip() for line in (value.get("choices") or "").splitlines() if line.strip()]
        return {
            "id": item["id"],
            "label": value["label"],
            "hint": value.get("hint") or "",
            "kind": value["kind"],
            "choices": options if value["kind"] == "choice" else [],
            "required": bool(value.get("required")),
            "published": bool(value.get("published")),
            "stored_in": value.get("stored_in") or "",
        }

    return {
        "report": [question(item) for item in _raw(form.report_questions)],
        "point": [question(item) for item in _raw(form.point_questions)],
    }


def forward(apps, schema_editor):
    ReportForm = apps.get_model("cms", "ReportForm")
    AssessmentType = apps.get_model("cms", "AssessmentType")
    ReportPage = apps.get_model("workflow", "ReportPage")
    texts = apps.get_model("workflow", "ReportFormHelpTexts").objects.order_by("pk").first()

    form = ReportForm.objects.filter(name=DEFAULT_FORM).first()
    if form is not None and texts is not None:
        report_questions, point_questions = _raw(form.report_questions), _raw(form.point_questions)
        for item in report_questions + point_questions:
            column = item["value"].get("stored_in")
            if column in HINTS:
                item["value"]["hint"] = getattr(texts, column)
        form.report_questions, form.point_questions = report_questions, point_questions
        form.save()

    for kind in AssessmentType.objects.select_related("report_form"):
        ReportPage.objects.filter(assessment__type=kind).update(questions=_snapshot(kind.report_form))


def backward(apps, schema_editor):
    # The hints go back to the help texts, as the team last wrote them; the reports' questions go with their column.
    form = apps.get_model("cms", "ReportForm").objects.filter(name=DEFAULT_FORM).first()
    if form is None:
        return
    HelpTexts = apps.get_model("workflow", "ReportFormHelpTexts")
    # The settings row is made on first use (BaseGenericSetting.load), so there may be none yet.
    texts = HelpTexts.objects.order_by("pk").first() or HelpTexts()
    for item in _raw(form.report_questions) + _raw(form.point_questions):
        column = item["value"].get("stored_in")
        if column in HINTS:
            setattr(texts, column, item["value"].get("hint") or "")
    texts.save()


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0009_report_forms'),
        ('workflow', '0016_report_questions'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(
            model_name='reportformhelptexts',
            name='done_well',
        ),
        migrations.RemoveField(
            model_name='reportformhelptexts',
            name='service_description',
        ),
        migrations.RemoveField(
            model_name='reportformhelptexts',
            name='service_users',
        ),
        migrations.RemoveField(
            model_name='reportformhelptexts',
            name='to_improve',
        ),
    ]
