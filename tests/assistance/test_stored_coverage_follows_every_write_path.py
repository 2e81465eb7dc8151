"""A plan's stored coverage (`uncovered_count`, `next_due`) always equals the coverage recomputed
from the rows, whatever path changed the measures or the household's causes: the services, the
households app's services, bulk ORM writes, raw SQL, and a stale plan object saved later.

The oracle is the per-request SQL the work list used before the columns existed
(`UncoveredCauses` and the late count)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone

from assistance import selectors, services
from assistance.models import OPEN_STATUSES, AssistancePlan, Measure, MeasureStatus
from households.models import Household, PovertyCause
from households.services.registry import household_update
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.core import OfficerFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def recomputed(plan_ids) -> dict:
    """(uncovered causes, late measures, earliest open completion) of each plan, from the rows."""
    today = timezone.localdate()
    first_open = (
        Measure.objects.filter(plan=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("plan")
        .annotate(d=Min("planned_end"))
        .values("d")
    )
    rows = AssistancePlan.objects.filter(pk__in=plan_ids).annotate(
        uncovered=selectors.UncoveredCauses("pk", "household__main_cause", "household__secondary_causes"),
        late=selectors._late_count(OuterRef("pk"), today),
        first_open=Subquery(first_open),
    )
    return {p.pk: (len(p.uncovered), p.late > 0, p.first_open) for p in rows}


def stored(plan_ids) -> dict:
    today = timezone.localdate()
    rows = AssistancePlan.objects.filter(pk__in=plan_ids).values_list("pk", "uncovered_count", "next_due")
    return {pk: (n, due is not None and due < today, due) for pk, n, due in rows}


def assert_current(*plans):
    ids = [p.pk for p in plans]
    assert stored(ids) == recomputed(ids)


def test_services_keep_the_stored_coverage(assist, household):
    today = timezone.localdate()
    plan = services.plan_create(household=household, year=YEAR, actor=assist)
    # The object the service returns carries the stored value too.
    assert plan.uncovered_count == 3
    assert_current(plan)

    first = services.measure_add(
        plan=plan, actor=assist, kind="employment", title="务工", causes=["illness"],
        planned_end=today + dt.timedelta(days=30),
    )  # fmt: skip
    assert_current(plan)
    assert stored([plan.pk])[plan.pk] == (2, False, today + dt.timedelta(days=30))

    late = services.measure_add(
        plan=plan, actor=assist, kind="skills_training", title="培训", causes=["lack_skills"],
        planned_end=today - dt.timedelta(days=3),
    )  # fmt: skip
    assert_current(plan)
    assert stored([plan.pk])[plan.pk] == (1, True, today - dt.timedelta(days=3))

    services.measure_update(measure=first, actor=assist, data={"causes": ["illness", "lack_funds"]})
    assert_current(plan)
    assert stored([plan.pk])[plan.pk][0] == 0

    services.measure_transition(measure=late, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    assert_current(plan)
    services.measure_transition(measure=late, to_status=MeasureStatus.DONE, actor=assist)
    assert_current(plan)
    assert stored([plan.pk])[plan.pk] == (0, False, today + dt.timedelta(days=30))  # done still answers

    services.measure_transition(measure=first, to_status=MeasureStatus.CANCELLED, actor=assist, reason="重复")
    assert_current(plan)
    assert stored([plan.pk])[plan.pk] == (2, False, None)

    services.plan_update(plan=plan, actor=assist, data={"summary": "因病因学"})
    assert_current(plan)


def test_the_household_changing_its_causes_updates_its_plans(assist, clerk, household):
    plan = PlanFactory(household=household, year=YEAR)
    old = PlanFactory(household=household, year=YEAR - 1)
    MeasureFactory(plan=plan, causes=["illness", "lack_skills", "lack_funds"])
    MeasureFactory(plan=old, causes=["illness"])
    assert_current(plan, old)
    assert stored([plan.pk])[plan.pk][0] == 0

    # Through the households app's service (the form, the API and re-verification corrections call it).
    household_update(household=household, actor=clerk, data={"secondary_causes": ["lack_funds", "disaster"]})
    assert_current(plan, old)
    assert stored([plan.pk])[plan.pk][0] == 1
    assert stored([old.pk])[old.pk][0] == 2

    household_update(household=household, actor=clerk, data={"main_cause": "lack_labour"})
    assert_current(plan, old)

    # Bulk and raw SQL.
    Household.objects.filter(pk=household.pk).update(secondary_causes=["lack_skills"])
    assert_current(plan, old)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE households_household SET main_cause = 'illness', secondary_causes = '{}' WHERE id = %s",
            [household.pk],
        )
    assert_current(plan, old)
    assert stored([plan.pk])[plan.pk][0] == 0

    # Changes to other fields leave the plans alone.
    Household.objects.filter(pk=household.pk).update(head_name="王五")
    assert_current(plan, old)


def test_bulk_and_raw_writes_to_measures_update_the_plan(household):
    today = timezone.localdate()
    plan = PlanFactory(household=household, year=YEAR)
    other = PlanFactory(
        household=HouseholdFactory(village=household.village, main_cause="disaster"), year=YEAR
    )
    Measure.objects.bulk_create(
        [
            Measure(plan=plan, kind="employment", title="a", causes=["illness"], planned_end=today),
            Measure(
                plan=plan,
                kind="microcredit",
                title="b",
                causes=["lack_funds"],
                planned_end=today - dt.timedelta(days=1),
            ),
            Measure(
                plan=other,
                kind="disaster_relief",
                title="c",
                causes=["disaster"],
                planned_end=today - dt.timedelta(days=9),
            ),
        ]
    )
    assert_current(plan, other)
    assert stored([plan.pk, other.pk]) == {
        plan.pk: (1, True, today - dt.timedelta(days=1)),
        other.pk: (0, True, today - dt.timedelta(days=9)),
    }

    Measure.objects.filter(plan=plan, causes__contains=["lack_funds"]).update(
        status=MeasureStatus.CANCELLED, cancel_reason="不需要"
    )
    assert_current(plan, other)
    Measure.objects.filter(plan=other).update(planned_end=today + dt.timedelta(days=1))
    assert_current(plan, other)
    assert stored([other.pk])[other.pk] == (0, False, today + dt.timedelta(days=1))

    # A measure moved to another plan changes both.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assistance_measure SET plan_id = %s WHERE plan_id = %s", [plan.pk, other.pk])
    assert_current(plan, other)
    assert stored([other.pk])[other.pk] == (1, False, None)

    Measure.objects.filter(plan=plan).delete()
    assert_current(plan, other)
    assert stored([plan.pk])[plan.pk] == (3, False, None)


def test_a_stale_plan_object_cannot_overwrite_the_coverage(assist, household):
    plan = PlanFactory(household=household, year=YEAR)
    stale = AssistancePlan.objects.get(pk=plan.pk)
    assert stale.uncovered_count == 3
    MeasureFactory(plan=plan, causes=["illness", "lack_skills"])
    stale.summary = "写于措施之前"
    stale.save()
    assert_current(plan)
    assert stored([plan.pk])[plan.pk][0] == 1
    AssistancePlan.objects.filter(pk=plan.pk).update(uncovered_count=0, next_due=None)
    assert_current(plan)


def test_coverage_changes_alone_write_no_plan_history(household):
    from assistance.models import AssistancePlanEvent

    plan = PlanFactory(household=household, year=YEAR)
    before = AssistancePlanEvent.objects.filter(pgh_obj_id=plan.pk).count()
    MeasureFactory(plan=plan, causes=["illness"])
    Household.objects.filter(pk=household.pk).update(secondary_causes=["lack_funds"])
    assert_current(plan)
    assert AssistancePlanEvent.objects.filter(pgh_obj_id=plan.pk).count() == before


def test_random_plans_and_the_work_list_agree_with_the_rows(assist, xiuwu_village):
    """Many random plans through factories; then the work list's flags equal the old per-request SQL."""
    rng = random.Random(2017)
    officer = OfficerFactory()
    causes = list(PovertyCause.values)
    today = timezone.localdate()
    plans = []
    for i in range(40):
        own = rng.sample(causes, rng.randint(1, 4))
        household = HouseholdFactory(
            village=xiuwu_village, main_cause=own[0], secondary_causes=own[1:],
            # every seventh without a responsible officer: on the list for that alone
            assistance_officer=None if i % 7 == 3 else officer,
        )  # fmt: skip
        if i % 5 == 0:
            continue  # no plan this year
        plan = PlanFactory(household=household, year=YEAR)
        for _ in range(rng.randint(0, 3)):
            status = rng.choice(list(MeasureStatus.values))
            MeasureFactory(
                plan=plan, causes=rng.sample(own, rng.randint(1, len(own))), status=status,
                cancel_reason="取消" if status == MeasureStatus.CANCELLED else "",
                actual_end=today if status == MeasureStatus.DONE else None,
                planned_end=today + dt.timedelta(days=rng.randint(-20, 20)),
            )  # fmt: skip
        plans.append(plan)
    assert_current(*plans)

    old = recomputed([p.pk for p in plans])
    expected = {
        "uncovered": {p.household_id for p in plans if old[p.pk][0]},
        "late": {p.household_id for p in plans if old[p.pk][1]},
        "no_plan": set(
            Household.objects.filter(village=xiuwu_village)
            .exclude(assistance_plans__year=YEAR)
            .values_list("pk", flat=True)
        ),
        "no_officer": set(
            Household.objects.filter(village=xiuwu_village, assistance_officer=None).values_list(
                "pk", flat=True
            )
        ),
    }
    assert all(expected.values())
    for flag, households in expected.items():
        assert {hh.pk for hh in selectors.worklist(actor=assist, year=YEAR, flag=flag)} == households
    listed = list(selectors.worklist(actor=assist, year=YEAR))
    assert {hh.pk for hh in listed} == set().union(*expected.values())
    for hh in listed:
        if hh.plan_id:
            assert (len(hh.uncovered), hh.late_measures > 0) == old[hh.plan_id][:2]
            assert (
                hh.late_measures
                == Measure.objects.filter(
                    Q(plan_id=hh.plan_id), status__in=OPEN_STATUSES, planned_end__lt=today
                ).count()
            )


def test_every_page_of_the_work_list_shows_the_rows_of_the_plain_query(client, assist, two_xiuwu_villages):
    """The page reads only the villages it spans (counts from the by-village table): pages across
    village boundaries, a chosen village and a flag show exactly the slices of the full query."""
    from django.urls import reverse

    today = timezone.localdate()
    for i in range(57):
        village = two_xiuwu_villages[0] if i < 23 else two_xiuwu_villages[1]
        household = HouseholdFactory(village=village, main_cause="illness", secondary_causes=["lack_funds"])
        if i % 4 == 0:
            continue  # no plan
        plan = PlanFactory(household=household, year=YEAR)
        causes = ["illness"] if i % 4 == 1 else ["illness", "lack_funds"]
        due = today - dt.timedelta(days=2) if i % 3 == 0 else today + dt.timedelta(days=2)
        MeasureFactory(plan=plan, causes=causes, planned_end=due)
    client.force_login(assist)

    def shown(**params):
        response = client.get(
            reverse("assistance:worklist"), {"region": "410821000000", "per_page": 10, **params}
        )
        assert response.status_code == 200
        page = response.context["page"]
        return page.paginator.count, [hh.pk for hh in page]

    for flag in (None, "no_plan", "uncovered", "late"):
        for village in (None, two_xiuwu_villages[1].code):
            expected = [
                hh.pk
                for hh in selectors.worklist(
                    actor=assist, year=YEAR, region=village or "410821000000", flag=flag
                )
            ]
            assert expected
            params = {"flag": flag or "", **({"village": village} if village else {})}
            pages = -(-len(expected) // 10)
            for number in range(1, pages + 1):
                count, rows = shown(page=number, **params)
                assert count == len(expected)
                assert rows == expected[(number - 1) * 10 : number * 10]
