"""Measure status changes on core.transitions.StatusChange (issue 16).

`reason` becomes `note` (a text field, as every status-change table has it), the rows are
append-only (trigger) and never "move" to the same status (check), a measure that has moved keeps
its history (PROTECT instead of CASCADE), an actor is kept (PROTECT instead of SET NULL), and every
existing measure gets the '' → first status row that new measures get when they are added (the
actor from the insert event's history context, the time of the measure's creation).
"""

import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


def first_rows(apps, schema_editor):
    Measure = apps.get_model("assistance", "Measure")
    Change = apps.get_model("assistance", "MeasureStatusChange")
    Event = apps.get_model("assistance", "MeasureEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    q = schema_editor.quote_name
    measure, change, event, user = (q(m._meta.db_table) for m in (Measure, Change, Event, User))
    # The first status: the `from` of the earliest recorded move, or the status now if none.
    schema_editor.execute(f"""
        INSERT INTO {change} (measure_id, from_status, to_status, actor_id, note, at)
        SELECT m.id, '', COALESCE(first.from_status, m.status), u.id, '', m.created_at
        FROM {measure} m
        LEFT JOIN LATERAL (
            SELECT c.from_status FROM {change} c WHERE c.measure_id = m.id ORDER BY c.at, c.id LIMIT 1
        ) first ON TRUE
        LEFT JOIN LATERAL (
            SELECT ctx.metadata ->> 'user' AS user_id FROM {event} e
            JOIN pghistory_context ctx ON ctx.id = e.pgh_context_id
            WHERE e.pgh_obj_id = m.id AND e.pgh_label = 'insert' ORDER BY e.pgh_id LIMIT 1
        ) created ON TRUE
        LEFT JOIN {user} u ON created.user_id ~ '^[0-9]+$' AND u.id = created.user_id::bigint
        WHERE NOT EXISTS (SELECT 1 FROM {change} c WHERE c.measure_id = m.id AND c.from_status = '')
    """)  # noqa: S608 - table names from _meta, quoted


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0004_plan_coverage_plpgsql"),
        ("pghistory", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="measurestatuschange", old_name="reason", new_name="note"),
        migrations.AlterField(
            model_name="measurestatuschange",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="measurestatuschange",
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
        migrations.AlterField(
            model_name="measurestatuschange",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="measurestatuschange",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("planned", "planned"),
                    ("in_progress", "in progress"),
                    ("done", "done"),
                    ("cancelled", "cancelled"),
                ],
                max_length=16,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="measurestatuschange",
            name="measure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_changes",
                to="assistance.measure",
                verbose_name="measure",
            ),
        ),
        migrations.RunPython(first_rows, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name="measurestatuschange",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="420dc1b5c3bdf569b12882580a6e58b596d13fd9",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_536b5",
                    table="assistance_measurestatuschange",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="measurestatuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_status", models.F("to_status")), _negated=True),
                name="assistance_measurestatuschange_moves",
            ),
        ),
    ]
