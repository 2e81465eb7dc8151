# The daily cap on "does this ID number exist?" answers for users who may not reveal (issue 15.1).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_accounts_and_reveal_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdProbeCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "ID number probe count",
                "verbose_name_plural": "ID number probe counts",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "day"), name="id_probe_one_row_per_user_day")
                ],
            },
        ),
    ]
