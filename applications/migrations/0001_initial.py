"""Sign-up applications move here from the `departments` app, keeping every row: the models are
taken over in Django's state only (their tables exist), then the tables renamed and the content
types moved. The application reference counter's numbers go to core's shared counter."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in (
        "signupapplication",
        "applicationline",
        "applicationevent",
    ):
        if not ContentType.objects.filter(app_label=APP, model=model).exists():
            ContentType.objects.filter(app_label="departments", model=model).update(app_label=APP)


def copy_reference_counters(apps, schema_editor):
    """FLEX-<year>-NNNN numbers already handed out, into core.ReferenceCounter."""
    Old = apps.get_model("departments", "ApplicationReferenceCounter")
    Counter = apps.get_model("core", "ReferenceCounter")
    for old in Old.objects.all():
        counter, _ = Counter.objects.get_or_create(prefix="FLEX", year=old.year)
        counter.last_number = max(counter.last_number, old.last_number)
        counter.save(update_fields=["last_number"])


APP = "applications"


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0003_catalogue_version"),
        # Points a key at departments.SignUpApplication: it must run before the rename below.
        ("contracts", "0002_signed_and_download_indexes"),
        ("core", "0001_initial"),
        ("departments", "0002_reference_counter_queue_index"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SignUpApplication",
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
                        ("reference", models.CharField(max_length=20, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("submitted", "Submitted"),
                                    ("approved", "Approved"),
                                    ("rejected", "Rejected"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="draft",
                                max_length=20,
                            ),
                        ),
                        ("term_years", models.PositiveSmallIntegerField()),
                        ("requested_start", models.DateField()),
                        (
                            "current_cost_per_seat",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=10, null=True
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("submitted_at", models.DateTimeField(blank=True, null=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("reason", models.TextField(blank=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="applications",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "departments_signupapplication",
                        "ordering": ["submitted_at", "created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ApplicationLine",
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
                        ("seats", models.PositiveIntegerField()),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="catalogue.service",
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lines",
                                to="applications.signupapplication",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "departments_applicationline",
                        "ordering": ["service__kind", "service__name"],
                    },
                ),
                migrations.CreateModel(
                    name="ApplicationEvent",
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
                        ("at", models.DateTimeField()),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("created", "Created"),
                                    ("submitted", "Submitted"),
                                    ("withdrawn", "Withdrawn"),
                                    ("approved", "Approved"),
                                    ("rejected", "Rejected"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("detail", models.TextField(blank=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="applications.signupapplication",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "departments_applicationevent",
                        "ordering": ["at", "pk"],
                    },
                ),
                migrations.AddIndex(
                    model_name="signupapplication",
                    index=models.Index(
                        fields=["status", "submitted_at"], name="application_queue_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("term_years__gte", 1), ("term_years__lte", 10)),
                        name="application_term_1_to_10",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("current_cost_per_seat__isnull", True),
                            ("current_cost_per_seat__gte", 0),
                            _connector="OR",
                        ),
                        name="application_current_cost_not_negative",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status", "draft"), ("submitted_at__isnull", False), _connector="OR"
                        ),
                        name="application_submitted_has_time",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status__in", ["approved", "rejected"]), _negated=True),
                            models.Q(("decided_at__isnull", False), ("decided_by__isnull", False)),
                            _connector="OR",
                        ),
                        name="application_decided_has_decider",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "rejected"), _negated=True),
                            models.Q(("reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="application_rejection_has_reason",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="signupapplication",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status__in", ["draft", "submitted"])),
                        fields=("organisation",),
                        name="application_one_open_per_organisation",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="applicationline",
                    constraint=models.UniqueConstraint(
                        fields=("application", "service"), name="application_line_one_per_service"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="applicationline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("seats__gte", 1), ("seats__lte", 1000000)),
                        name="application_line_seats_range",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="signupapplication", table=None),
        migrations.AlterModelTable(name="applicationline", table=None),
        migrations.AlterModelTable(name="applicationevent", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(copy_reference_counters, migrations.RunPython.noop),
    ]
