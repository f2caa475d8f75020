"""Moving API tokens to knox drops DRF's old token table, whose foreign key to the users would
otherwise refuse the deletion of any user who once had a DRF token."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from .test_migrations import back_to_latest, migrate  # noqa: F401 (a fixture)

BEFORE = [("accounts", "0003_user_organisation_moved")]
AFTER = [("accounts", "0004_api_token")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_drf_token_table_is_dropped_and_its_users_can_be_deleted():
    # The users table as it was then (later migrations add columns the factory would write).
    user = migrate(BEFORE).get_model("accounts", "User").objects.create(username="cio-old")
    with connection.cursor() as cursor:  # DRF's table as its migrations left it
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) NOT NULL PRIMARY KEY,"
            " created timestamp NOT NULL, user_id bigint NOT NULL UNIQUE"
            " REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, CURRENT_TIMESTAMP, %s)", ["k" * 40, user.pk]
        )
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")

    migrate(AFTER)

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()
    # In SQL, as the database sees it: the historical models at this point know only the
    # ancestors of accounts 0004, not the tables the later apps' migrations have since moved.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])
        cursor.execute("SELECT count(*) FROM accounts_user WHERE id = %s", [user.pk])
        assert cursor.fetchone() == (0,)
