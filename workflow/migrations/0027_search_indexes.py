from django.db import migrations

# The admin's search of reports (selectors.reports_matching) looks for text anywhere in a report's title, its service's
# name and its department's name, as Django's `icontains` writes it on PostgreSQL: UPPER(column::text) LIKE '%...%'.
# A trigram index on that expression answers it without reading every row. pg_trgm is a trusted extension: the
# database's owner may create it. SQLite has no such index and reads the (small) tables.
INDEXES = {
    "report_title_trigram": ("wagtailcore_page", "title"),
    "service_name_trigram": ("workflow_service", "name"),
    "department_name_trigram": ("workflow_department", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0026_assessment_report_started"),
    ]

    operations = [migrations.RunPython(create, drop)]
