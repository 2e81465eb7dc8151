"""因户施策: the kinds' table gets its defaults; coverage counts a cause as answered only by a
measure whose kind answers it (in the household's county); a change of the table recomputes the
plans it touches; measures that claimed causes their kind does not answer are listed for review.

The defaults are frozen here (the code's `DEFAULT_KIND_CAUSES` may grow later: a later migration
adds to this table, never the code at run time).
"""

from django.db import migrations

DEFAULTS = {
    "employment": ["illness", "disability", "schooling", "disaster", "lack_land", "lack_water",
                   "lack_skills", "lack_funds", "poor_transport", "lack_motivation"],
    "industry": ["illness", "disability", "schooling", "disaster", "lack_land", "lack_water",
                 "lack_skills", "lack_funds", "lack_motivation"],
    "relocation": ["poor_transport", "lack_water", "lack_land", "disaster"],
    "social_guarantee": ["lack_labour", "illness", "disability"],
    "destitute_support": ["lack_labour", "illness", "disability"],
    "medical_relief": ["illness", "disability"],
    "health": ["illness", "disability"],
    "education_relief": ["schooling"],
    "education": ["schooling", "lack_skills"],
    "disaster_relief": ["disaster"],
    "temporary_relief": ["illness", "disability", "schooling", "disaster"],
    "special_relief": ["disability", "illness", "lack_labour"],
    "charity_relief": ["illness", "disability", "schooling", "disaster"],
    "skills_training": ["lack_skills", "lack_motivation"],
    "microcredit": ["lack_funds"],
    "housing_repair": ["disaster"],
    "asset_income": ["lack_labour", "disability", "illness", "lack_land", "lack_funds"],
}  # fmt: skip


def add_defaults(apps, schema_editor):
    KindCause = apps.get_model("assistance", "KindCause")
    KindCause.objects.bulk_create(
        [
            KindCause(county=None, kind=kind, cause=cause)
            for kind, causes in DEFAULTS.items()
            for cause in causes
        ],
        ignore_conflicts=True,
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("assistance", "KindCause").objects.filter(county__isnull=True).delete()


# The rule of 0004 with the kind's answer: same OUT columns, so CREATE OR REPLACE keeps every caller.
COVERAGE_BY_KIND = """
CREATE OR REPLACE FUNCTION assistance_plan_coverage_of(
    plan bigint, household bigint, OUT uncovered_count smallint, OUT next_due date
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT count(*) INTO uncovered_count
      FROM households_household h,
           unnest(array_prepend(h.main_cause::varchar, h.secondary_causes::varchar[])) AS hc(c)
     WHERE h.id = household
       AND NOT EXISTS (SELECT 1 FROM assistance_measure m
                        WHERE m.plan_id = plan AND m.status <> 'cancelled' AND hc.c = ANY (m.causes)
                          AND EXISTS (SELECT 1 FROM assistance_kindcause k
                                       WHERE k.kind = m.kind AND k.cause = hc.c
                                         AND (k.county_id IS NULL
                                              OR k.county_id = left(h.village_id, 6) || '000000')));
    SELECT min(m.planned_end) INTO next_due
      FROM assistance_measure m
     WHERE m.plan_id = plan AND m.status IN ('planned', 'in_progress');
END $$;

-- A row of the kinds' table added, changed or removed: recompute the plans with a measure of
-- that kind claiming that cause (in that county, or anywhere for a default).
CREATE FUNCTION assistance_kindcause_coverage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM assistance_plan_coverage_refresh(ARRAY(
        SELECT DISTINCT m.plan_id
          FROM changed_kind_causes k
          JOIN assistance_measure m ON m.kind = k.kind AND k.cause = ANY (m.causes)
          JOIN assistance_assistanceplan p ON p.id = m.plan_id
          JOIN households_household h ON h.id = p.household_id
         WHERE k.county_id IS NULL OR k.county_id = left(h.village_id, 6) || '000000'
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER assistance_kindcause_coverage_insert
    AFTER INSERT ON assistance_kindcause REFERENCING NEW TABLE AS changed_kind_causes
    FOR EACH STATEMENT EXECUTE FUNCTION assistance_kindcause_coverage();
CREATE TRIGGER assistance_kindcause_coverage_delete
    AFTER DELETE ON assistance_kindcause REFERENCING OLD TABLE AS changed_kind_causes
    FOR EACH STATEMENT EXECUTE FUNCTION assistance_kindcause_coverage();
"""

COVERAGE_ANY_KIND = """
DROP TRIGGER assistance_kindcause_coverage_delete ON assistance_kindcause;
DROP TRIGGER assistance_kindcause_coverage_insert ON assistance_kindcause;
DROP FUNCTION assistance_kindcause_coverage();
CREATE OR REPLACE FUNCTION assistance_plan_coverage_of(
    plan bigint, household bigint, OUT uncovered_count smallint, OUT next_due date
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT count(*) INTO uncovered_count
      FROM households_household h,
           unnest(array_prepend(h.main_cause::varchar, h.secondary_causes::varchar[])) AS cause
     WHERE h.id = household
       AND NOT EXISTS (SELECT 1 FROM assistance_measure m
                        WHERE m.plan_id = plan AND m.status <> 'cancelled' AND cause = ANY (m.causes));
    SELECT min(m.planned_end) INTO next_due
      FROM assistance_measure m
     WHERE m.plan_id = plan AND m.status IN ('planned', 'in_progress');
END $$;
"""

# Every plan again under the new rule (only the plans whose figures change are written).
REFRESH_ALL = "SELECT assistance_plan_coverage_refresh(ARRAY(SELECT id FROM assistance_assistanceplan));"

# Measures (not cancelled) claiming a cause their kind does not answer: one open review each.
OPEN_REVIEWS = """
INSERT INTO assistance_measurefitreview (created_at, updated_at, measure_id, causes, decision, note)
SELECT now(), now(), m.id, bad.causes, '', ''
  FROM assistance_measure m
  JOIN assistance_assistanceplan p ON p.id = m.plan_id
  JOIN households_household h ON h.id = p.household_id
 CROSS JOIN LATERAL (
       SELECT ARRAY(SELECT c FROM unnest(m.causes) AS mc(c)
                     WHERE NOT EXISTS (SELECT 1 FROM assistance_kindcause k
                                        WHERE k.kind = m.kind AND k.cause = mc.c
                                          AND (k.county_id IS NULL
                                               OR k.county_id = left(h.village_id, 6) || '000000')))::varchar[] AS causes
       ) bad
 WHERE m.status <> 'cancelled' AND cardinality(bad.causes) > 0
ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0006_measure_fit_and_details"),
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
        migrations.RunSQL(COVERAGE_BY_KIND, COVERAGE_ANY_KIND),
        migrations.RunSQL(REFRESH_ALL, REFRESH_ALL),
        migrations.RunSQL(OPEN_REVIEWS, migrations.RunSQL.noop),
    ]
