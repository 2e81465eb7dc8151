"""Existing files (issue 17.1): the five guarantee fields become the snapshot of the facts.

Before 0010 they were tick boxes. No fact behind them was recorded, so for a household that has no
fact yet: 不愁吃/穿, 基本医疗 and 住房安全 are "to be confirmed" (not met: the county's list
households:guarantees_to_confirm shows them), and 义务教育 is derived from the members — met unless
an active member aged 6 to 15 today is not in school (no exemption existed before 0010).
"""

from django.db import migrations

SQL = """
WITH derived AS (
    SELECT h.id, NOT EXISTS (
        SELECT 1 FROM households_member m
        WHERE m.household_id = h.id AND m.is_active
          AND m.birth_date > current_date - interval '16 years'
          AND m.birth_date <= current_date - interval '6 years'
          AND m.schooling NOT IN ('preschool', 'primary', 'junior', 'senior', 'vocational')
    ) AS education
    FROM households_household h
    WHERE NOT EXISTS (SELECT 1 FROM households_livelihoodstatement s WHERE s.household_id = h.id)
      AND NOT EXISTS (SELECT 1 FROM households_housingappraisal a WHERE a.household_id = h.id)
      AND NOT EXISTS (SELECT 1 FROM households_illnesscover c WHERE c.household_id = h.id)
)
UPDATE households_household h
SET food_secure = false, clothing_secure = false, medical_secured = false, housing_secured = false,
    education_secured = d.education
FROM derived d
WHERE h.id = d.id
  AND (h.food_secure OR h.clothing_secure OR h.medical_secured OR h.housing_secured
       OR h.education_secured IS DISTINCT FROM d.education)
"""


class Migration(migrations.Migration):
    dependencies = [("households", "0012_crosschecks")]

    operations = [migrations.RunSQL(SQL, reverse_sql=migrations.RunSQL.noop)]
