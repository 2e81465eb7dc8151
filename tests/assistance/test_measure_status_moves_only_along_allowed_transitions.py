"""A measure moves planned → in progress → done, or is cancelled with a reason; nothing else.
Every change is recorded (status-change row and audit history)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assistance import services
from assistance.models import ALLOWED_TRANSITIONS, Measure, MeasureKind, MeasureStatus, MeasureStatusChange
from core.exceptions import DomainError, ReadOnlyActor, TransitionNotAllowed
from core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(assist, household):
    return services.plan_create(household=household, year=2017, actor=assist)


@pytest.fixture
def measure(plan, assist):
    return services.measure_add(
        plan=plan, actor=assist, kind=MeasureKind.MEDICAL_RELIEF, title="大病救助", causes=["illness"],
        planned_end=timezone.localdate() + dt.timedelta(days=30), funds_needed=Decimal("3000.50"),
    )  # fmt: skip


def test_planned_to_in_progress_to_done_records_dates_and_gain(measure, assist):
    services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    done = services.measure_transition(
        measure=measure, to_status=MeasureStatus.DONE, actor=assist, actual_income_gain=Decimal("1200")
    )
    done.refresh_from_db()
    assert done.status == MeasureStatus.DONE
    assert done.actual_start == done.actual_end == timezone.localdate()
    assert done.actual_income_gain == Decimal("1200.00")
    moves = list(MeasureStatusChange.objects.filter(measure=measure).values_list("from_status", "to_status"))
    assert moves == [("", "planned"), ("planned", "in_progress"), ("in_progress", "done")]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], MeasureStatus.DONE),  # planned → done skips the work
        ([MeasureStatus.IN_PROGRESS], MeasureStatus.PLANNED),
        ([MeasureStatus.IN_PROGRESS, MeasureStatus.DONE], MeasureStatus.CANCELLED),
        ([MeasureStatus.IN_PROGRESS, MeasureStatus.DONE], MeasureStatus.IN_PROGRESS),
        ([MeasureStatus.CANCELLED], MeasureStatus.IN_PROGRESS),
        ([MeasureStatus.CANCELLED], MeasureStatus.PLANNED),
    ],
)
def test_moves_outside_the_map_are_refused_and_change_nothing(measure, assist, path, refused):
    for step in path:
        services.measure_transition(measure=measure, to_status=step, actor=assist, reason="理由")
    before = Measure.objects.get(pk=measure.pk).status
    with pytest.raises(TransitionNotAllowed) as err:
        services.measure_transition(measure=measure, to_status=refused, actor=assist, reason="理由")
    assert err.value.field == "status"
    assert Measure.objects.get(pk=measure.pk).status == before
    # The row written when the measure was added ('' → planned), and one per move made.
    assert MeasureStatusChange.objects.filter(measure=measure).count() == 1 + len(path)


def test_the_map_has_no_way_out_of_done_or_cancelled():
    assert ALLOWED_TRANSITIONS[MeasureStatus.DONE] == set()
    assert ALLOWED_TRANSITIONS[MeasureStatus.CANCELLED] == set()


def test_cancelling_needs_a_reason(measure, assist):
    with pytest.raises(DomainError) as err:
        services.measure_transition(
            measure=measure, to_status=MeasureStatus.CANCELLED, actor=assist, reason="  "
        )
    assert err.value.field == "reason"
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.PLANNED


def test_cancel_reason_is_kept(measure, assist):
    services.measure_transition(
        measure=measure, to_status=MeasureStatus.CANCELLED, actor=assist, reason="已纳入低保"
    )
    measure.refresh_from_db()
    assert measure.cancel_reason == "已纳入低保"
    assert MeasureStatusChange.objects.get(measure=measure, to_status="cancelled").note == "已纳入低保"


def test_history_keeps_who_when_before_and_after(measure, assist):
    services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    change = next(e for e in history_for(measure) if e.label == "update")
    assert change.actor == str(assist)
    assert ("status", "planned", "in_progress") in change.changes
    created = [e for e in history_for(measure) if e.label == "insert"]
    assert created
    assert created[0].actor == str(assist)


def test_leader_cannot_move_a_measure(measure, leader):
    with pytest.raises(ReadOnlyActor):
        services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=leader)
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.PLANNED


def test_other_county_clerk_cannot_touch_the_plan(measure, plan, other_clerk):
    from django.http import Http404

    with pytest.raises(Http404):
        services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=other_clerk)
    with pytest.raises(Http404):
        services.measure_add(
            plan=plan, actor=other_clerk, kind=MeasureKind.EMPLOYMENT, title="x", causes=["illness"],
            planned_end=timezone.localdate(),
        )  # fmt: skip


def test_one_plan_per_household_and_year(plan, assist, household):
    from core.exceptions import ConflictError

    with pytest.raises(ConflictError):
        services.plan_create(household=household, year=2017, actor=assist)
    from assistance.models import AssistancePlan

    with pytest.raises(IntegrityError), transaction.atomic():
        AssistancePlan.objects.create(household=household, year=2017)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"causes": []}, "measure_answers_a_cause"),
        ({"status": "cancelled", "cancel_reason": ""}, "measure_cancel_reason_iff_cancelled"),
        ({"status": "planned", "cancel_reason": "x"}, "measure_cancel_reason_iff_cancelled"),
        ({"status": "done", "actual_end": None}, "measure_done_has_actual_end"),
        ({"funds_needed": Decimal("-1")}, "measure_amounts_non_negative"),
        (
            {"planned_start": dt.date(2030, 1, 1), "planned_end": dt.date(2029, 1, 1)},
            "measure_planned_start_before_end",
        ),
    ],
)
def test_database_refuses_inconsistent_measures(measure, changes, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(**changes)


def test_plan_for_household_being_identified_is_refused(assist, xiuwu_village):
    from tests.factories.households import HouseholdFactory

    applying = HouseholdFactory(village=xiuwu_village, status="applying")
    with pytest.raises(DomainError) as err:
        services.plan_create(household=applying, year=2017, actor=assist)
    assert err.value.field == "household"


def test_status_change_rows_are_append_only_and_keep_the_measure(measure, assist):
    """A status-change row can be neither changed nor deleted, a "move" to the same status is
    refused by the database, and a measure that has history cannot be deleted."""
    from django.db.models import ProtectedError

    services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    row = MeasureStatusChange.objects.get(measure=measure, to_status="in_progress")
    assert (row.from_status, row.actor_id, row.note) == ("planned", assist.pk, "")
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        MeasureStatusChange.objects.filter(pk=row.pk).update(note="改写")
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        MeasureStatusChange.objects.filter(pk=row.pk).delete()
    with pytest.raises(IntegrityError, match="measurestatuschange_moves"), transaction.atomic():
        MeasureStatusChange.objects.create(
            measure=measure, from_status="done", to_status="done", actor=assist
        )
    with pytest.raises(ProtectedError), transaction.atomic():
        Measure.objects.get(pk=measure.pk).delete()
    assert MeasureStatusChange.objects.filter(measure=measure).count() == 2


def test_adding_a_measure_records_who_added_it_in_its_first_status(measure, assist):
    first = MeasureStatusChange.objects.get(measure=measure)
    assert (first.from_status, first.to_status, first.actor_id) == ("", "planned", assist.pk)


def test_the_page_offers_only_the_moves_the_map_allows(measure, assist):
    from core.transitions import can_transition, next_statuses

    assert [code for code, _label in next_statuses(measure, assist)] == ["in_progress", "cancelled"]
    assert not can_transition(measure, MeasureStatus.DONE, assist)
    services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    assert [code for code, _label in next_statuses(measure, assist)] == ["done", "cancelled"]


def test_the_plan_page_lists_each_move_in_words(client, measure, assist):
    from django.urls import reverse

    services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    services.measure_transition(
        measure=measure, to_status=MeasureStatus.CANCELLED, actor=assist, reason="已纳入低保"
    )
    client.force_login(assist)
    page = client.get(reverse("assistance:plan", args=[measure.plan.household_id]) + "?year=2017")
    html = page.content.decode()
    assert page.status_code == 200
    assert "— → 计划中" in html
    assert "计划中 → 进行中" in html
    assert "进行中 → 已取消" in html
    assert "已纳入低保" in html
    assert str(assist) in html


def test_the_migration_gives_measures_added_before_it_their_first_row(assist, household):
    """Measures added before the '' → planned row existed get it from the migration: the actor from
    the insert's history context, the first status from the earliest move; run twice, it adds nothing."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from core.audit import actor_context
    from core.transitions import transition
    from tests.factories.assistance import MeasureFactory, PlanFactory

    plan = PlanFactory(household=household, year=2017)
    quiet = MeasureFactory(plan=plan)  # first: a history context lasts to the end of the transaction
    with actor_context(assist):
        moved = MeasureFactory(plan=plan)
    transition(moved, MeasureStatus.IN_PROGRESS, actor=assist)
    migration = importlib.import_module("assistance.migrations.0005_measure_status_change_core")
    with connection.schema_editor() as editor:
        migration.first_rows(apps, editor)
        migration.first_rows(apps, editor)

    def rows(measure):
        return list(
            MeasureStatusChange.objects.filter(measure=measure)
            .order_by("at", "id")
            .values_list("from_status", "to_status", "actor_id")
        )

    assert rows(moved) == [("", "planned", assist.pk), ("planned", "in_progress", assist.pk)]
    assert rows(quiet) == [("", "planned", None)]
