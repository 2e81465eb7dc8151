"""The one transition path (core.transitions), shown on a household: a refused move changes
nothing, an allowed one writes exactly one status-change row and one signal, the rows cannot be
edited or deleted even with SQL, a batch moves only what may move in one statement."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.exceptions import TransitionNotAllowed
from core.transitions import can_transition, next_statuses, status_changed, transition, transition_many
from households.models import Household, HouseholdStatus, HouseholdStatusChange
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(xiuwu_village):
    return HouseholdFactory(village=xiuwu_village, status=HouseholdStatus.REGISTERED)


def test_a_refused_move_names_both_statuses_and_changes_nothing(household, clerk):
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(household, HouseholdStatus.RETURNED, actor=clerk, note="试图返贫")
    assert "在册" in str(refused.value.message) or "registered" in str(refused.value.message)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REGISTERED
    assert not HouseholdStatusChange.objects.filter(
        household=household, to_status=HouseholdStatus.RETURNED
    ).exists()


def test_an_allowed_move_writes_one_row_and_one_signal(household, clerk):
    heard = []

    def listener(sender, instance, from_status, to_status, actor, **kwargs):
        heard.append((sender, instance.pk, from_status, to_status, actor.pk))

    before = HouseholdStatusChange.objects.filter(household=household).count()
    status_changed.connect(listener, weak=False)
    try:
        moved = transition(household, HouseholdStatus.EXITED, actor=clerk, note="收入达标")
    finally:
        status_changed.disconnect(listener)
    assert moved.status == household.status == HouseholdStatus.EXITED
    rows = list(HouseholdStatusChange.objects.filter(household=household)[before:])
    assert [(r.from_status, r.to_status, r.actor_id, r.note) for r in rows] == [
        (HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, clerk.pk, "收入达标")
    ]
    assert heard == [(Household, household.pk, HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, clerk.pk)]


def test_pages_ask_the_same_map(household, clerk):
    assert can_transition(household, HouseholdStatus.EXITED, clerk)
    assert not can_transition(household, HouseholdStatus.RETURNED, clerk)
    assert {value for value, _label in next_statuses(household, clerk)} == {
        HouseholdStatus.EXITED,
        HouseholdStatus.REMOVED,
    }


def test_status_change_rows_are_append_only_in_the_database(household, clerk):
    transition(household, HouseholdStatus.EXITED, actor=clerk, note="收入达标")
    row = HouseholdStatusChange.objects.filter(household=household).latest("id")
    table = HouseholdStatusChange._meta.db_table
    for sql in (f"UPDATE {table} SET note = 'changed' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.note == "收入达标"


def test_a_move_that_stays_put_is_refused_by_the_database(household, clerk):
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdStatusChange.objects.create(
            household=household, from_status="registered", to_status="registered", actor=clerk
        )


def test_a_batch_moves_only_what_may_move_in_one_statement(xiuwu_village, clerk):
    registered = [
        HouseholdFactory(village=xiuwu_village, status=HouseholdStatus.REGISTERED) for _ in range(5)
    ]
    removed = HouseholdFactory(village=xiuwu_village, status=HouseholdStatus.REMOVED)
    ids = [h.pk for h in registered] + [removed.pk]
    with CaptureQueriesContext(connection) as ctx:
        moved = transition_many(
            Household.objects.filter(pk__in=ids), HouseholdStatus.EXITED, actor=clerk, note="批量脱贫"
        )
    writes = [q["sql"] for q in ctx.captured_queries if "INSERT INTO" in q["sql"] or "UPDATE" in q["sql"]]
    assert len([w for w in writes if HouseholdStatusChange._meta.db_table in w]) == 1
    assert sorted(moved) == sorted(h.pk for h in registered)
    assert set(Household.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        HouseholdStatus.EXITED,
        HouseholdStatus.REMOVED,
    }
    rows = HouseholdStatusChange.objects.filter(household_id__in=ids, note="批量脱贫")
    assert sorted(rows.values_list("household_id", flat=True)) == sorted(moved)
    assert set(rows.values_list("from_status", "to_status", "actor_id")) == {
        (HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, clerk.pk)
    }
