# Each email's report becomes its subject, and its status change the event key that workflow.emails writes
# ("status-change:<id>"), so that the emails of a status change are found again after the move.

from django.db import migrations, models
from django.db.models.functions import Cast, Concat

EVENT_PREFIX = "status-change:"


def to_generic(apps, schema_editor):
    OutboxEmail = apps.get_model("notify", "OutboxEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    emails = OutboxEmail.objects.using(db)
    if emails.filter(report__isnull=False).exists():
        report_type, _ = ContentType.objects.using(db).get_or_create(app_label="workflow", model="reportpage")
        emails.filter(report__isnull=False).update(
            subject_type=report_type, subject_id=Cast("report_id", models.CharField(max_length=64))
        )
    emails.filter(status_change__isnull=False).update(
        event=Concat(models.Value(EVENT_PREFIX), Cast("status_change_id", models.CharField(max_length=200)))
    )


def to_report_links(apps, schema_editor):
    OutboxEmail = apps.get_model("notify", "OutboxEmail")
    db = schema_editor.connection.alias
    about = models.Q(subject_type__app_label="workflow", subject_type__model="reportpage", subject_id__isnull=False)
    for email in OutboxEmail.objects.using(db).filter(about | models.Q(event__startswith=EVENT_PREFIX)).iterator():
        if email.subject_id and email.subject_type and email.subject_type.model == "reportpage":
            email.report_id = int(email.subject_id)
        if email.event.startswith(EVENT_PREFIX):
            email.status_change_id = int(email.event.removeprefix(EVENT_PREFIX))
        email.save(update_fields=["report", "status_change"])


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0002_subject_and_event'),
    ]

    operations = [
        migrations.RunPython(to_generic, to_report_links),
    ]
