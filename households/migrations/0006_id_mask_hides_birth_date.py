"""The stored ID mask hides digits 7–17 (issue 15.1): 410802********1234 → 410802***********4.

The old mask kept digits 15–18 beside the birth date shown on the pages, which gave the whole
number back. Both forms keep digits 1–6 and 18, so the new mask is computed from the old one
without decrypting anything: on the members and on django-pghistory's event rows of members,
whose old masks the history would otherwise keep. Possible duplicates found by name and birth
date said the full date in their detail: it keeps the year. The update triggers are ignored
while the rows are rewritten: the rewrite is not a change anyone made.
"""

import pgtrigger
from django.db import migrations

# Old form: 6 characters, 8 stars, 4 characters. Rows already in the new form do not match.
OLD_MASK = r"'^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'"
NEW_MASK = "left(id_number_masked, 6) || repeat('*', 11) || right(id_number_masked, 1)"


# A possible duplicate's detail ("王秀英 1987-06-15") keeps the birth year only.
DATE = r"'([0-9]{4})-[0-9]{2}-[0-9]{2}'"


def remask(apps, schema_editor):
    ignored = ("households.Member:update_update", "households.DuplicateCandidate:update_update")
    with pgtrigger.ignore(*ignored), schema_editor.connection.cursor() as cursor:
        for table in ("households_member", "households_memberevent"):
            cursor.execute(
                f"UPDATE {table} SET id_number_masked = {NEW_MASK} WHERE id_number_masked ~ {OLD_MASK}"  # noqa: S608 - constants
            )
        for table in ("households_duplicatecandidate", "households_duplicatecandidateevent"):
            cursor.execute(
                f"UPDATE {table} SET detail = regexp_replace(detail, {DATE}, '\\1', 'g') "  # noqa: S608 - constants
                f"WHERE reason = 'name_birth' AND detail ~ {DATE}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0005_transfers_and_city_duplicate_review"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop, elidable=True)]
