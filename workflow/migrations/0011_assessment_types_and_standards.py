import django.db.models.deletion
from django.db import migrations, models

FOLLOWS_HELP = "The earlier assessment whose red or amber points this one looks at again."
TYPE_HELP = "Which points it covers, against which standard, and whether its accepted report is published."
REQUEST_FOLLOWS_HELP = "The assessment whose red or amber points are to be looked at again."


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_standard_points_belong_to_a_standard"),
        ("workflow", "0010_assessment_confidential"),
    ]

    operations = [
        # A reassessment of red points is now one type of follow-up among others (an amber evidence review).
        migrations.RenameField("assessment", "reassessment_of", "follows"),
        migrations.RenameField("historicalassessment", "reassessment_of", "follows"),
        migrations.RenameField("bookingrequest", "reassesses", "follows"),
        migrations.RenameField("historicalbookingrequest", "reassesses", "follows"),
        migrations.AlterField(
            model_name="assessment",
            name="follows",
            field=models.ForeignKey(
                blank=True, help_text=FOLLOWS_HELP, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_ups", to="workflow.assessment",
            ),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="follows",
            field=models.ForeignKey(
                blank=True, db_constraint=False, help_text=FOLLOWS_HELP, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="workflow.assessment",
            ),
        ),
        migrations.AlterField(
            model_name="bookingrequest",
            name="follows",
            field=models.ForeignKey(
                blank=True, help_text=REQUEST_FOLLOWS_HELP, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_up_requests", to="workflow.assessment",
            ),
        ),
        migrations.AlterField(
            model_name="historicalbookingrequest",
            name="follows",
            field=models.ForeignKey(
                blank=True, db_constraint=False, help_text=REQUEST_FOLLOWS_HELP, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="workflow.assessment",
            ),
        ),
        # Nullable until 0012 fills them in.
        migrations.AddField(
            model_name="assessment",
            name="standard",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="assessments",
                to="cms.servicestandard",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="type",
            field=models.ForeignKey(
                help_text=TYPE_HELP, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments", to="cms.assessmenttype",
            ),
        ),
        migrations.AddField(
            model_name="bookingrequest",
            name="type",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="booking_requests",
                to="cms.assessmenttype",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="standard",
            field=models.ForeignKey(
                blank=True, db_constraint=False, editable=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="cms.servicestandard",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="type",
            field=models.ForeignKey(
                blank=True, db_constraint=False, help_text=TYPE_HELP, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="cms.assessmenttype",
            ),
        ),
        migrations.AddField(
            model_name="historicalbookingrequest",
            name="type",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to="cms.assessmenttype",
            ),
        ),
    ]
