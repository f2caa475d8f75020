"""Everything this app held has moved: organisations to `organisations`, sign-up applications
to `applications` (both took over the tables), the reference counter into core's shared counter
(applications 0001 copied its rows). The models leave Django's state here; only the counter's
table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_organisation_moved"),
        ("applications", "0002_signupapplication_contract"),
        ("catalogue", "0004_repricing_and_organisations_moved"),
        ("contracts", "0003_organisations_and_reference_counters"),
        ("departments", "0002_reference_counter_queue_index"),
        ("organisations", "0001_initial"),
        ("repricing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ApplicationEvent"),
                migrations.DeleteModel(name="ApplicationLine"),
                migrations.DeleteModel(name="SignUpApplication"),
                migrations.DeleteModel(name="Organisation"),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(name="ApplicationReferenceCounter"),
    ]
