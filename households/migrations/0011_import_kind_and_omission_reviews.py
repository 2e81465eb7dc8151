import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """An import's kind (applications through the entry procedure, or a county administrator's
    migration of an existing register) and the review of possible omissions (漏评)."""

    dependencies = [
        ("households", "0010_guarantees_and_returns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OmissionReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created at"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "income",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="per-capita net income (yuan)",
                    ),
                ),
                (
                    "poverty_line",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, null=True, verbose_name="poverty line (yuan)"
                    ),
                ),
                (
                    "income_below_line",
                    models.BooleanField(default=False, verbose_name="income below the line"),
                ),
                ("guarantee_unmet", models.BooleanField(default=False, verbose_name="a guarantee unmet")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "to be reviewed"),
                            ("entry_started", "entry procedure started"),
                            ("dismissed", "dismissed"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="decision",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
            ],
            options={
                "verbose_name": "possible omission review",
                "verbose_name_plural": "possible omission reviews",
                "ordering": ["-created_at", "-id"],
                "permissions": [("review_omission", "Can review possible omissions (漏评)")],
            },
        ),
        migrations.CreateModel(
            name="OmissionReviewStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("open", "to be reviewed"),
                            ("entry_started", "entry procedure started"),
                            ("dismissed", "dismissed"),
                        ],
                        max_length=16,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("open", "to be reviewed"),
                            ("entry_started", "entry procedure started"),
                            ("dismissed", "dismissed"),
                        ],
                        max_length=16,
                        verbose_name="to",
                    ),
                ),
            ],
            options={
                "verbose_name": "omission review status change",
                "verbose_name_plural": "omission review status changes",
                "ordering": ["at", "id"],
                "abstract": False,
            },
        ),
        migrations.AlterModelOptions(
            name="householdimport",
            options={
                "ordering": ["-created_at"],
                "permissions": [("migrate_register", "Can load an existing register (migration)")],
                "verbose_name": "household import",
                "verbose_name_plural": "household imports",
            },
        ),
        migrations.AddField(
            model_name="householdimport",
            name="kind",
            field=models.CharField(
                choices=[
                    ("applications", "applications (each goes through the entry procedure)"),
                    ("migration", "migration of an existing register"),
                ],
                default="applications",
                max_length=16,
                verbose_name="kind of import",
            ),
        ),
        migrations.AddField(
            model_name="omissionreview",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="omission_reviews",
                to="households.household",
                verbose_name="household",
            ),
        ),
        migrations.AddField(
            model_name="omissionreview",
            name="opened_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="opened by",
            ),
        ),
        migrations.AddField(
            model_name="omissionreviewstatuschange",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="omissionreviewstatuschange",
            name="review",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_changes",
                to="households.omissionreview",
                verbose_name="review",
            ),
        ),
        migrations.AddConstraint(
            model_name="omissionreview",
            constraint=models.UniqueConstraint(
                fields=("household", "year"),
                name="omission_review_once_per_household_year",
                violation_error_message="This household has been reviewed for this year already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="omissionreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "dismissed"), _negated=True),
                    models.Q(("reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="omission_review_dismissal_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="omissionreviewstatuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_status", models.F("to_status")), _negated=True),
                name="households_omissionreviewstatuschange_moves",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="omissionreviewstatuschange",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="c1d49375347c34c5658332e276f9461104df426c",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_e1ce3",
                    table="households_omissionreviewstatuschange",
                    when="BEFORE",
                ),
            ),
        ),
    ]
