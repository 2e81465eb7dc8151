"""The national rural poverty line per year (yuan per person per year, current prices).

The exit check (核实认可) compares a household's per-capita net income with the line of
the year; 2016's 3,146 yuan is the figure the 2017 meeting worked with.
"""

from decimal import Decimal

from django.db import migrations

LINES = {2014: 2800, 2015: 2855, 2016: 3146, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}


def add_lines(apps, schema_editor):
    PovertyLine = apps.get_model("households", "PovertyLine")
    for year, amount in LINES.items():
        PovertyLine.objects.update_or_create(year=year, defaults={"amount": Decimal(amount)})


def remove_lines(apps, schema_editor):
    apps.get_model("households", "PovertyLine").objects.filter(year__in=LINES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0002_procedures_duplicates_campaigns_imports"),
    ]

    operations = [migrations.RunPython(add_lines, remove_lines)]
