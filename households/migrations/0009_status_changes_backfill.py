"""Fill the new status-change tables from what is known of each record's past.

Records tracked by pghistory (poor villages, possible duplicates, household checks): one row per event
whose status differs from the object's previous event (in pgh_id order), the first one as '' → status;
the actor is the user of the event's context, the time the event's. Records without an event table
(procedures, transfers, campaigns): from their own who/when columns. Existing household status-change
rows were renamed in place (0008) and are not touched.
"""

from django.conf import settings
from django.db import migrations

# (status-change table, its foreign key column, record table, record key column, event table)
FROM_EVENTS = [
    ("households_poorvillagestatuschange", "poor_village_id", "households_poorvillage", "village_id",
     "households_poorvillageevent"),
    ("households_duplicatecandidatestatuschange", "candidate_id", "households_duplicatecandidate", "id",
     "households_duplicatecandidateevent"),
    ("households_verificationcheckstatuschange", "household_check_id", "households_verificationcheck", "id",
     "households_verificationcheckevent"),
]  # fmt: skip

EVENTS_SQL = """
INSERT INTO {log} ({fk}, from_status, to_status, actor_id, note, at)
SELECT e.pgh_obj_id, COALESCE(e.prev, ''), e.status, u.id, '', e.pgh_created_at
FROM (
    SELECT ev.pgh_id, ev.pgh_obj_id, ev.status, ev.pgh_created_at, ev.pgh_context_id,
           LAG(ev.status) OVER (PARTITION BY ev.pgh_obj_id ORDER BY ev.pgh_id) AS prev
    FROM {events} ev
    WHERE ev.pgh_label IN ('insert', 'update')
) e
LEFT JOIN pghistory_context c ON c.id = e.pgh_context_id
LEFT JOIN {users} u ON u.id = CASE
    WHEN (c.metadata ->> 'user') ~ '^[0-9]+$' THEN (c.metadata ->> 'user')::bigint END
WHERE e.prev IS DISTINCT FROM e.status
  AND e.pgh_obj_id IN (SELECT r.{key} FROM {record} r)
  AND NOT EXISTS (SELECT 1 FROM {log} l WHERE l.{fk} = e.pgh_obj_id)
ORDER BY e.pgh_id
"""

OWN_COLUMNS_SQL = [
    # Procedures: opened by who started them; completed or stopped when last changed, by whoever
    # recorded the last step, with the reason it stopped.
    """
    INSERT INTO households_procedurecasestatuschange (case_id, from_status, to_status, actor_id, note, at)
    SELECT c.id, '', 'open', c.started_by_id, '', c.created_at FROM households_procedurecase c
    WHERE NOT EXISTS (SELECT 1 FROM households_procedurecasestatuschange l WHERE l.case_id = c.id)
    """,
    """
    INSERT INTO households_procedurecasestatuschange (case_id, from_status, to_status, actor_id, note, at)
    SELECT c.id, 'open', c.state,
           (SELECT s.actor_id FROM households_procedurestep s WHERE s.case_id = c.id
            ORDER BY s.at DESC, s.id DESC LIMIT 1),
           c.stop_reason, GREATEST(c.updated_at, c.created_at)
    FROM households_procedurecase c
    WHERE c.state <> 'open'
      AND NOT EXISTS (SELECT 1 FROM households_procedurecasestatuschange l
                      WHERE l.case_id = c.id AND l.from_status = 'open')
    """,
    # Transfers: released (pending) and, once answered, decided.
    """
    INSERT INTO households_householdtransferstatuschange
        (transfer_id, from_status, to_status, actor_id, note, at)
    SELECT t.id, '', 'pending', t.released_by_id, t.note, t.released_at FROM households_householdtransfer t
    WHERE NOT EXISTS (SELECT 1 FROM households_householdtransferstatuschange l WHERE l.transfer_id = t.id)
    """,
    """
    INSERT INTO households_householdtransferstatuschange
        (transfer_id, from_status, to_status, actor_id, note, at)
    SELECT t.id, 'pending', t.status, t.decided_by_id, t.decision_note, t.decided_at
    FROM households_householdtransfer t
    WHERE t.status <> 'pending'
      AND NOT EXISTS (SELECT 1 FROM households_householdtransferstatuschange l
                      WHERE l.transfer_id = t.id AND l.from_status = 'pending')
    """,
    # Campaigns: opened by their creator; closed when last changed (who closed one was not kept).
    """
    INSERT INTO households_verificationcampaignstatuschange
        (campaign_id, from_status, to_status, actor_id, note, at)
    SELECT c.id, '', 'open', c.created_by_id, '', c.created_at FROM households_verificationcampaign c
    WHERE NOT EXISTS (SELECT 1 FROM households_verificationcampaignstatuschange l WHERE l.campaign_id = c.id)
    """,
    """
    INSERT INTO households_verificationcampaignstatuschange
        (campaign_id, from_status, to_status, actor_id, note, at)
    SELECT c.id, 'open', c.status, NULL, '', GREATEST(c.updated_at, c.created_at)
    FROM households_verificationcampaign c
    WHERE c.status <> 'open'
      AND NOT EXISTS (SELECT 1 FROM households_verificationcampaignstatuschange l
                      WHERE l.campaign_id = c.id AND l.from_status = 'open')
    """,
]


def backfill(apps, schema_editor):
    users = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for log, fk, record, key, events in FROM_EVENTS:
            cursor.execute(
                EVENTS_SQL.format(log=log, fk=fk, record=record, key=key, events=events, users=users)
            )
        for sql in OWN_COLUMNS_SQL:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0008_status_changes_through_core_transitions"),
        ("pghistory", "0007_auto_20250421_0444"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Going back leaves the rows: the tables are append-only, and 0008's reverse drops them.
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
