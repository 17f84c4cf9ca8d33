"""Loads Dugnad's Nynorsk goal, target and indicator titles (goals/data/sdg/*.nn.yml) into the new fields."""

from django.db import migrations

from goals.loading import load_catalogue


def load(apps, schema_editor):
    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0003_nynorsk_titles"),
    ]

    operations = [
        # Reversing leaves the texts; reversing 0003 drops the fields with them.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
