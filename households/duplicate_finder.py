"""Possible duplicates beyond the ID number: the same name and birth date, or the same head's phone,
in two different active households. Found here after a household is registered or imported (and on
a clerk's request); reviewed by `households.services.duplicates`."""

from __future__ import annotations

from django.db import connection

from core.scoping import scope_sql

from .models import ACTIVE_STATUSES, DuplicateCandidate, DuplicateReason

# The pair's detail names the birth year only: leaders, who may not see full ID numbers, read the
# list, and a full birth date is digits 7–14 of the number (issue 15.1).
_NAME_BIRTH_SQL = """
SELECT a.household_id, b.household_id, a.name || ' ' || to_char(a.birth_date, 'YYYY')
FROM households_member a
JOIN households_member b
  ON b.name = a.name AND b.birth_date = a.birth_date AND b.household_id > a.household_id
 AND b.is_current AND b.id_number_hash <> a.id_number_hash
WHERE a.is_current {filter}
"""
_PHONE_SQL = """
SELECT a.id, b.id, a.phone
FROM households_household a
JOIN households_household b ON b.phone = a.phone AND b.id > a.id AND b.status = ANY(%(active)s)
WHERE a.phone <> '' AND a.status = ANY(%(active)s) {filter}
"""


def duplicates_scan(*, household_ids: list[int] | None = None, actor=None) -> int:
    """Find new candidate pairs (for the given households, the `actor`'s scope — a pair with one
    side in it —, or everything). Idempotent: known pairs are skipped by the unique constraint.
    Returns how many new pairs were found."""
    params: dict = {"active": list(ACTIVE_STATUSES)}
    member_filter = household_filter = ""
    if household_ids is not None:
        if not household_ids:
            return 0
        params["ids"] = list(household_ids)
        member_filter = "AND (a.household_id = ANY(%(ids)s) OR b.household_id = ANY(%(ids)s))"
        household_filter = "AND (a.id = ANY(%(ids)s) OR b.id = ANY(%(ids)s))"
    elif actor is not None:
        # The scope's clauses come from core.scoping (the same rule as every list); values are params.
        in_scope_sql, scope_params = scope_sql(actor, "village_id", name="scope")
        a_sql, a_params = scope_sql(actor, "a.village_id", name="scope_a")
        b_sql, b_params = scope_sql(actor, "b.village_id", name="scope_b")
        params.update(scope_params, **a_params, **b_params)
        scoped = f"SELECT id FROM households_household WHERE {in_scope_sql}"  # noqa: S608
        member_filter = f"AND (a.household_id IN ({scoped}) OR b.household_id IN ({scoped}))"
        household_filter = f"AND ({a_sql} OR {b_sql})"
    found: list[DuplicateCandidate] = []
    with connection.cursor() as cursor:
        cursor.execute(_NAME_BIRTH_SQL.format(filter=member_filter), params)
        found += [
            DuplicateCandidate(
                household_a_id=a, household_b_id=b, reason=DuplicateReason.NAME_BIRTH, detail=d[:200]
            )
            for a, b, d in cursor.fetchall()
        ]
        cursor.execute(_PHONE_SQL.format(filter=household_filter), params)
        found += [
            DuplicateCandidate(
                household_a_id=a, household_b_id=b, reason=DuplicateReason.PHONE, detail=d[:200]
            )
            for a, b, d in cursor.fetchall()
        ]
    before = DuplicateCandidate.objects.count()
    DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True, batch_size=1000)
    return DuplicateCandidate.objects.count() - before
