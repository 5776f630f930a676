# The outbox no longer links to reports or status changes (0003 copied the links), and its tables take notify's
# names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0003_subject_and_event_from_report_links'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='outboxemail',
            name='report',
        ),
        migrations.RemoveField(
            model_name='outboxemail',
            name='status_change',
        ),
        migrations.AlterModelTable(
            name='notifytemplates',
            table=None,
        ),
        migrations.AlterModelTable(
            name='outboxemail',
            table=None,
        ),
    ]
