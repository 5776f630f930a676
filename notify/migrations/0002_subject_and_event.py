# notify knows nothing of reports: an email's link to a report becomes a generic subject, and its link to a status
# change the key of the event that caused it. Added here, filled in by 0003, the old links removed by 0004: apart,
# because PostgreSQL alters no table with row changes still waiting on deferred constraints in the same transaction.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notify', '0001_initial'),
        ('workflow', '0009_outbox_moves_to_notify'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxemail',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='outboxemail',
            name='subject_id',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='outboxemail',
            name='event',
            field=models.CharField(blank=True, db_index=True, default='', max_length=200),
            preserve_default=False,
        ),
    ]
