"""The masks stored before issue 15.1 (digits 15–18 kept) are rewritten on the members and in their
history rows, and possible duplicates keep the birth year only, by migration 0006."""

import importlib

from django.db import connection
from pghistory.models import Events

from core import pii
from households.models import DuplicateCandidate, DuplicateReason, Member
from tests.factories.households import MemberFactory, household_with_members

migration = importlib.import_module("households.migrations.0006_id_mask_hides_birth_date")


class _Editor:
    connection = connection


def test_old_masks_and_duplicate_dates_are_rewritten_everywhere(regions):
    member = MemberFactory()
    number = member.reveal_id_number()
    old_mask = f"{number[:6]}********{number[-4:]}"
    with connection.cursor() as cursor:  # as the old code stored it (the trigger keeps it in history)
        cursor.execute(
            "UPDATE households_member SET id_number_masked = %s WHERE id = %s", [old_mask, member.pk]
        )
    other = household_with_members()
    pair = DuplicateCandidate.objects.create(
        household_a=member.household,
        household_b=other,
        reason=DuplicateReason.NAME_BIRTH,
        detail="李秀梅 1987-06-15",
    )
    events_before = Events.objects.tracks(member).count()

    migration.remask(None, _Editor())

    member.refresh_from_db()
    assert member.id_number_masked == pii.mask_id(number)
    masks = set(member.events.values_list("id_number_masked", flat=True))
    assert masks == {pii.mask_id(number)}
    assert Events.objects.tracks(member).count() == events_before  # the rewrite is not a change
    pair.refresh_from_db()
    assert pair.detail == "李秀梅 1987"
    assert set(pair.events.values_list("detail", flat=True)) == {"李秀梅 1987"}
    assert Member.objects.filter(id_number_masked__contains="********" + number[-4:]).count() == 0
