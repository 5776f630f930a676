"""A report keeps the questions of its form (filled in for existing reports by 0015) and the answers to those not kept
in a column of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0015_policy_figures'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpointrating',
            name='answers',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='historicalreportpage',
            name='answers',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='pointrating',
            name='answers',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='reportpage',
            name='answers',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='reportpage',
            name='questions',
            field=models.JSONField(default=dict, editable=False),
            preserve_default=False,
        ),
    ]
