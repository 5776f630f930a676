# The rows are written again after every migrate (publishing.apps), which fills the new column.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_report_form_required"),
        ("publishing", "0004_listed_report_search_index"),
        ("workflow", "0025_indexes_for_lists_at_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="listedreport",
            name="path",
            field=models.CharField(default="", max_length=255),
        ),
        migrations.AddIndex(
            model_name="listedreport",
            index=models.Index(fields=["path", "report"], name="listed_by_path"),
        ),
    ]
