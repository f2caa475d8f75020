"""The link from an approved application to the contract it created now lives on the
application (contracts no longer know about applications): the column is added here and filled
from contracts_contract.application_id, which contracts 0003 then drops."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    SignUpApplication = apps.get_model("applications", "SignUpApplication")
    for contract_id, application_id in Contract.objects.exclude(application=None).values_list(
        "pk", "application_id"
    ):
        SignUpApplication.objects.filter(pk=application_id).update(contract_id=contract_id)


def copy_links_back(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    SignUpApplication = apps.get_model("applications", "SignUpApplication")
    for application_id, contract_id in SignUpApplication.objects.exclude(
        contract=None
    ).values_list("pk", "contract_id"):
        Contract.objects.filter(pk=contract_id).update(application_id=application_id)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("contracts", "0002_signed_and_download_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="signupapplication",
            name="contract",
            field=models.OneToOneField(
                blank=True,
                help_text="The contract its approval created.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application",
                to="contracts.contract",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
