"""Repricing requests and runs move here from the catalogue, keeping every row: the models are
taken over in Django's state only (their tables exist), then the tables renamed and the content
types moved."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in (
        "repricingrun",
        "repricingrequest",
    ):
        if not ContentType.objects.filter(app_label=APP, model=model).exists():
            ContentType.objects.filter(app_label="catalogue", model=model).update(app_label=APP)


APP = "repricing"


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0003_catalogue_version"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RepricingRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField()),
                        ("requests_processed", models.PositiveIntegerField()),
                        ("snapshots_written", models.PositiveIntegerField()),
                        ("lines_updated", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "catalogue_repricingrun",
                        "ordering": ["-started_at"],
                    },
                ),
                migrations.CreateModel(
                    name="RepricingRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("requested_at", models.DateTimeField()),
                        ("reason", models.CharField(max_length=200)),
                        ("processed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "caused_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalogue_repricingrequest",
                        "ordering": ["requested_at", "pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("processed_at__isnull", True)),
                                fields=["requested_at"],
                                name="repricing_pending_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="repricingrun", table=None),
        migrations.AlterModelTable(name="repricingrequest", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
