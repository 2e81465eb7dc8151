"""Fill the new status-change tables of plans, reports, findings and problem answers from the
records' history events (pghistory): one row where an event's status differs from the previous
event of the same record (by pgh_id), the first event's status as '' → status; the actor is the
event context's `user`, `at` the event's time. Events of records deleted since are skipped."""

from django.conf import settings
from django.db import migrations

# (record, its status-change model, the change model's foreign key to the record)
LOGS = [
    ("VisitPlan", "PlanStatusChange", "plan"),
    ("VisitReport", "ReportStatusChange", "report"),
    ("Finding", "FindingStatusChange", "finding"),
    ("ProblemAnswer", "ProblemAnswerStatusChange", "answer"),
]


def backfill(apps, schema_editor):
    q = schema_editor.connection.ops.quote_name
    context = apps.get_model("pghistory", "Context")._meta.db_table
    user = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    for record_name, log_name, fk in LOGS:
        record = apps.get_model("inspections", record_name)
        event = apps.get_model("inspections", f"{record_name}Event")
        log = apps.get_model("inspections", log_name)
        fk_column = log._meta.get_field(fk).column
        # Table and column names come from the models; nothing here is user input.
        sql = f"""
            WITH ev AS (
                SELECT e.pgh_id, e.pgh_obj_id AS obj, e.status, e.pgh_created_at AS at,
                       c.metadata ->> 'user' AS uid,
                       LAG(e.status) OVER (PARTITION BY e.pgh_obj_id ORDER BY e.pgh_id) AS prev
                FROM {q(event._meta.db_table)} e
                LEFT JOIN {q(context)} c ON c.id = e.pgh_context_id
                WHERE e.pgh_label IN ('insert', 'update')
            )
            INSERT INTO {q(log._meta.db_table)} ({q(fk_column)}, from_status, to_status, actor_id, note, at)
            SELECT ev.obj, COALESCE(ev.prev, ''), ev.status, u.id, '', ev.at
            FROM ev
            JOIN {q(record._meta.db_table)} r ON r.id = ev.obj
            LEFT JOIN {q(user)} u ON u.id::text = ev.uid
            WHERE ev.prev IS DISTINCT FROM ev.status
            ORDER BY ev.pgh_id
        """  # noqa: S608
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_status_changes_on_core_transitions"),
        ("pghistory", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
