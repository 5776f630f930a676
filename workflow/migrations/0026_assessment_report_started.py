from django.db import migrations, models


def mark_started(apps, schema_editor):
    Assessment = apps.get_model("workflow", "Assessment")
    ReportPage = apps.get_model("workflow", "ReportPage")
    Assessment.objects.filter(pk__in=ReportPage.objects.values("assessment_id")).update(report_started=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_report_form_required"),
        ("workflow", "0025_indexes_for_lists_at_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="report_started",
            field=models.BooleanField(default=False, editable=False),
        ),
        # Every assessment with a report has started it; unmarking is not needed to go back, the column goes.
        migrations.RunPython(mark_started, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("report_started", False)), fields=["date"], name="assessment_report_not_started"
            ),
        ),
    ]
