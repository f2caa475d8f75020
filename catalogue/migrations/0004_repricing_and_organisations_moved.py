"""Repricing requests and runs now belong to the repricing app (repricing 0001 took over their
tables), and a snapshot's cause follows the move of organisations: both in state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_catalogue_version"),
        ("organisations", "0001_initial"),
        ("repricing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pricesnapshot",
                    name="caused_by",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
                migrations.DeleteModel(name="RepricingRequest"),
                migrations.DeleteModel(name="RepricingRun"),
            ],
            database_operations=[],
        ),
    ]
