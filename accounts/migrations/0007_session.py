import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def keep_everyone_signed_in(apps, schema_editor):
    """Copy the unexpired sessions of Django's table into the new one, each naming its user, so
    that the move signs nobody out."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    db = schema_editor.connection.alias
    old_sessions = apps.get_model("sessions", "Session").objects.using(db)
    new_session = apps.get_model("accounts", "Session")
    user_ids = set(apps.get_model("accounts", "User").objects.using(db).values_list("id", flat=True))
    decoder = SessionStore()  # the same signing salt as accounts.sessions.SessionStore
    batch = []
    for old in old_sessions.filter(expire_date__gt=timezone.now()).iterator(chunk_size=BATCH):
        try:
            user_id = int(decoder.decode(old.session_data).get(SESSION_KEY))
        except (TypeError, ValueError):
            user_id = None
        batch.append(
            new_session(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id if user_id in user_ids else None,
            )
        )
        if len(batch) >= BATCH:
            new_session.objects.using(db).bulk_create(batch)
            batch = []
    new_session.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_pages_stale_trigger'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Session',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'accounts_session',
            },
        ),
        migrations.RunPython(keep_everyone_signed_in, migrations.RunPython.noop),
    ]
