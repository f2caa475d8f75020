"""The sequence that every write to a table a cached page reads advances (core/pagecache.py)."""

from django.db import migrations

from core.pagecache import create_sequence, drop_sequence


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_sequence, drop_sequence, elidable=False)]
