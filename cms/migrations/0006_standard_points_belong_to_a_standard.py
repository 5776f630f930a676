import django.db.models.deletion
import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_standards_and_assessment_types_content")]

    operations = [
        migrations.AlterField(
            model_name="servicestandardpoint",
            name="standard",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="points", to="cms.servicestandard"
            ),
        ),
    ]
