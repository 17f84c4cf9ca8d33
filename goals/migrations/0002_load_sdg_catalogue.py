"""Loads the SDG catalogue shipped in goals/data/sdg/ (manage.py load_sdg_catalogue refreshes it)."""

from django.db import migrations

from goals.loading import load_catalogue


def load(apps, schema_editor):
    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
    ]

    operations = [
        # Reversing leaves the rows; reversing 0001 drops the tables with them.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
