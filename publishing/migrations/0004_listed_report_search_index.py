from django.db import migrations

INDEX = "publishing_listedreport_search_gin"


def create(apps, schema_editor):
    # A GIN index is PostgreSQL's; SQLite searches with Wagtail's own index instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON publishing_listedreport USING gin (search)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("publishing", "0003_listed_reports")]

    # The rows themselves are written after every migrate (publishing.apps), by the code that keeps them.
    operations = [migrations.RunPython(create, drop)]
