"""Fill the coverage of existing plans (0002 keeps it current from then on).

Not atomic: 0002's triggers already keep every plan written from now on, and the fill is one
UPDATE in its own transaction, so readers are never blocked while it runs (a minute or two for
600,000 plans). Plans whose coverage is the column default (nothing uncovered, no open measure)
are not rewritten.
"""

from django.db import migrations, models

COVERAGE_FILL = """
DO $$
BEGIN
    PERFORM set_config('assistance.coverage_refresh', 'on', true);  -- the guard lets this through
    UPDATE assistance_assistanceplan p
       SET uncovered_count = c.uncovered_count, next_due = c.next_due
      FROM (SELECT q.id, cov.uncovered_count, cov.next_due
              FROM assistance_assistanceplan q
             CROSS JOIN LATERAL assistance_plan_coverage_of(q.id, q.household_id) cov) c
     WHERE p.id = c.id
       AND (p.uncovered_count, p.next_due) IS DISTINCT FROM (c.uncovered_count, c.next_due);
    PERFORM set_config('assistance.coverage_refresh', 'off', true);
END $$;
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("assistance", "0002_plan_coverage_columns"),
    ]

    operations = [
        migrations.RunSQL(COVERAGE_FILL, migrations.RunSQL.noop),
        # Built after the fill, so that it is written once.
        migrations.AddIndex(
            model_name="assistanceplan",
            index=models.Index(
                fields=["household", "year"],
                include=["id", "uncovered_count", "next_due"],
                name="assistance_plan_coverage_idx",
            ),
        ),
        # Fresh visibility map (index-only probes) and statistics after rewriting the plans.
        migrations.RunSQL("VACUUM ANALYZE assistance_assistanceplan", migrations.RunSQL.noop),
    ]
