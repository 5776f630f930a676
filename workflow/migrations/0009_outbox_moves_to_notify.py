# The outbox and the Notify template ids are notify's now (notify 0001 took them over, tables and rows included):
# workflow forgets them without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0008_remove_feedback_survey_url'),
        ('notify', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='OutboxEmail'),
                migrations.DeleteModel(name='NotifyTemplates'),
            ],
        ),
    ]
