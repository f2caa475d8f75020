"""A trigram index for finding contracts by any part of their reference (the contracts
page's keyword, the admin's search): see organisations 0004, which creates pg_trgm.
PostgreSQL only."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "contract_reference_trgm" ON "contracts_contract" '
            'USING gin ((UPPER("reference"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "contract_reference_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0007_history_statement_triggers"),
        ("organisations", "0004_name_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
