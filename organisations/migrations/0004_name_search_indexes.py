"""Trigram indexes for searching organisations by any part of their names.

Every "contains" search of organisations (the contracts page's keyword and organisation
filters, the organisation suggestions, the admin's search) is Django's `icontains`, which
PostgreSQL runs as `UPPER(column::text) LIKE UPPER('%text%')`: with no index that reads all
40,000 organisations. A GIN index of trigrams on exactly that expression answers it from the
index. PostgreSQL only (pg_trgm is a trusted extension, so the database's owner may create
it); SQLite's lists are small. Not in the models' Meta, because SQLite could not build it.
"""

from django.db import migrations

COLUMNS = ("name", "short_name", "slug")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "organisation_{column}_trgm" ON '
            f'"organisations_organisation" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "organisation_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_history_statement_triggers")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
