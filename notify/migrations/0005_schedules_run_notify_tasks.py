# The sending tasks moved from workflow.tasks to notify.tasks: a schedule still naming the old path would fail on
# every run until `setup_schedules` is run again, so the schedules are pointed at the new one here.

from django.db import migrations

MOVED_TASKS = {
    "workflow.tasks.send_due_emails": "notify.tasks.send_due_emails",
    "workflow.tasks.send_outbox_emails": "notify.tasks.send_outbox_emails",
}


def rename(apps, schema_editor, moves=MOVED_TASKS):
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in moves.items():
        Schedule.objects.using(schema_editor.connection.alias).filter(func=old).update(func=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, moves={new: old for old, new in MOVED_TASKS.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('django_q', '0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more'),
        ('notify', '0004_remove_report_links'),
    ]

    operations = [
        migrations.RunPython(rename, rename_back),
    ]
