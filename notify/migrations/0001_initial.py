# The outbox and the Notify template ids move from workflow to notify, keeping their tables and rows: this records
# the models as notify's (state only, on workflow's tables), and workflow 0009 forgets them. notify 0002 then
# replaces the links to reports with generic ones and renames the tables.

import django.db.models.deletion
import uuid
from django.db import migrations, models

MOVED = ["outboxemail", "notifytemplates"]


def move_content_types(apps, schema_editor, source="workflow", target="notify"):
    """Permissions hang on content types: moving these (not making new ones) keeps every group's permissions."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="notify", target="workflow")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('workflow', '0008_remove_feedback_survey_url'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NotifyTemplates',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('report_submitted', models.CharField(blank=True, help_text='Sent to the service assessment team when the lead assessor submits a report, or the Service Assessment Plus team resolves a challenge. Personalisation: ((name)), ((service_name)), ((stage)), ((assessment_date)), ((lead_assessor)), ((report_link)).', max_length=36, verbose_name='Report ready to check')),
                        ('report_returned', models.CharField(blank=True, help_text='Sent to the lead assessor when the service assessment team returns a report. Personalisation: ((name)), ((service_name)), ((stage)), ((comment)), ((report_link)).', max_length=36, verbose_name='Report returned to the panel')),
                        ('report_shared', models.CharField(blank=True, help_text='Sent to the product manager, delivery manager and SRO when the service assessment team shares a report. Personalisation: ((name)), ((service_name)), ((stage)), ((assessment_date)), ((report_link)), ((response_deadline)).', max_length=36, verbose_name='Report shared with the team')),
                        ('response_reminder', models.CharField(blank=True, help_text='Sent to the product manager and delivery manager when daily schedule: 3 working days before the response deadline of a shared report. Personalisation: ((name)), ((service_name)), ((stage)), ((report_link)), ((response_deadline)).', max_length=36, verbose_name='Response reminder')),
                        ('response_overdue', models.CharField(blank=True, help_text='Sent to the service assessment team when daily schedule: the day after the response deadline, if the report is still waiting for a response. Personalisation: ((name)), ((service_name)), ((stage)), ((response_deadline)), ((report_link)).', max_length=36, verbose_name='Response overdue')),
                        ('report_not_shared', models.CharField(blank=True, help_text='Sent to the lead assessor and the service assessment team when daily schedule: 7 days after the assessment, if its report has not been shared. Personalisation: ((name)), ((service_name)), ((stage)), ((assessment_date)), ((share_deadline)), ((report_status)), ((report_link)).', max_length=36, verbose_name='Report not yet shared')),
                        ('challenge_received', models.CharField(blank=True, help_text='Sent to the Service Assessment Plus team when the product or delivery manager challenges a report. Personalisation: ((name)), ((service_name)), ((stage)), ((challenged_by)), ((reasons)), ((report_link)).', max_length=36, verbose_name='Challenge received')),
                        ('report_published', models.CharField(blank=True, help_text='Sent to the delivery team and the panel when the product or delivery manager accepts a report, which publishes it. Personalisation: ((name)), ((service_name)), ((stage)), ((overall_rating)), ((public_link)).', max_length=36, verbose_name='Report published')),
                        ('feedback_request', models.CharField(blank=True, help_text='Sent to the delivery team and the panel when daily schedule: the day after the assessment. Personalisation: ((name)), ((service_name)), ((stage)), ((assessment_date)), ((survey_link)).', max_length=36, verbose_name='Feedback request')),
                        ('amber_actions_due', models.CharField(blank=True, help_text='Sent to the delivery team when daily schedule: 2 weeks before open amber actions are due. Personalisation: ((name)), ((service_name)), ((stage)), ((due_date)), ((actions)), ((report_link)).', max_length=36, verbose_name='Amber actions due soon')),
                        ('amber_actions_overdue', models.CharField(blank=True, help_text='Sent to the delivery team when daily schedule: the day after open amber actions were due. Personalisation: ((name)), ((service_name)), ((stage)), ((due_date)), ((actions)), ((report_link)).', max_length=36, verbose_name='Amber actions overdue')),
                        ('reassessment_needed', models.CharField(blank=True, help_text='Sent to the delivery team when a report with any red point is published. Personalisation: ((name)), ((service_name)), ((stage)), ((red_points)), ((public_link)).', max_length=36, verbose_name='Reassessment needed')),
                        ('sign_in_link', models.CharField(blank=True, help_text='Sent to the person who asked, if they have an account when someone asks for a sign-in link at /sign-in/link/. Personalisation: ((name)), ((sign_in_link)), ((expires_in)).', max_length=36, verbose_name='Sign-in link')),
                    ],
                    options={
                        'verbose_name': 'Notify templates',
                        'db_table': 'workflow_notifytemplates',
                    },
                ),
                migrations.CreateModel(
                    name='OutboxEmail',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False, verbose_name='reference')),
                        ('kind', models.CharField(choices=[('report_submitted', 'Report ready to check'), ('report_returned', 'Report returned to the panel'), ('report_shared', 'Report shared with the team'), ('response_reminder', 'Response reminder'), ('response_overdue', 'Response overdue'), ('report_not_shared', 'Report not yet shared'), ('challenge_received', 'Challenge received'), ('report_published', 'Report published'), ('feedback_request', 'Feedback request'), ('amber_actions_due', 'Amber actions due soon'), ('amber_actions_overdue', 'Amber actions overdue'), ('reassessment_needed', 'Reassessment needed'), ('sign_in_link', 'Sign-in link')], max_length=40)),
                        ('template_id', models.CharField(blank=True, help_text='Taken from the settings when queued.', max_length=36, verbose_name='Notify template id')),
                        ('email_address', models.EmailField(max_length=254)),
                        ('personalisation', models.JSONField(blank=True, default=dict)),
                        ('idempotency_key', models.CharField(max_length=500, unique=True)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent to Notify'), ('failed', 'Failed'), ('delivered', 'Delivered'), ('permanent-failure', 'Permanent failure'), ('temporary-failure', 'Temporary failure'), ('technical-failure', 'Technical failure')], default='queued', max_length=20)),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                        ('lookup_needed', models.BooleanField(default=False)),
                        ('claim', models.UUIDField(blank=True, editable=False, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('notify_id', models.UUIDField(blank=True, null=True, verbose_name='Notify id')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='delivery receipt at')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workflow.reportpage')),
                        ('resent_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resends', to='notify.outboxemail')),
                        ('status_change', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workflow.reportstatuschange')),
                    ],
                    options={
                        'verbose_name': 'email',
                        'verbose_name_plural': 'email outbox',
                        'db_table': 'workflow_outboxemail',
                        'ordering': ['-created_at'],
                        'permissions': [('resend_outboxemail', 'Can resend a failed email')],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbox_due')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
