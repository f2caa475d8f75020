"""Contracts follow the move of organisations (state only: the foreign key's table was renamed
under it), drop the application link (now on the application, applications 0002), and start
core's reference counter for CON-<year>-NNNN above the numbers already used."""

import re

import django.db.models.deletion
from django.db import migrations, models

NUMBER = re.compile(r"^CON-(\d{4})-(\d+)$")


def start_counters(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    Counter = apps.get_model("core", "ReferenceCounter")
    highest: dict[int, int] = {}
    for reference in Contract.objects.values_list("reference", flat=True).iterator():
        match = NUMBER.match(reference)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        counter, _ = Counter.objects.get_or_create(prefix="CON", year=year)
        counter.last_number = max(counter.last_number, number)
        counter.save(update_fields=["last_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_signupapplication_contract"),
        ("contracts", "0002_signed_and_download_indexes"),
        ("core", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # So that, migrating backwards, the link comes back against the table's name
                # at that point (applications_signupapplication), which is renamed after.
                migrations.AlterField(
                    model_name="contract",
                    name="application",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="applications.signupapplication",
                    ),
                ),
                migrations.AlterField(
                    model_name="contract",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts",
                        to="organisations.organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RemoveField(model_name="contract", name="application"),
        migrations.RunPython(start_counters, migrations.RunPython.noop),
    ]
