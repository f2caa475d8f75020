"""Organisation moves here from the `departments` app, keeping every row: the model is taken
over in Django's state only (its table already exists), then its table (and the predecessors
table) renamed, and the content type moved so admin history and permissions follow it."""

from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("organisation",):
        if not ContentType.objects.filter(app_label="organisations", model=model).exists():
            ContentType.objects.filter(app_label="departments", model=model).update(
                app_label="organisations"
            )


class Migration(migrations.Migration):
    initial = True

    # Every migration whose state points a foreign key at departments.Organisation runs first:
    # after the rename below, a later one would create its key against the old table name.
    dependencies = [
        ("accounts", "0002_initial"),
        ("catalogue", "0003_catalogue_version"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contracts", "0002_signed_and_download_indexes"),
        ("departments", "0002_reference_counter_queue_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
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
                        ("slug", models.SlugField(max_length=64, unique=True)),
                        ("name", models.CharField(max_length=200, unique=True)),
                        (
                            "short_name",
                            models.CharField(blank=True, help_text="e.g. DIUS", max_length=30),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("ministerial", "Ministerial department"),
                                    ("non_ministerial", "Non-ministerial department"),
                                    ("agency", "Agency"),
                                    ("other", "Other public body"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("staff", models.PositiveIntegerField()),
                        ("desktops", models.PositiveIntegerField(blank=True, null=True)),
                        (
                            "membership_status",
                            models.CharField(
                                choices=[
                                    ("prospective", "Not yet a member"),
                                    ("active", "Active member"),
                                    ("former", "Former member"),
                                    ("dissolved", "Dissolved"),
                                ],
                                default="prospective",
                                max_length=20,
                            ),
                        ),
                        ("joined_on", models.DateField(blank=True, null=True)),
                        (
                            "predecessors",
                            models.ManyToManyField(
                                blank=True,
                                related_name="successors",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["name"],
                        "db_table": "departments_organisation",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("membership_status", "active"), _negated=True),
                                    ("joined_on__isnull", False),
                                    _connector="OR",
                                ),
                                name="organisation_active_has_joined_on",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="organisation", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
