"""API tokens move from DRF's authtoken to django-rest-knox (accounts/authentication.py).

DRF's table, `authtoken_token`, is dropped here, with the record of its migrations, as
`migrate authtoken zero` would have done had the app still been installed. Leaving it would not
be harmless: its keys would authenticate nobody (nothing reads it), but its foreign key to
accounts_user, which Django no longer knows of, would refuse the deletion of any user who ever
had a DRF token (and `flush`). Clients sign in again for a knox token. Knox's own table is never
made (MIGRATION_MODULES = {"knox": None}): the tokens live here, in accounts_api_token.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

DRF_TOKENS = "authtoken_token"


def drop_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TOKENS in connection.introspection.table_names():
        schema_editor.execute(
            schema_editor.sql_delete_table % {"table": schema_editor.quote_name(DRF_TOKENS)}
        )
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_organisation_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("digest", models.CharField(max_length=128, primary_key=True, serialize=False)),
                ("token_key", models.CharField(db_index=True, max_length=25)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("expiry", models.DateTimeField(blank=True, null=True)),
                (
                    "password_fingerprint",
                    models.CharField(
                        help_text="Fingerprint of the user's password when the token was issued.",
                        max_length=64,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="auth_token_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "db_table": "accounts_api_token",
            },
        ),
        migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop, elidable=True),
    ]
